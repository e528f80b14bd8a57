using KernelGen.Generator.Emit;
using KernelGen.Generator.Planning;

namespace KernelGen.Generator.Plans;

/// <summary>
/// The scalar path of every layout: for each row (each outer slab and inner column), three loops down
/// the axis with a compile-time stride: max; exp(x - max) summed in double; scale (log-softmax: the maxima
/// counted apart, then (x - max) - log(sum)).
/// </summary>
internal sealed record ScalarLoopsPlan(TensorFacts Tensor, Lanes Lanes) : PathPlan(Tensor, Lanes)
{
    public override string Name => "scalar loops";

    public override string Describe() =>
        $"{Tensor.RowsText} rows of {Tensor.Length}{(Tensor.Inner > 1 ? $" with stride {Tensor.Inner}" : "")}, three loops per row: max; exp and sum in double; {(Tensor.IsLog ? "subtract the log of the sum" : "scale")}.";

    public override void Write(CodeWriter w)
    {
        string t = Lanes.Element;
        string cast = t == "float" ? "(float)" : "";
        int slab = Tensor.Length * Tensor.Inner, stride = Tensor.Inner;
        bool oneSlab = Tensor.Outer == 1 && !Tensor.RuntimeCount;
        CodeWriter.Scope outer = oneSlab ? default : w.Block($"for (nuint slab = 0; slab < {Tensor.CountExpression}; slab += {slab})");
        CodeWriter.Scope inner = Tensor.Inner == 1 ? default : w.Block($"for (nuint column = 0; column < {Tensor.Inner}; column++)");
        string start = (oneSlab, Tensor.Inner == 1) switch
        {
            (true, true) => "",
            (false, true) => "slab",
            (true, false) => "column",
            _ => "slab + column",
        };
        w.Line(start.Length == 0 ? $"ref {t} xr = ref x;" : $"ref {t} xr = ref Unsafe.Add(ref x, {start});");
        w.Line(start.Length == 0 ? $"ref {t} yr = ref y;" : $"ref {t} yr = ref Unsafe.Add(ref y, {start});");
        string loop = stride == 1 ? $"for (nuint i = 0; i < {slab}; i++)" : $"for (nuint i = 0; i < {slab}; i += {stride})";
        string x = Tensor.IsScaled ? $"Unsafe.Add(ref xr, i) * {Tensor.ScaleLiteral}" : "Unsafe.Add(ref xr, i)";
        WriteRow(w, Tensor, t, loop, x, exit: oneSlab && Tensor.Inner == 1 ? "return;" : "continue;");
        if (Tensor.Inner != 1) inner.Dispose();
        if (!oneSlab) outer.Dispose();
    }

    /// <summary>
    /// One row in three scalar loops, <paramref name="loop"/> walking its elements as <c>i</c> and <paramref name="x"/>
    /// reading element i (scaled if the kernel has a Scale); also the scalar row of <see cref="CausalRowsPlan"/>.
    /// </summary>
    /// <param name="exit">The statement that leaves the row once a row of -inf is zeroed (MaskedRows = Zero).</param>
    public static void WriteRow(CodeWriter w, TensorFacts tensor, string t, string loop, string x, string exit)
    {
        string cast = t == "float" ? "(float)" : "";
        w.Line($"{t} max = {t}.NegativeInfinity;");
        w.Line($"{loop} max = Math.Max(max, {x}); // Math.Max keeps a NaN");
        if (tensor.ZeroMaskedRows)
        {
            using (w.Block($"if (max == {t}.NegativeInfinity)"))
            {
                w.Line($"{loop} Unsafe.Add(ref yr, i) = 0; // MaskedRows = Zero: a row of -inf gives zeros");
                w.Line(exit);
            }
        }
        if (tensor.IsLog)
        {
            w.Line("double others = 0, maxima = 0; // the maxima counted apart, so log(sum) stays exact near 0");
            using (w.Block(loop))
            {
                w.Line($"{t} shifted = {x} - max;");
                w.Line("if (shifted == 0) maxima++;");
                w.Line("else others += VectorMath.ExpNoOverflow(shifted);");
            }
            w.Line($"{t} logSum = {cast}Reductions.LogOfSum(others, maxima);");
            w.Line($"{loop} Unsafe.Add(ref yr, i) = ({x} - max) - logSum;");
        }
        else
        {
            w.Line("double sum = 0;");
            using (w.Block(loop))
            {
                w.Line($"{t} e = VectorMath.ExpOfDifference({x}, max); // x - max taken exactly");
                w.Line("Unsafe.Add(ref yr, i) = e;");
                w.Line("sum += e;");
            }
            w.Line($"{t} factor = {cast}(1.0 / sum);");
            w.Line(new VectorCode(Planning.Lanes.For("scalar", tensor.ElementKind)).FloorOfSumDeclaration("floor", "sum"));
            w.Line($"{loop} Unsafe.Add(ref yr, i) = {VectorCode.Scale("Unsafe.Add(ref yr, i)", "factor", "floor")};");
        }
    }
}
