using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Emit;
using KernelGen.Generator.Planning;

namespace KernelGen.Generator.Plans;

/// <summary>
/// A non-last axis whose inner dimension holds at least one vector: the lanes of a vector are neighbouring
/// columns, and each pass walks down the axis with the compile-time stride <c>inner</c>, so nothing is
/// transposed. Columns go in blocks of two vectors (two independent chains of max and of compensated sums per pass);
/// a block's rows are read by all three passes while they are still in cache. Columns left over at the end of the inner
/// dimension (one more vector, and a last vector overlapping the one before it) join
/// one block, so that no pass carries a single chain where two vectors remain: a block of two, or the last pair's
/// block grown to three.
/// </summary>
internal sealed record ColumnsPlan(TensorFacts Tensor, Lanes Lanes) : PathPlan(Tensor, Lanes)
{
    private int C => Lanes.Count;
    private int Slab => Tensor.Length * Tensor.Inner;
    private int Pairs => Tensor.Inner / (2 * C);
    private bool Single => Tensor.Inner % (2 * C) >= C;
    private int TailLanes => Tensor.Inner % C;

    /// <summary>One vector of a block: its first column, and whether it is the last vector, overlapping the one before it.</summary>
    private sealed record Column(int First, bool Tail);

    /// <summary>
    /// The blocks, in order: pairs of vectors (a loop over them where there are several), with the leftover vectors (one
    /// more, the tail, or both) in a block of their own when both are left or no pair is, else joining the last pair.
    /// </summary>
    private List<List<Column>> Blocks()
    {
        var leftover = new List<Column>();
        if (Single) leftover.Add(new Column(Pairs * 2 * C, false));
        if (TailLanes > 0) leftover.Add(new Column(Tensor.Inner - C, true));
        var blocks = Enumerable.Range(0, Pairs).Select(p => new List<Column> { new(p * 2 * C, false), new(p * 2 * C + C, false) }).ToList();
        if (leftover.Count == 1 && blocks.Count > 0) blocks[blocks.Count - 1].AddRange(leftover);
        else if (leftover.Count > 0) blocks.Add(leftover);
        return blocks;
    }

    public override string Name => "columns across the inner dimension";

    public override string Describe()
    {
        List<List<Column>> blocks = Blocks();
        string Vector(Column c) => c.Tail ? $"a last vector at column {c.First} overlapping the one before it (its last {TailLanes} lanes new)" : $"columns {c.First} to {c.First + C - 1}";
        string Block(List<Column> b) => string.Join(" and ", b.Select(Vector));
        string parts = string.Join("; ", blocks.Select(b => $"[{Block(b)}]"));
        return $"{(Tensor.RuntimeCount ? $"{Tensor.Outer} per leading slice:" : $"{Tensor.Outer}")} slab{(Tensor.Outer == 1 ? "" : "s")} of {Tensor.Length} x {Tensor.Inner}; the {Tensor.Inner} columns of a slab in {blocks.Count} block{(blocks.Count == 1 ? "" : "s")} of {C}-lane vectors ({parts}); each block walks down the axis with stride {Tensor.Inner} three times (max; exp and sum; {(Tensor.IsLog ? "subtract the log of the sum" : "scale")}), one row per lane, each of its vectors a chain of its own.";
    }

    public override void Write(CodeWriter w)
    {
        var v = new VectorCode(Lanes);
        if (Tensor.IsScaled) w.Line(v.ScaleDeclaration(Tensor.ScaleLiteral));
        List<List<Column>> blocks = Blocks();
        // Pairs that stay pairs (all but a last pair that takes the leftover vectors) run as one loop where there are several.
        int loopPairs = blocks.TakeWhile(b => b.Count == 2 && !b[1].Tail && b[0].First % (2 * C) == 0).Count();
        if (loopPairs < 2) loopPairs = 0;
        WriteSlabs(w, () =>
        {
            if (loopPairs > 0)
            {
                using (w.Block($"for (nuint column = 0; column < {loopPairs * 2 * C}; column += {2 * C})"))
                {
                    WriteBlock(w, v, "column", [new Column(0, false), new Column(C, false)]);
                }
            }
            foreach (List<Column> block in blocks.Skip(loopPairs))
            {
                string what = string.Join(", ", block.Select(c => c.Tail ? $"{c.First} to {c.First + C - 1} (overlapping, its last {TailLanes} new)" : $"{c.First} to {c.First + C - 1}"));
                using (w.Block($"// Columns {what}."))
                {
                    WriteBlock(w, v, null, block);
                }
            }
        });
    }

    // One block: its vectors' columns are offsets from xs (plus `column`, in the loop over pairs).
    private void WriteBlock(CodeWriter w, VectorCode v, string? column, List<Column> vectors)
    {
        string T = v.Type;
        if (column is not null)
        {
            w.Line($"ref {Lanes.Element} xc = ref Unsafe.Add(ref xs, column);");
            w.Line($"ref {Lanes.Element} yc = ref Unsafe.Add(ref ys, column);");
        }
        string xb = column is null ? "xs" : "xc", yb = column is null ? "ys" : "yc";
        string loop = $"for (nuint at = 0; at < {Slab}; at += {Tensor.Inner})";
        string At(int k) => vectors[k].First == 0 ? "at" : $"at + {vectors[k].First}";
        IEnumerable<int> ks = Enumerable.Range(0, vectors.Count);
        // A last vector that overlaps the one before it computes the same values in the lanes they share (the same
        // column's elements, max and sum), so it is stored whole; each pass reads a row's vectors before it stores any
        // of them, so that in place the overlapping lanes are read before they are written.
        string Store(string value, int k) => v.Store(value, yb, At(k));
        w.Line($"// Pass 1: each column's max, down the axis.");
        w.Line($"{T} {string.Join(", ", ks.Select(k => $"max{k} = {v.NegativeInfinity}"))};");
        using (w.Block(loop))
        {
            foreach (int k in ks) w.Line($"max{k} = {v.RowMax(Tensor.ZeroMaskedRows, $"max{k}", v.Load(xb, At(k)))};");
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
                foreach (int k in ks) WriteLogSumTerm(w, v, $"{k}", v.Load(xb, At(k)), $"max{k}");
            }
            w.Line($"{T} {string.Join(", ", ks.Select(k => $"logSum{k} = Reductions.LogOfSum(sum{k}, lost{k}, count{k})"))};");
            w.Line("// Pass 3: (x - max) - log(sum).");
            using (w.Block(loop))
            {
                foreach (int k in ks) w.Line($"{T} r{k} = {ZeroWhereMasked(v, $"({Tensor.Scaled(v.Load(xb, At(k)))} - max{k}) - logSum{k}", k)};");
                foreach (int k in ks) w.Line(Store($"r{k}", k));
            }
        }
        else
        {
            w.Line("// Pass 2: e = exp(x - max), x - max taken exactly, stored and summed per column.");
            using (w.Block(loop))
            {
                foreach (int k in ks) w.Line($"{T} e{k} = {v.ExpOfDifference(Tensor.Scaled(v.Load(xb, At(k))), $"max{k}")};");
                foreach (int k in ks)
                {
                    w.Line(Store($"e{k}", k));
                    w.Line($"Reductions.AddCompensated(ref sum{k}, ref lost{k}, e{k});");
                }
            }
            w.Line($"{T} {string.Join(", ", ks.Select(k => $"factor{k} = Reductions.Reciprocal(sum{k}, lost{k})"))};");
            w.Line($"{T} {string.Join(", ", ks.Select(k => $"floor{k} = Lanes.NormalFloorOfSum(sum{k})"))}; // below them, e * factor would be subnormal: those results are 0");
            w.Line("// Pass 3: multiply by 1/sum.");
            using (w.Block(loop))
            {
                foreach (int k in ks) w.Line($"{T} r{k} = {ZeroWhereMasked(v, VectorCode.Scale(v.Load(yb, At(k)), $"factor{k}", $"floor{k}"), k)};");
                foreach (int k in ks) w.Line(Store($"r{k}", k));
            }
        }
    }

    // MaskedRows = Zero: columns whose max is -inf (every element -inf) give 0 instead of NaN.
    private string ZeroWhereMasked(VectorCode v, string value, int k) =>
        v.ZeroWhereMasked(Tensor.ZeroMaskedRows, value, $"max{k}");
}
