using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Emit;
using KernelGen.Generator.Planning;

namespace KernelGen.Generator.Plans;

/// <summary>
/// Last-axis rows that fit in registers (one to <see cref="MaxVectors"/> vectors): each row is read once into
/// registers, its max, exp, sum and scale computed there, and written once, fully unrolled. A row that is
/// not a whole number of vectors ends with a vector overlapping the one before it: every load happens
/// before any store, so the overlapping lanes compute the same values, and only the sum needs a mask.
/// </summary>
internal sealed record RegisterRowsPlan(TensorFacts Tensor, Lanes Lanes) : RowGroupPlan(Tensor, Lanes)
{
    /// <summary>Float rows of at most this many vectors are kept in registers.</summary>
    public const int MaxVectors = 8;

    /// <summary>
    /// Rows of at most this many vectors are kept in registers, from the plan sweep (Xeon): float on Vector512, 8 (rows
    /// of 128 as fast in registers as in cache, 2026-11-30); float on Vector256, 16: 8 once the exp's constants on a path
    /// with 16 registers came from memory instead of spilling (full grid, 2026-11-30 18:56 UTC: rows of 41 to 64 1.16x to
    /// 1.44x faster in registers than in cache at all 103 points; rows of 100 to 128 within 0.95x to 1.06x), then 16 once
    /// the row's max was taken one row ahead and a sum of more than 8 vectors folded into double 8 at a time (2026-12-01
    /// 02:03 UTC, AVX2, 21 rounds: rows of 65 to 128 1.05x to 1.28x faster in registers at 32 to 1536 rows, [256, 100]
    /// 22.6 against 27.2 us, [1536, 128] 130 against 150 us; [1, 100] 1.10x, [3, 128] 1.02x, [1, 128] 0.95x); float on
    /// Vector512, 16 from the full grid of 2026-12-01 06:19 UTC, once the exp kept its masks in mask registers (rows of
    /// 129 1.20x to 1.31x, rows of 255 and 256 1.01x to 1.21x faster in registers than in cache, at all 15 points); float on
    /// Vector128, 5 (not swept; the earlier Vector256 limit, set when the constants spilled); double, 16, its exp costing
    /// more than a second read of the row (Vector512: [256, 128] 43.5 against 56.7 us in cache; Vector256: rows of 64 as
    /// fast, rows of 16 to 48 1.05x to 1.2x faster; with double's own exp, once its constants on Vector256 came from
    /// memory, rows of up to 16 vectors again ran up to 2.98x faster in registers than in cache on AVX2: full grid of
    /// 2026-12-01 05:11 UTC, [2, 43, 1] axis 1 127 against 378 ns; a limit of 8 set an hour before, while the constants
    /// spilled, was withdrawn).
    /// </summary>
    public static int MaxVectorsFor(Model.ElementKind element, Lanes lanes) =>
        element == Model.ElementKind.Float && lanes.Vector == "Vector128" ? 5 : 2 * MaxVectors;

    /// <summary>
    /// A row outside a loop (a single row, or the rows of a tensor too small for one) is shifted by its first element
    /// rather than its max, as long as the max is at most this far above it: softmax(x) = softmax(x - s) for any s, and
    /// with s the first element every exp is at most e^64 (a sum of up to 2^20 of them stays far below the float
    /// maximum), while the reduction of the max across lanes, 3 to 5 shuffles and maxes after the loads, leaves the
    /// chain of dependent steps: the processor predicts the branch and runs the exps on the first element. The results
    /// keep their error bounds (the exp's argument is still taken exactly; an element whose exp underflows with this
    /// shift is below 2^-126 of the row's sum, a result flushed to 0 with either shift). Not for log-softmax, whose
    /// results near 0 need the max as the shift. [1, 8], Xeon with AVX-512, Vector256 path, interleaved A/B (Stopwatch,
    /// 31 rounds): 10.9 against 12.4 ns a call, in place (each call waiting for the one before) 36.2 against 41.4 ns.
    /// </summary>
    public const int FirstShiftLimit = 64;

    private int Vectors => (Tensor.Length + Lanes.Count - 1) / Lanes.Count;
    private int TailLanes => Partial ? 0 : Tensor.Length % Lanes.Count;

    /// <summary>Rows shorter than a vector: each is read into the first lanes of one (<c>Lanes.LoadFirst</c>), the others masked.</summary>
    public bool Partial => Tensor.Length < Lanes.Count;

    public override string Name => "rows in registers";

    public override int GroupElements => Tensor.Length;

    public override string DescribeGroup()
    {
        string firstShift = Tensor.IsLog || Tensor.ZeroMaskedRows || Loops ? "" : $" (shifted by the row's first element unless its max is more than {FirstShiftLimit} above it, so that the exps need not wait for the max)";
        if (Partial)
        {
            return $"{Tensor.RowsText} rows of {Tensor.Length}: each row read into the first {Tensor.Length} lanes of one vector of {Lanes.Count} (Lanes.LoadFirst, which reads nothing past the row), the other lanes masked out of the max and the sum; max, exp, sum and scale in registers{firstShift}; written back with Lanes.StoreFirst";
        }
        string tail = TailLanes == 0 ? "" : $" (the last one at element {Tensor.Length - Lanes.Count}, overlapping the one before it; a constant mask keeps its last {TailLanes} lanes in the sum)";
        return $"{Tensor.RowsText} rows of {Tensor.Length}: each row read once into {Vectors} vectors of {Lanes.Count}{tail}; max, exp, sum and scale in registers, fully unrolled{firstShift}; written once";
    }

    /// <summary>
    /// In a loop, each row's max is taken one iteration ahead, while the row before it is being worked on, so that the
    /// row's exps need not wait for its max (a chain of 3 to 5 shuffles and maxes after the loads) and the processor
    /// overlaps two rows. Measured A/B on the Xeon (31 rounds, 2026-11-30): Vector512 1.03x to 1.21x faster on rows of
    /// 1 to 7 vectors ([32, 40] 1.20x, [256, 48] 1.21x, [256, 96] 1.13x, [256, 112] 1.03x), level with 8 ([32, 128]
    /// 0.98x to 1.00x) and on three rows of 100 (0.97x to 0.99x); Vector256 1.04x to 1.24x ([256, 17] 1.21x, [256, 24]
    /// 1.24x, [256, 48] 1.14x, [256, 64] 1.04x). Not for MaskedRows = Zero, whose rows test their max first.
    /// </summary>
    public override bool TakesMaxAhead => !Tensor.ZeroMaskedRows;

    public override void WriteMaxAhead(CodeWriter w, string x, string offset)
    {
        var v = new VectorCode(Lanes);
        WriteLoads(w, v, x, offset, "n");
        w.Line($"nextShift = {v.Splat($"Reductions.Max({MaxTree(v, "n", RowLanes(v))})")};");
    }

    public override void WriteGroup(CodeWriter w, string x, string y, string offset, int freshFrom, int available) =>
        WriteRow(w, x, y, offset, next: null);

    public override void WriteGroupWithMaxAhead(CodeWriter w, string x, string y, string offset, string nextOffset) =>
        WriteRow(w, x, y, offset, nextOffset);

    private string At(string offset, int k)
    {
        int element = Partial ? 0 : k == Vectors - 1 ? Tensor.Length - Lanes.Count : k * Lanes.Count;
        return int.TryParse(offset, out int start) ? $"{start + element}" : element == 0 ? offset : $"{offset} + {element}";
    }

    // The row's vectors, named prefix0, prefix1... (a partial row: one, its first lanes read with LoadFirst).
    private void WriteLoads(CodeWriter w, VectorCode v, string x, string offset, string prefix)
    {
        if (Partial)
        {
            w.Line($"{v.Type} {prefix}0 = {Tensor.Scaled(v.LoadFirst(x, offset, Tensor.Length))};");
        }
        else
        {
            w.Line($"{v.Type} {string.Join(", ", Enumerable.Range(0, Vectors).Select(k => $"{prefix}{k} = {Tensor.Scaled(v.Load(x, At(offset, k)))}"))};");
        }
    }

    // A partial row's lanes, as a constant mask.
    private string RowLanes(VectorCode v) => v.Mask(Enumerable.Range(0, Lanes.Count).Select(j => j < Tensor.Length).ToArray());

    // The lanes' max over the row's vectors (a partial row's other lanes, outside `lanes`, as -inf: they must not win).
    private string MaxTree(VectorCode v, string prefix, string lanes = "fresh")
    {
        string tree = Partial ? v.Select(lanes, $"{prefix}0", v.NegativeInfinity) : $"{prefix}0";
        for (int k = 1; k < Vectors; k++) tree = v.RowMax(Tensor.ZeroMaskedRows, tree, $"{prefix}{k}");
        return tree;
    }

    private void WriteRow(CodeWriter w, string x, string y, string offset, string? next)
    {
        var v = new VectorCode(Lanes);
        int c = Lanes.Count, n = Vectors;
        string T = v.Type;
        string Store(string value, int k) => Partial ? v.StoreFirst(value, y, At(offset, k), Tensor.Length) : v.Store(value, y, At(offset, k));
        WriteLoads(w, v, x, offset, "x");
        if (Partial) w.Line($"{T} fresh = {RowLanes(v)}; // the row's lanes");
        CodeWriter.Scope? rest = null;
        if (next is not null)
        {
            w.Line($"{T} shift = nextShift; // the row max, taken in the iteration before (a NaN makes the sum, and so the row, NaN)");
            using (w.Block("// The next row's max, while this row's exps run (the last iteration takes the last row's again)."))
            {
                w.Line($"nuint next = {next};");
                WriteMaxAhead(w, x, "next");
            }
        }
        else if (Tensor.ZeroMaskedRows)
        {
            w.Line($"{T} lanesMax = {MaxTree(v, "x")}; // NaN-propagating, so only a row of -inf (not one with a NaN) becomes zeros");
            w.Line($"{T} shift = {v.Splat("Reductions.Max(lanesMax)")};");
            using (w.Block($"if (shift.ToScalar() == {Lanes.Element}.NegativeInfinity && {v.Type.Split('<')[0]}.EqualsAll(lanesMax, lanesMax))"))
            {
                for (int k = 0; k < n; k++) w.Line(Store(v.Zero, k) + (k == 0 ? " // MaskedRows = Zero: a row of -inf gives zeros" : ""));
            }
            rest = w.Block("else");
        }
        else if (!Tensor.IsLog)
        {
            // A row not in a loop shifts by its first element unless its max is more than FirstShiftLimit above it: the
            // exps then need not wait for the max's reduction (see FirstShiftLimit).
            w.Line($"{Lanes.Element} first = x0.ToScalar(), max = Reductions.Max({MaxTree(v, "x")});");
            w.Line($"{T} shift = {v.Splat("first")}; // softmax(x) = softmax(x - first): e^(x - first) is at most e^{FirstShiftLimit}, and the row's exps need not wait for its max");
            w.Line($"if (max - first > {FirstShiftLimit}) shift = {v.Splat("max")}; // the max is far above the first element (or is +inf): shift by it (a NaN makes the sum, and so the row, NaN)");
        }
        else
        {
            w.Line($"{T} shift = {v.Splat($"Reductions.Max({MaxTree(v, "x")})")}; // the row max (a NaN makes the sum, and so the row, NaN)");
        }
        string fresh = TailLanes == 0 ? "" : v.TailMask(c - TailLanes);
        string Counted(int k, string value) => k == n - 1 && (TailLanes > 0 || Partial) ? $"({value} & fresh)" : value;
        if (TailLanes > 0) w.Line($"{T} fresh = {fresh}; // the lanes of the last vector not in the one before it");
        string cast = Lanes.Element == "float" ? "(float)" : "";
        if (Tensor.IsLog)
        {
            for (int k = 0; k < n; k++) w.Line($"{T} top{k} = {Counted(k, v.Equals($"x{k}", "shift"))}; // the maxima: exp exactly 1, counted apart");
            string count = Sum(Enumerable.Range(0, n).Select(k => $"(top{k} & {v.One})"));
            w.Line($"double others = {DoubleSum(Enumerable.Range(0, n).Select(k => Counted(k, v.AndNot(v.ExpNoOverflow($"x{k} - shift"), $"top{k}"))))};");
            w.Line($"{T} logSum = {v.Splat($"{cast}Reductions.LogOfSum(others, Reductions.Sum({count}))")}; // exact near 0");
            for (int k = 0; k < n; k++) w.Line(Store($"(x{k} - shift) - logSum", k));
        }
        else
        {
            for (int k = 0; k < n; k++) w.Line($"{T} e{k} = {v.ExpOfDifference($"x{k}", "shift")};");
            w.Line($"double sum = {DoubleSum(Enumerable.Range(0, n).Select(k => Counted(k, $"e{k}")))}; // added pairwise in float{(SumsInRuns ? $", {MaxVectors} vectors at a time," : ",")} then in double");
            w.Line($"{T} factor = {v.Splat($"{cast}(1.0 / sum)")};");
            w.Line(v.FloorOfSumDeclaration("floor", "sum"));
            for (int k = 0; k < n; k++) w.Line(Store(VectorCode.Scale($"e{k}", "factor", "floor"), k));
        }
        rest?.Dispose();
    }

    // A balanced sum: (a + b) + (c + d) ...
    private static string Sum(IEnumerable<string> terms) => VectorCode.Balanced(terms, (a, b) => $"({a} + {b})");

    // The row's sum in double: float vectors added pairwise in runs of at most MaxVectors, each run folded into double (a
    // float sum of 16 vectors, one level deeper, took [12, 128, 128] with -inf inputs to 4.08 ULP, bound 4); double
    // vectors added pairwise (FoldToDouble leaves them as they are).
    private bool SumsInRuns => Lanes.Element == "float" && Vectors > MaxVectors;

    private string DoubleSum(IEnumerable<string> terms)
    {
        var list = terms.ToList();
        if (!SumsInRuns) return $"Reductions.Sum(Reductions.FoldToDouble({Sum(list)}))";
        var runs = new List<string>();
        for (int at = 0; at < list.Count; at += MaxVectors)
        {
            runs.Add($"Reductions.FoldToDouble({Sum(list.Skip(at).Take(MaxVectors))})");
        }
        return $"Reductions.Sum({Sum(runs)})";
    }
}
