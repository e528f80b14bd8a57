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
    /// Rows of at most this many vectors are kept in registers, from the plan sweep (Xeon, 2026-11-30): float on
    /// Vector512, 8 (rows of 128 as fast in registers as in cache); float on Vector256, 8 as well once the exp's constants
    /// on a path with 16 registers came from memory instead of spilling (full grid, 18:56 UTC: rows of 41 to 64 1.16x to
    /// 1.44x faster in registers than in cache at all 103 points; rows of 100 to 128, 13 to 16 vectors, within 0.95x to
    /// 1.06x, so kept in cache); float on Vector128, 5 (not swept; the earlier Vector256 limit, set when the constants
    /// spilled); double, 16, its exp costing more than a second read of the row (Vector512: [256, 128] 43.5 against
    /// 56.7 us in cache; Vector256: rows of 64 as fast, rows of 16 to 48 1.05x to 1.2x faster).
    /// </summary>
    public static int MaxVectorsFor(Model.ElementKind element, Lanes lanes) =>
        element == Model.ElementKind.Double ? 2 * MaxVectors : lanes.Vector == "Vector128" ? 5 : MaxVectors;

    private int Vectors => (Tensor.Length + Lanes.Count - 1) / Lanes.Count;
    private int TailLanes => Partial ? 0 : Tensor.Length % Lanes.Count;

    /// <summary>Rows shorter than a vector: each is read into the first lanes of one (<c>Lanes.LoadFirst</c>), the others masked.</summary>
    public bool Partial => Tensor.Length < Lanes.Count;

    public override string Name => "rows in registers";

    public override int GroupElements => Tensor.Length;

    public override string DescribeGroup()
    {
        if (Partial)
        {
            return $"{Tensor.RowsText} rows of {Tensor.Length}: each row read into the first {Tensor.Length} lanes of one vector of {Lanes.Count} (Lanes.LoadFirst, which reads nothing past the row), the other lanes masked out of the max and the sum; max, exp, sum and scale in registers; written back with Lanes.StoreFirst";
        }
        string tail = TailLanes == 0 ? "" : $" (the last one at element {Tensor.Length - Lanes.Count}, overlapping the one before it; a constant mask keeps its last {TailLanes} lanes in the sum)";
        return $"{Tensor.RowsText} rows of {Tensor.Length}: each row read once into {Vectors} vectors of {Lanes.Count}{tail}; max, exp, sum and scale in registers, fully unrolled; written once";
    }

    public override void WriteGroup(CodeWriter w, string x, string y, string offset, int freshFrom, int available)
    {
        var v = new VectorCode(Lanes);
        int c = Lanes.Count, n = Vectors;
        string At(int k)
        {
            int element = Partial ? 0 : k == n - 1 ? Tensor.Length - c : k * c;
            return int.TryParse(offset, out int start) ? $"{start + element}" : element == 0 ? offset : $"{offset} + {element}";
        }
        string T = v.Type;
        string Store(string value, int k) => Partial ? v.StoreFirst(value, y, At(k), Tensor.Length) : v.Store(value, y, At(k));
        if (Partial)
        {
            w.Line($"{T} x0 = {Tensor.Scaled(v.LoadFirst(x, offset, Tensor.Length))};");
            w.Line($"{T} fresh = {v.Mask(Enumerable.Range(0, c).Select(j => j < Tensor.Length).ToArray())}; // the row's lanes");
        }
        else
        {
            w.Line($"{T} {string.Join(", ", Enumerable.Range(0, n).Select(k => $"x{k} = {Tensor.Scaled(v.Load(x, At(k)))}"))};");
        }
        string tree = Partial ? v.Select("fresh", "x0", v.NegativeInfinity) : "x0";
        for (int k = 1; k < n; k++) tree = v.RowMax(Tensor.ZeroMaskedRows, tree, $"x{k}");
        CodeWriter.Scope? rest = null;
        if (Tensor.ZeroMaskedRows)
        {
            w.Line($"{T} lanesMax = {tree}; // NaN-propagating, so only a row of -inf (not one with a NaN) becomes zeros");
            w.Line($"{T} shift = {v.Splat("Reductions.Max(lanesMax)")};");
            using (w.Block($"if (shift.ToScalar() == {Lanes.Element}.NegativeInfinity && {v.Type.Split('<')[0]}.EqualsAll(lanesMax, lanesMax))"))
            {
                for (int k = 0; k < n; k++) w.Line(Store(v.Zero, k) + (k == 0 ? " // MaskedRows = Zero: a row of -inf gives zeros" : ""));
            }
            rest = w.Block("else");
        }
        else
        {
            w.Line($"{T} shift = {v.Splat($"Reductions.Max({tree})")}; // the row max (a NaN makes the sum, and so the row, NaN)");
        }
        string fresh = TailLanes == 0 ? "" : v.TailMask(c - TailLanes);
        string Counted(int k, string value) => k == n - 1 && (TailLanes > 0 || Partial) ? $"({value} & fresh)" : value;
        if (TailLanes > 0) w.Line($"{T} fresh = {fresh}; // the lanes of the last vector not in the one before it");
        string cast = Lanes.Element == "float" ? "(float)" : "";
        if (Tensor.IsLog)
        {
            for (int k = 0; k < n; k++) w.Line($"{T} top{k} = {Counted(k, v.Equals($"x{k}", "shift"))}; // the maxima: exp exactly 1, counted apart");
            string others = Tree(Enumerable.Range(0, n).Select(k => Counted(k, v.AndNot(v.ExpNoOverflow($"x{k} - shift"), $"top{k}"))).ToList());
            string count = Tree(Enumerable.Range(0, n).Select(k => $"(top{k} & {v.One})").ToList());
            w.Line($"double others = Reductions.Sum(Reductions.FoldToDouble({others}));");
            w.Line($"{T} logSum = {v.Splat($"{cast}Reductions.LogOfSum(others, Reductions.Sum({count}))")}; // exact near 0");
            for (int k = 0; k < n; k++) w.Line(Store($"(x{k} - shift) - logSum", k));
        }
        else
        {
            for (int k = 0; k < n; k++) w.Line($"{T} e{k} = {v.ExpOfDifference($"x{k}", "shift")};");
            string sum = Tree(Enumerable.Range(0, n).Select(k => Counted(k, $"e{k}")).ToList());
            w.Line($"double sum = Reductions.Sum(Reductions.FoldToDouble({sum})); // added pairwise in float, then in double");
            w.Line($"{T} factor = {v.Splat($"{cast}(1.0 / sum)")};");
            w.Line(v.FloorOfSumDeclaration("floor", "sum"));
            for (int k = 0; k < n; k++) w.Line(Store(VectorCode.Scale($"e{k}", "factor", "floor"), k));
        }
        rest?.Dispose();
    }

    // A balanced sum: (a + b) + (c + d) ...
    private static string Tree(System.Collections.Generic.List<string> items)
    {
        while (items.Count > 1)
        {
            var next = new System.Collections.Generic.List<string>();
            for (int i = 0; i + 1 < items.Count; i += 2) next.Add($"({items[i]} + {items[i + 1]})");
            if (items.Count % 2 == 1) next.Add(items[items.Count - 1]);
            items = next;
        }
        return items[0];
    }
}
