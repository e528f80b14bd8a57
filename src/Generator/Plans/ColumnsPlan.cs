using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Emit;
using KernelGen.Generator.Planning;

namespace KernelGen.Generator.Plans;

/// <summary>
/// A non-last axis whose inner dimension holds at least one vector: the lanes of a vector are neighbouring
/// columns, and each pass walks down the axis with the compile-time stride <c>inner</c>, so nothing is
/// transposed. Columns go in blocks of two vectors; a block's rows are read by all three passes while they
/// are still in cache. Columns left over at the end of the inner dimension are one vector overlapping the
/// block before it, writing only its new lanes.
/// </summary>
internal sealed record ColumnsPlan(TensorFacts Tensor, Lanes Lanes) : PathPlan(Tensor, Lanes)
{
    private int C => Lanes.Count;
    private int Slab => Tensor.Length * Tensor.Inner;
    private int PairBlocks => Tensor.Inner / (2 * C);
    private bool SingleBlock => Tensor.Inner % (2 * C) >= C;
    private int TailLanes => Tensor.Inner % C;

    public override string Name => "columns across the inner dimension";

    public override string Describe()
    {
        var parts = new List<string>();
        if (PairBlocks > 0) parts.Add($"{PairBlocks} block{(PairBlocks == 1 ? "" : "s")} of 2 vectors");
        if (SingleBlock) parts.Add("1 block of 1 vector");
        if (TailLanes > 0) parts.Add($"a last vector at column {Tensor.Inner - C} overlapping the one before it, writing its last {TailLanes} lanes");
        return $"{(Tensor.RuntimeCount ? $"{Tensor.Outer} per leading slice:" : $"{Tensor.Outer}")} slab{(Tensor.Outer == 1 ? "" : "s")} of {Tensor.Length} x {Tensor.Inner}; the {Tensor.Inner} columns of a slab in {string.Join(", ", parts)} of {C} columns; each block walks down the axis with stride {Tensor.Inner} three times (max; exp and sum; {(Tensor.IsLog ? "subtract the log of the sum" : "scale")}), one row per lane.";
    }

    public override void Write(CodeWriter w)
    {
        var v = new VectorCode(Lanes);
        if (Tensor.IsScaled) w.Line($"{v.Type} scale = {v.Splat(Tensor.ScaleLiteral)}; // the kernel computes softmax(scale * x)");
        WriteSlabs(w, () =>
        {
            if (PairBlocks > 0)
            {
                using (w.Block(PairBlocks == 1 ? "// Columns 0 to " + (2 * C - 1) + "." : $"for (nuint column = 0; column < {PairBlocks * 2 * C}; column += {2 * C})"))
                {
                    WriteBlock(w, v, PairBlocks == 1 ? "0" : "column", vectors: 2, fresh: null);
                }
            }
            if (SingleBlock)
            {
                using (w.Block($"// Columns {PairBlocks * 2 * C} to {PairBlocks * 2 * C + C - 1}."))
                {
                    WriteBlock(w, v, $"{PairBlocks * 2 * C}", vectors: 1, fresh: null);
                }
            }
            if (TailLanes > 0)
            {
                using (w.Block($"// The last {TailLanes} columns: one vector at column {Tensor.Inner - C}, overlapping the block before it."))
                {
                    WriteBlock(w, v, $"{Tensor.Inner - C}", vectors: 1, fresh: v.TailMask(C - TailLanes));
                }
            }
        });
    }

    private void WriteBlock(CodeWriter w, VectorCode v, string column, int vectors, string? fresh)
    {
        string e = Lanes.Element, T = v.Type;
        w.Line($"ref {e} xc = ref Unsafe.Add(ref xs, {column});");
        w.Line($"ref {e} yc = ref Unsafe.Add(ref ys, {column});");
        if (fresh is not null) w.Line($"{T} fresh = {fresh};");
        string loop = $"for (nuint at = 0; at < {Slab}; at += {Tensor.Inner})";
        string At(int k) => k == 0 ? "at" : $"at + {k * C}";
        IEnumerable<int> ks = Enumerable.Range(0, vectors);
        string Store(string value, int k) => fresh is null
            ? v.Store(value, "yc", At(k))
            : v.Store(v.Select("fresh", value, v.Load("yc", At(k))), "yc", At(k));

        w.Line($"// Pass 1: each column's max, down the axis.");
        w.Line($"{T} {string.Join(", ", ks.Select(k => $"max{k} = {v.NegativeInfinity}"))};");
        using (w.Block(loop))
        {
            foreach (int k in ks) w.Line($"max{k} = {v.RowMax(Tensor.ZeroMaskedRows, $"max{k}", v.Load("xc", At(k)))};");
        }
        if (Tensor.IsScaled)
        {
            foreach (int k in ks) w.Line($"max{k} *= scale; // the max of scale * x is scale * max");
        }
        w.Line($"{T} {string.Join(", ", ks.Select(k => $"sum{k} = {v.Zero}, lost{k} = {v.Zero}"))};");
        if (Tensor.IsLog)
        {
            w.Line("// Pass 2: each column's sum of exp(x - max), its maxima counted apart so log(sum) stays exact near 0.");
            w.Line($"{T} {string.Join(", ", ks.Select(k => $"count{k} = {v.Zero}"))};");
            using (w.Block(loop))
            {
                foreach (int k in ks)
                {
                    w.Line($"{T} x{k} = {Tensor.Scaled(v.Load("xc", At(k)))};");
                    w.Line($"{T} top{k} = {v.Equals($"x{k}", $"max{k}")};");
                    w.Line($"Reductions.AddCompensated(ref sum{k}, ref lost{k}, {v.AndNot(v.ExpNoOverflow($"x{k} - max{k}"), $"top{k}")});");
                    w.Line($"count{k} += top{k} & {v.One};");
                }
            }
            w.Line($"{T} {string.Join(", ", ks.Select(k => $"logSum{k} = Reductions.LogOfSum(sum{k}, lost{k}, count{k})"))};");
            w.Line("// Pass 3: (x - max) - log(sum).");
            using (w.Block(loop))
            {
                foreach (int k in ks) w.Line(Store(ZeroWhereMasked(v, $"({Tensor.Scaled(v.Load("xc", At(k)))} - max{k}) - logSum{k}", k), k));
            }
        }
        else
        {
            w.Line("// Pass 2: e = exp(x - max), x - max taken exactly, stored and summed per column.");
            using (w.Block(loop))
            {
                foreach (int k in ks)
                {
                    w.Line($"{T} e{k} = {v.ExpOfDifference(Tensor.Scaled(v.Load("xc", At(k))), $"max{k}")};");
                    w.Line(Store($"e{k}", k));
                    w.Line($"Reductions.AddCompensated(ref sum{k}, ref lost{k}, e{k});");
                }
            }
            w.Line($"{T} {string.Join(", ", ks.Select(k => $"factor{k} = Reductions.Reciprocal(sum{k}, lost{k})"))};");
            w.Line($"{T} {string.Join(", ", ks.Select(k => $"floor{k} = Lanes.NormalFloor(factor{k})"))}; // below them, e * factor would be subnormal: those results are 0");
            w.Line("// Pass 3: multiply by 1/sum.");
            using (w.Block(loop))
            {
                foreach (int k in ks) w.Line(Store(ZeroWhereMasked(v, VectorCode.Scale(v.Load("yc", At(k)), $"factor{k}", $"floor{k}"), k), k));
            }
        }
    }

    // MaskedRows = Zero: columns whose max is -inf (every element -inf) give 0 instead of NaN.
    private string ZeroWhereMasked(VectorCode v, string value, int k) =>
        v.ZeroWhereMasked(Tensor.ZeroMaskedRows, value, $"max{k}");
}
