using System.Linq;
using KernelGen.Generator.Emit;
using KernelGen.Generator.Planning;

namespace KernelGen.Generator.Plans;

/// <summary>
/// A non-last axis whose inner dimension is narrower than a vector, grouping rows by period: a slab of
/// L x inner contiguous elements is read in whole vectors, and since <c>P = inner / gcd(inner, C)</c> vectors
/// span a whole number of axis positions, lane j of the p-th vector of every period belongs to the same
/// column, <c>(p C + j) mod inner</c>. Each pass keeps P accumulators; after the pass the lanes of each column are
/// combined (once per slab) and spread back into P pattern vectors. A slab that is not a whole number of
/// periods ends with one period overlapping the one before it (new lanes selected by constant masks); a slab
/// shorter than one period is staged through a stack buffer padded with -inf.
/// </summary>
internal sealed record NarrowColumnsPlan(TensorFacts Tensor, Lanes Lanes) : PathPlan(Tensor, Lanes)
{
    private int C => Lanes.Count;
    private int Inner => Tensor.Inner;
    private int Slab => Tensor.Length * Tensor.Inner;
    /// <summary>Vectors per period.</summary>
    public int P => Inner / Gcd(Inner, C);
    /// <summary>Elements per period: lcm(inner, C).</summary>
    public int Q => P * C;
    private bool Staged => Slab < Q;
    private int Periods => Staged ? 1 : Slab / Q;
    private int Leftover => Staged ? 0 : Slab % Q;

    public static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

    public override string Name => "narrow columns grouped by period";

    public override string Describe()
    {
        string layout = Staged
            ? $"each slab of {Slab} elements is staged into a stack buffer of one period ({Q} elements, padded with -inf)"
            : $"each slab of {Slab} elements is {Periods} period{(Periods == 1 ? "" : "s")} of {Q} elements{(Leftover > 0 ? $" and the last vectors of one more period overlapping the one before it (its last {Leftover} elements new)" : "")}";
        return $"{(Tensor.RuntimeCount ? $"{Tensor.Outer} per leading slice:" : $"{Tensor.Outer}")} slabs of {Tensor.Length} x {Inner}; {P} vector{(P == 1 ? "" : "s")} of {C} hold {Q / Inner} axis positions of all {Inner} columns; {layout}; three passes (max with {P} accumulators; exp and sum {(P <= 2 ? $"with {P} accumulators" : "two vectors of the period at a time")}; {(Tensor.IsLog ? "subtract the log of the sum" : "scale")}), the lanes of each column combined once per slab after the max and sum passes.";
    }

    public override void Write(CodeWriter w)
    {
        var v = new VectorCode(Lanes);
        string e = Lanes.Element, T = v.Type;
        var ps = Enumerable.Range(0, P).ToArray();
        if (Tensor.IsScaled) w.Line(v.ScaleDeclaration(Tensor.ScaleLiteral));
        w.Line($"// Lane j of vector p of a period belongs to column (p * {C} + j) % {Inner}; these buffers combine a column's lanes.");
        // Each buffer holds a period's lanes and one more Vector256 after them (PeriodicLanes.Padding), which PeriodicLanes
        // reads and writes past the run.
        int buffer = Q + (Lanes.Element == "float" ? 8 : 4);
        w.Line($"Span<{e}> lanes = stackalloc {e}[{buffer}], lost = stackalloc {e}[{buffer}]{(Tensor.IsLog ? $", counts = stackalloc {e}[{buffer}]" : "")}; // {Q} lanes and room for PeriodicLanes to write a vector past them");
        if (Staged) w.Line($"Span<{e}> padded = stackalloc {e}[{Q}];");
        using (w.Block($"for (nuint slab = 0; slab < {Tensor.CountExpression}; slab += {Slab})"))
        {
            if (Staged)
            {
                w.Line($"// The slab is shorter than one period: stage it, padded with -inf (which changes no max and adds 0 to every sum).");
                w.Line($"padded.Fill({e}.NegativeInfinity);");
                w.Line($"MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref x, slab), {Slab}).CopyTo(padded);");
                w.Line($"ref {e} xs = ref MemoryMarshal.GetReference(padded);");
                w.Line($"ref {e} ys = ref xs;");
            }
            else
            {
                w.Line($"ref {e} xs = ref Unsafe.Add(ref x, slab);");
                w.Line($"ref {e} ys = ref Unsafe.Add(ref y, slab);");
            }
            // One period needs no loop: its offsets are constants.
            string loop = Periods == 1 ? "// The slab's one period." : $"for (nuint at = 0; at < {Periods * Q}; at += {Q})";
            string At(int p) => Periods == 1 ? $"{p * C}" : p == 0 ? "at" : $"at + {p * C}";
            int last = Slab - Q;
            string Last(int p) => $"{last + p * C}";
            string Fresh(int p) => v.Mask(Enumerable.Range(0, C).Select(j => last + p * C + j >= Periods * Q).ToArray());
            // The overlapping period's vectors that hold a new lane (its last ones); the others only re-read lanes already done.
            int[] overlap = [.. ps.Where(p => last + p * C + C > Periods * Q)];
            void Spread(string target, string source)
            {
                foreach (int p in ps) w.Line($"{source}{p}.CopyTo({target}.Slice({p * C}));");
            }
            string Load(string buffer, int p) => $"{v.Type.Split('<')[0]}.Create<{e}>({buffer}.Slice({p * C}))";

            w.Line("// Pass 1: the max of each lane over the periods, then of each column.");
            w.Line($"{T} {string.Join(", ", ps.Select(p => $"acc{p} = {v.NegativeInfinity}"))};");
            using (w.Block(loop))
            {
                foreach (int p in ps) w.Line($"acc{p} = {MaxOf(v, $"acc{p}", v.Load("xs", At(p)))};");
            }
            if (Leftover > 0)
            {
                foreach (int p in overlap) w.Line($"acc{p} = {MaxOf(v, $"acc{p}", v.Load("xs", Last(p)))}; // the overlapping period: re-reading cannot change a max");
            }
            Spread("lanes", "acc");
            w.Line($"PeriodicLanes.Max(lanes, {Q}, {Inner});");
            w.Line($"{T} {string.Join(", ", ps.Select(p => $"max{p} = {Tensor.Scaled(Load("lanes", p))}"))};{(Tensor.IsScaled ? " // the max of scale * x is scale * max" : "")}");
            w.Line($"{T} {string.Join(", ", ps.Select(p => $"sum{p} = {v.Zero}, lost{p} = {v.Zero}"))};");

            if (Tensor.IsLog)
            {
                w.Line("// Pass 2: the sum of exp(x - max) per lane, each column's maxima counted apart so log(sum) stays exact near 0.");
                w.Line($"{T} {string.Join(", ", ps.Select(p => $"count{p} = {v.Zero}"))};");
                void Accumulate(int p, string at, string? mask) =>
                    WriteLogSumTerm(w, v, $"{p}", v.Load("xs", at), $"max{p}", mask, expOnce: mask is not null);
                foreach (int[] group in Groups(ps))
                {
                    using (w.Block(GroupLoop(group, loop)))
                    {
                        foreach (int p in group) Accumulate(p, At(p), null);
                    }
                    if (Leftover > 0 && group.Any(overlap.Contains))
                    {
                        using (w.Block("// The overlapping period: only its new lanes count."))
                        {
                            foreach (int p in group.Where(overlap.Contains)) Accumulate(p, Last(p), Fresh(p));
                        }
                    }
                }
                Spread("lanes", "sum");
                Spread("lost", "lost");
                Spread("counts", "count");
                w.Line($"PeriodicLanes.LogOfSum(lanes, lost, counts, {Q}, {Inner});");
                w.Line($"{T} {string.Join(", ", ps.Select(p => $"logSum{p} = {Load("lanes", p)}"))};");
                w.Line("// Pass 3: (x - max) - log(sum).");
                using (w.Block(loop))
                {
                    foreach (int p in ps) w.Line(v.Store(ZeroWhereMasked(v, $"({Tensor.Scaled(v.Load("xs", At(p)))} - max{p}) - logSum{p}", p), "ys", At(p)));
                }
                if (Leftover > 0)
                {
                    foreach (int p in overlap) w.Line(v.Store(v.Select(Fresh(p), ZeroWhereMasked(v, $"({Tensor.Scaled(v.Load("xs", Last(p)))} - max{p}) - logSum{p}", p), v.Load("ys", Last(p))), "ys", Last(p)));
                }
            }
            else
            {
                w.Line("// Pass 2: e = exp(x - max), x - max taken exactly, stored and summed per lane.");
                foreach (int[] group in Groups(ps))
                {
                    using (w.Block(GroupLoop(group, loop)))
                    {
                        foreach (int p in group)
                        {
                            w.Line($"{T} e{p} = {v.ExpOfDifference(Tensor.Scaled(v.Load("xs", At(p))), $"max{p}")};");
                            w.Line(v.Store($"e{p}", "ys", At(p)));
                            w.Line($"Reductions.AddCompensated(ref sum{p}, ref lost{p}, e{p});");
                        }
                    }
                    if (Leftover > 0 && group.Any(overlap.Contains))
                    {
                        using (w.Block("// The overlapping period: only its new lanes are stored and counted."))
                        {
                            foreach (int p in group.Where(overlap.Contains))
                            {
                                w.Line($"{T} fresh{p} = {Fresh(p)};");
                                w.Line($"{T} e{p} = {v.ExpOfDifferenceOnce(Tensor.Scaled(v.Load("xs", Last(p))), $"max{p}")};");
                                w.Line(v.Store(v.Select($"fresh{p}", $"e{p}", v.Load("ys", Last(p))), "ys", Last(p)));
                                w.Line($"Reductions.AddCompensated(ref sum{p}, ref lost{p}, e{p} & fresh{p});");
                            }
                        }
                    }
                }
                Spread("lanes", "sum");
                Spread("lost", "lost");
                w.Line($"PeriodicLanes.Reciprocal(lanes, lost, {Q}, {Inner});");
                w.Line($"{T} {string.Join(", ", ps.Select(p => $"factor{p} = {Load("lanes", p)}"))};");
                w.Line($"{T} {string.Join(", ", ps.Select(p => $"floor{p} = Lanes.NormalFloor(factor{p})"))}; // below them, e * factor would be subnormal: those results are 0");
                w.Line("// Pass 3: multiply by 1/sum.");
                using (w.Block(loop))
                {
                    foreach (int p in ps) w.Line(v.Store(ZeroWhereMasked(v, VectorCode.Scale(v.Load("ys", At(p)), $"factor{p}", $"floor{p}"), p), "ys", At(p)));
                }
                if (Leftover > 0)
                {
                    foreach (int p in overlap)
                    {
                        w.Line(v.Store(v.Select(Fresh(p), ZeroWhereMasked(v, VectorCode.Scale(v.Load("ys", Last(p)), $"factor{p}", $"floor{p}"), p), v.Load("ys", Last(p))), "ys", Last(p)));
                    }
                }
            }
            if (Staged)
            {
                w.Line($"padded.Slice(0, {Slab}).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref y, slab), {Slab}));");
            }
        }
    }

    // The exp pass walks the periods once per group of at most two of a period's vectors: a loop carrying all P of them
    // (up to 8 sums, 8 compensations and 8 maxima) spilled on 16 registers and lost to the runtime's column kernel on axes
    // past 32 ([2, 33, 7] axis 1 in the plan sweep of 2026-11-30); two per loop is the pairing ColumnsPlan uses.
    private static int[][] Groups(int[] ps) => [.. Enumerable.Range(0, (ps.Length + 1) / 2).Select(i => ps.Skip(2 * i).Take(2).ToArray())];

    private string GroupLoop(int[] group, string loop) => Periods == 1
        ? $"// Vector{(group.Length == 1 ? $" {group[0]}" : $"s {group[0]} and {group[1]}")} of the slab's one period."
        : $"{loop} // vector{(group.Length == 1 ? $" {group[0]}" : $"s {group[0]} and {group[1]}")} of each period";

    private string MaxOf(VectorCode v, string left, string right) =>
        v.RowMax(Tensor.ZeroMaskedRows, left, right);

    // MaskedRows = Zero: columns whose max is -inf (every element -inf) give 0 instead of NaN.
    private string ZeroWhereMasked(VectorCode v, string value, int p) =>
        v.ZeroWhereMasked(Tensor.ZeroMaskedRows, value, $"max{p}");
}
