using System.Globalization;
using KernelGen.Generator.Emit;
using KernelGen.Generator.Planning;

namespace KernelGen.Generator.Plans;

/// <summary>
/// The softmax cross-entropy of [rows, classes] logits against one target class per row: each row whose target is not
/// the ignore index goes to the runtime's row function, <c>TrainingRows.CrossEntropy</c> for the loss alone or
/// <c>TrainingRows.CrossEntropyWithGradient</c>, which also writes the row's gradient of the mean loss in the same
/// passes; an ignored row gets loss 0 and gradient 0 without its logits being read. The targets were checked (and the
/// counted rows counted) before anything is written.
/// </summary>
internal sealed record CrossEntropyRowsPlan(TensorFacts Tensor, int IgnoreIndex, bool WithGradient) : TrainingPlan(Tensor)
{
    public override string Name => WithGradient ? "fused cross-entropy rows" : "cross-entropy rows";

    /// <summary>The number of rows: a constant, or the <c>rows</c> parameter for a leading -1.</summary>
    public string RowsExpression => Tensor.RuntimeCount ? "rows" : Tensor.Outer.ToString(CultureInfo.InvariantCulture);

    private string Ignore => IgnoreIndex.ToString(CultureInfo.InvariantCulture);

    public override string Describe()
    {
        int c = Tensor.Length;
        string scaled = Tensor.IsScaled ? $"{Tensor.ScaleLiteral} * x" : "x";
        return WithGradient
            ? $"each row of {c} logits whose target is not {Ignore} goes to TrainingRows.CrossEntropyWithGradient with the class count and the scale as constants: with m = max({scaled}), one pass for m, one for sum(exp({scaled} - m)), and one writing the gradient {ScaleFactor}(softmax - onehot(target)) / countedRows, the loss log(sum) - ({scaled}[target] - m) returned; three reads of the logits and one write of the gradient, on the widest of Vector512/256/128 that fits the row (scalar below a vector). A row whose target is {Ignore} gets loss 0 and a gradient of 0, its logits not read; a row of all -inf logits gets loss +inf and a gradient of {(Tensor.ZeroMaskedRows ? "0 (MaskedRows = Zero)" : "NaN")}."
            : $"each row of {c} logits whose target is not {Ignore} goes to TrainingRows.CrossEntropy with the class count and the scale as constants: with m = max({scaled}), one pass for m and one for sum(exp({scaled} - m)), the loss log(sum) - ({scaled}[target] - m); two reads of the logits, on the widest of Vector512/256/128 that fits the row (scalar below a vector). A row whose target is {Ignore} gets loss 0, its logits not read.";
    }

    public override void Write(CodeWriter w)
    {
        int c = Tensor.Length;
        string e = Element;
        using (w.Block($"for (nuint row = 0; row < {RowsExpression}; row++)"))
        {
            w.Line("int target = Unsafe.Add(ref targets, row);");
            w.Line($"ref {e} xr = ref Unsafe.Add(ref x, row * {c});");
            if (WithGradient) w.Line($"ref {e} dxr = ref Unsafe.Add(ref dx, row * {c});");
            using (w.Block($"if (target == {Ignore})"))
            {
                w.Line("Unsafe.Add(ref losses, row) = 0; // an ignored row: loss 0" + (WithGradient ? " and gradient 0, its logits not read" : ", its logits not read"));
                if (WithGradient) w.Line($"MemoryMarshal.CreateSpan(ref dxr, {c}).Clear();");
                w.Line("continue;");
            }
            w.Line(WithGradient
                ? $"Unsafe.Add(ref losses, row) = TrainingRows.CrossEntropyWithGradient(ref xr, {c}, target, {ScaleArgument}, gradientFactor, zeroMaskedRows: {(Tensor.ZeroMaskedRows ? "true" : "false")}, ref dxr);"
                : $"Unsafe.Add(ref losses, row) = TrainingRows.CrossEntropy(ref xr, {c}, target, {ScaleArgument});");
        }
    }
}
