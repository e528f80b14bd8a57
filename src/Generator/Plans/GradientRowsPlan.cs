using KernelGen.Generator.Emit;
using KernelGen.Generator.Planning;

namespace KernelGen.Generator.Plans;

/// <summary>
/// The gradient of a softmax or log-softmax over the last axis: each contiguous row of <c>Length</c> goes to the
/// runtime's row function (<c>TrainingRows.SoftmaxGradient</c> or <c>LogSoftmaxGradient</c>) with the row length and
/// the scale as constants.
/// </summary>
internal sealed record GradientRowsPlan(TensorFacts Tensor) : TrainingPlan(Tensor)
{
    public override string Name => "gradient rows";

    public override string Describe() =>
        $"each row of {Tensor.Length} goes to TrainingRows.{GradientFunction(columns: false)} with its length and the scale as constants: {GradientFormula}, on the widest of Vector512/256/128 that fits the row (scalar below a vector).";

    public override void Write(CodeWriter w)
    {
        string call = $"TrainingRows.{GradientFunction(columns: false)}";
        if (Tensor.Rows == 1 && !Tensor.RuntimeCount)
        {
            w.Line($"{call}(ref y, ref dy, ref dx, {Tensor.Length}, {ScaleArgument});");
            return;
        }
        using (w.Block($"for (nuint row = 0; row < {Tensor.CountExpression}; row += {Tensor.Length})"))
        {
            w.Line($"{call}(ref Unsafe.Add(ref y, row), ref Unsafe.Add(ref dy, row), ref Unsafe.Add(ref dx, row), {Tensor.Length}, {ScaleArgument});");
        }
    }
}
