using KernelGen.Generator.Emit;
using KernelGen.Generator.Planning;

namespace KernelGen.Generator.Plans;

/// <summary>
/// The gradient of a softmax or log-softmax over a non-last axis: each slab of <c>Length x Inner</c> contiguous
/// elements (its <c>Inner</c> columns each one softmax) goes to the runtime's column function
/// (<c>TrainingRows.SoftmaxGradientColumns</c> or <c>LogSoftmaxGradientColumns</c>), the slab's dimensions and the
/// scale as constants.
/// </summary>
internal sealed record GradientColumnsPlan(TensorFacts Tensor) : TrainingPlan(Tensor)
{
    public override string Name => "gradient columns";

    private int SlabElements => Tensor.Length * Tensor.Inner;

    public override string Describe() =>
        $"each slab of {Tensor.Length} x {Tensor.Inner} elements (its {Tensor.Inner} columns each one softmax, consecutive elements of a column {Tensor.Inner} apart) goes to TrainingRows.{GradientFunction(columns: true)} with its dimensions and the scale as constants: per column {GradientFormula}, across the columns on the widest of Vector512/256/128 that fits them (scalar below a vector).";

    public override void Write(CodeWriter w)
    {
        string call = $"TrainingRows.{GradientFunction(columns: true)}";
        if (Tensor.Outer == 1 && !Tensor.RuntimeCount)
        {
            w.Line($"{call}(ref y, ref dy, ref dx, {Tensor.Length}, {Tensor.Inner}, {ScaleArgument});");
            return;
        }
        using (w.Block($"for (nuint slab = 0; slab < {Tensor.CountExpression}; slab += {SlabElements})"))
        {
            w.Line($"{call}(ref Unsafe.Add(ref y, slab), ref Unsafe.Add(ref dy, slab), ref Unsafe.Add(ref dx, slab), {Tensor.Length}, {Tensor.Inner}, {ScaleArgument});");
        }
    }
}
