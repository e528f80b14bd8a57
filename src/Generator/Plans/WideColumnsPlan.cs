using System.Collections.Generic;
using KernelGen.Generator.Emit;
using KernelGen.Generator.Planning;

namespace KernelGen.Generator.Plans;

/// <summary>
/// A non-last axis whose inner dimension holds several vectors (at least <see cref="MinVectors"/>): the lanes of a
/// vector are neighbouring columns, as in <see cref="ColumnsPlan"/>, but each pass sweeps a block of up to
/// <see cref="BlockVectors"/> vectors of columns row by row, front to back through memory, with every column's max
/// and sum kept in stack buffers. Walking two vectors of columns down the axis (ColumnsPlan) chains each pass on two
/// accumulators and reads one cache line per row; the sweep has a whole block of independent accumulators and reads
/// each row's block contiguously, which on [64, 512] axis 0 took about two thirds of the time.
/// </summary>
internal sealed record WideColumnsPlan(TensorFacts Tensor, Lanes Lanes) : PathPlan(Tensor, Lanes)
{
    /// <summary>The narrowest inner dimension, in vectors, that this plan takes; narrower ones go to <see cref="ColumnsPlan"/>.</summary>
    public const int MinVectors = 4;

    /// <summary>The most vectors of columns one block holds (the size of each stack buffer).</summary>
    public const int BlockVectors = 64;

    private int C => Lanes.Count;
    private int Slab => Tensor.Length * Tensor.Inner;
    private int Vectors => Tensor.Inner / C;
    private int FullBlocks => Vectors / BlockVectors;
    private int LastBlockVectors => Vectors % BlockVectors;
    private int TailLanes => Tensor.Inner % C;
    // The tail vector joins the last block of whole vectors, or, after full blocks only, has a block of its own.
    private bool TailJoinsBlock => TailLanes > 0 && (LastBlockVectors > 0 || FullBlocks == 1);
    private int BufferVectors => System.Math.Max(
        (FullBlocks > 0 ? BlockVectors : 0) + (TailJoinsBlock && LastBlockVectors == 0 ? 1 : 0),
        LastBlockVectors + (TailJoinsBlock && LastBlockVectors > 0 ? 1 : 0));

    public override string Name => "wide columns swept row by row";

    public override string Describe()
    {
        var parts = new List<string>();
        if (FullBlocks > 0) parts.Add($"{FullBlocks} block{(FullBlocks == 1 ? "" : "s")} of {BlockVectors} vectors");
        if (LastBlockVectors > 0) parts.Add($"{(FullBlocks > 0 ? "a last block" : "one block")} of {LastBlockVectors} vectors");
        if (TailLanes > 0) parts.Add($"a last vector at column {Tensor.Inner - C} overlapping the one before it, writing its last {TailLanes} lanes");
        string slabs = $"{(Tensor.RuntimeCount ? $"{Tensor.Outer} per leading slice:" : $"{Tensor.Outer}")} slab{(Tensor.Outer == 1 && !Tensor.RuntimeCount ? "" : "s")} of {Tensor.Length} x {Tensor.Inner}";
        return $"{slabs}; the {Tensor.Inner} columns of a slab, as vectors of {C} columns (one per lane), in {string.Join(", ", parts)}; three passes per block (max; exp and sum; {(Tensor.IsLog ? "subtract the log of the sum" : "scale")}), each reading the block's {Tensor.Length} rows front to back with stride {Tensor.Inner}, every column's max and sum in stack buffers of {BufferVectors} vectors.";
    }

    public override void Write(CodeWriter w)
    {
        var v = new VectorCode(Lanes);
        string T = v.Type;
        w.Line($"// Every column's max and compensated sum, for one block of columns at a time ({BufferVectors} vectors).");
        w.Line($"Span<{T}> max = stackalloc {T}[{BufferVectors}], sum = stackalloc {T}[{BufferVectors}], lost = stackalloc {T}[{BufferVectors}];");
        if (Tensor.IsLog) w.Line($"Span<{T}> maxima = stackalloc {T}[{BufferVectors}];");
        if (Tensor.IsScaled) w.Line(v.ScaleDeclaration(Tensor.ScaleLiteral));
        WriteSlabs(w, () =>
        {
            int blockColumns = BlockVectors * C;
            if (FullBlocks > 0)
            {
                bool lastHasTail = TailJoinsBlock && LastBlockVectors == 0;
                string header = FullBlocks == 1
                    ? $"// Columns 0 to {(lastHasTail ? Tensor.Inner : blockColumns) - 1}."
                    : $"for (nuint column = 0; column < {FullBlocks * blockColumns}; column += {blockColumns})";
                using (w.Block(header))
                {
                    WriteBlock(w, v, FullBlocks == 1 ? "0" : "column", BlockVectors, lastHasTail);
                }
                if (TailLanes > 0 && !TailJoinsBlock)
                {
                    using (w.Block($"// The last {TailLanes} columns: one vector at column {Tensor.Inner - C}, overlapping the block before it."))
                    {
                        WriteBlock(w, v, $"{FullBlocks * blockColumns}", 0, tail: true);
                    }
                }
            }
            if (LastBlockVectors > 0)
            {
                int first = FullBlocks * blockColumns;
                string last = TailLanes > 0 ? $"{Tensor.Inner - 1}" : $"{first + LastBlockVectors * C - 1}";
                using (w.Block($"// Columns {first} to {last}."))
                {
                    WriteBlock(w, v, $"{first}", LastBlockVectors, TailLanes > 0);
                }
            }
        });
    }

    // One block: n whole vectors of columns from xs + column, and, with tail, one more vector (index n in the buffers)
    // at the slab's last C columns, overlapping the vector before it, whose stores keep the lanes already written.
    private void WriteBlock(CodeWriter w, VectorCode v, string column, int n, bool tail)
    {
        string e = Lanes.Element, T = v.Type;
        int buffered = n + (tail ? 1 : 0);
        string tailAt = $"{Tensor.Inner - C}";
        if (n > 0)
        {
            w.Line(column == "0" ? $"ref {e} xc = ref xs;" : $"ref {e} xc = ref Unsafe.Add(ref xs, {column});");
            w.Line(column == "0" ? $"ref {e} yc = ref ys;" : $"ref {e} yc = ref Unsafe.Add(ref ys, {column});");
        }
        // The tail vector is addressed from the slab, not the block.
        string TailLoad(string rowX) => v.Load(rowX, tailAt);
        if (tail) w.Line($"{T} fresh = {v.TailMask(C - TailLanes)}; // the tail vector's lanes not covered by the vector before it");
        string rows = $"for (nuint at = 0; at < {Slab}; at += {Tensor.Inner})";
        string offset = $"(nuint)(k * {C})";
        string forK = $"for (int k = 0; k < {n}; k++)";
        string TailStore(string value, string rowY) => v.Store(v.Select("fresh", value, v.Load(rowY, tailAt)), rowY, tailAt);

        // The current row of the block (xr, yr) and of the slab, for the tail vector (xt, yt).
        void RowRefs(bool x, bool y)
        {
            if (n > 0 && x) w.Line($"ref {e} xr = ref Unsafe.Add(ref xc, at);");
            if (tail && x) w.Line($"ref {e} xt = ref Unsafe.Add(ref xs, at);");
            if (n > 0 && y) w.Line($"ref {e} yr = ref Unsafe.Add(ref yc, at);");
            if (tail && y) w.Line($"ref {e} yt = ref Unsafe.Add(ref ys, at);");
        }
        // A statement for every buffered vector k of the block.
        string ForBuffered(string statement) => buffered == 1 ? statement.Replace("[k]", "[0]") : $"for (int k = 0; k < {buffered}; k++) {statement}";

        w.Line("// Pass 1: each column's max, the rows front to back.");
        w.Line(ForBuffered($"max[k] = {v.NegativeInfinity};"));
        using (w.Block(rows))
        {
            RowRefs(x: true, y: false);
            if (n > 0) w.Line($"{forK} max[k] = {v.RowMax(Tensor.ZeroMaskedRows, "max[k]", v.Load("xr", offset))};");
            if (tail) w.Line($"max[{n}] = {v.RowMax(Tensor.ZeroMaskedRows, $"max[{n}]", TailLoad("xt"))};");
        }
        if (Tensor.IsScaled) w.Line(ForBuffered($"max[k] *= scale; // the max of scale * x is scale * max"));
        w.Line(ForBuffered($"sum[k] = lost[k] = {v.Zero};"));
        if (Tensor.IsLog)
        {
            w.Line("// Pass 2: each column's sum of exp(x - max), its maxima counted apart so log(sum) stays exact near 0.");
            w.Line(ForBuffered($"maxima[k] = {v.Zero};"));
            void Accumulate(string index, string load)
            {
                w.Line($"{T} xk = {Tensor.Scaled(load)}, top = {v.Equals("xk", $"max[{index}]")};");
                w.Line($"Reductions.AddCompensated(ref sum[{index}], ref lost[{index}], {v.AndNot(v.ExpNoOverflow($"xk - max[{index}]"), "top")});");
                w.Line($"maxima[{index}] += top & {v.One};");
            }
            using (w.Block(rows))
            {
                RowRefs(x: true, y: false);
                if (n > 0)
                {
                    using (w.Block(forK)) Accumulate("k", v.Load("xr", offset));
                }
                if (tail)
                {
                    using (w.Block("// The tail vector.")) Accumulate($"{n}", TailLoad("xt"));
                }
            }
            w.Line($"// From here on sum holds log(sum).");
            w.Line(ForBuffered($"sum[k] = Reductions.LogOfSum(sum[k], lost[k], maxima[k]);"));
            w.Line("// Pass 3: (x - max) - log(sum).");
            using (w.Block(rows))
            {
                RowRefs(x: true, y: true);
                if (n > 0) w.Line($"{forK} {v.Store(ZeroWhereMasked(v, $"({Tensor.Scaled(v.Load("xr", offset))} - max[k]) - sum[k]", "k"), "yr", offset)}");
                if (tail) w.Line(TailStore(ZeroWhereMasked(v, $"({Tensor.Scaled(TailLoad("xt"))} - max[{n}]) - sum[{n}]", $"{n}"), "yt"));
            }
        }
        else
        {
            w.Line("// Pass 2: e = exp(x - max), x - max taken exactly, stored and summed per column.");
            using (w.Block(rows))
            {
                RowRefs(x: true, y: true);
                if (n > 0)
                {
                    using (w.Block(forK))
                    {
                        w.Line($"{T} ek = {v.ExpOfDifference(Tensor.Scaled(v.Load("xr", offset)), "max[k]")};");
                        w.Line(v.Store("ek", "yr", offset));
                        w.Line("Reductions.AddCompensated(ref sum[k], ref lost[k], ek);");
                    }
                }
                if (tail)
                {
                    using (w.Block("// The tail vector."))
                    {
                        w.Line($"{T} ek = {v.ExpOfDifference(Tensor.Scaled(TailLoad("xt")), $"max[{n}]")};");
                        w.Line(TailStore("ek", "yt"));
                        w.Line($"Reductions.AddCompensated(ref sum[{n}], ref lost[{n}], ek);");
                    }
                }
            }
            w.Line($"// From here on sum holds 1/sum, and lost the floor below which e * (1/sum) would be subnormal (those results are 0).");
            w.Line(ForBuffered($"sum[k] = Reductions.Reciprocal(sum[k], lost[k]);"));
            w.Line(ForBuffered($"lost[k] = Lanes.NormalFloor(sum[k]);"));
            w.Line("// Pass 3: multiply by 1/sum.");
            using (w.Block(rows))
            {
                RowRefs(x: false, y: true);
                if (n > 0) w.Line($"{forK} {v.Store(ZeroWhereMasked(v, VectorCode.Scale(v.Load("yr", offset), "sum[k]", "lost[k]"), "k"), "yr", offset)}");
                if (tail) w.Line(TailStore(ZeroWhereMasked(v, VectorCode.Scale(v.Load("yt", tailAt), $"sum[{n}]", $"lost[{n}]"), $"{n}"), "yt"));
            }
        }
    }

    // MaskedRows = Zero: columns whose max is -inf (every element -inf) give 0 instead of NaN.
    private string ZeroWhereMasked(VectorCode v, string value, string k) =>
        v.ZeroWhereMasked(Tensor.ZeroMaskedRows, value, $"max[{k}]");
}
