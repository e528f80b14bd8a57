using KernelGen.Generator.Model;
using KernelGen.Generator.Plans;

namespace KernelGen.Generator.Planning;

/// <summary>Chooses each hardware path's plan from the compile-time shape and axis.</summary>
internal static class PlanChooser
{
    public static KernelPlan Choose(KernelSpec spec)
    {
        TensorFacts tensor = TensorFacts.From(spec);
        PathPlan scalar = tensor.IsCausal ? new CausalRowsPlan(tensor, Lanes.For("scalar", spec.Element)) : new ScalarLoopsPlan(tensor, Lanes.For("scalar", spec.Element));
        PathPlan vector128 = ChooseVector(tensor, Lanes.For("Vector128", spec.Element));
        if (Vector128Reason(tensor, Lanes.For("Vector256", spec.Element), Lanes.For("Vector128", spec.Element)) is { } reason)
        {
            return new KernelPlan(tensor, null, "AVX-512 hardware runs the Vector128 path, for the reason given for the Vector256 path", null, vector128, scalar) { Vector256Reason = reason };
        }
        PathPlan widest = ChooseVector(tensor, Lanes.For("Vector512", spec.Element));
        PathPlan vector256 = ChooseVector(tensor, Lanes.For("Vector256", spec.Element));
        bool ownVector512 = HasVector512Form(widest);
        return new KernelPlan(
            tensor,
            ownVector512 ? widest : null,
            ownVector512 ? "" : Vector512Reason(tensor, widest, vector256),
            vector256,
            vector128,
            scalar);
    }

    // Layouts that one Vector128 spans and a Vector256 does not, where the Vector128 plan beat every Vector256 one in the
    // plan sweep (2026-11-30, Xeon with AVX-512, float): a few rows of exactly one Vector128 ([1, 4] 10 against 14 ns,
    // [2, 4] 20 against 29), and columns of 4 to 7 floats along an axis of at most 16 whose tiny-slab group would exceed
    // 16 vectors ([2, 7, 5] axis 1: 251 against 537 ns; [2, 4, 7]: 158 against 461). Null where the Vector256 path keeps
    // its own plan; otherwise why AVX2 and AVX-512 hardware run the Vector128 path.
    private static string? Vector128Reason(TensorFacts tensor, Lanes wide, Lanes narrow)
    {
        // Double: the BCL's Vector128<double> exp, which VectorMath forwards to, ran 10 to 14x slower than the scalar loop
        // on these layouts in the sweep ([2, 8, 3] axis 1: 5967 against 404 ns), so double keeps its Vector256 plans.
        if (tensor.IsCausal || tensor.ElementKind != ElementKind.Float) return null;
        if (tensor.IsLastAxis)
        {
            return !tensor.RuntimeCount && tensor.Length == narrow.Count && tensor.Rows < wide.Count
                ? $"rows of {tensor.Length} fill one Vector128 exactly, and {tensor.RowsText} of them ran faster one per Vector128 than in a Vector256 (plan sweep, Xeon with AVX-512: [1, 4] 10 against 14 ns), so AVX2 and AVX-512 hardware run the Vector128 path"
                : null;
        }
        // Columns whose period is 7 vectors (7 floats) kept the lead up to axes of 31 ([2, 31, 7]: 840 against 1078 ns).
        int period = tensor.Inner / NarrowColumnsPlan.Gcd(tensor.Inner, wide.Count);
        bool columns = tensor.Inner >= narrow.Count && tensor.Inner < wide.Count && tensor.Length < (period >= 7 ? 32 : 16)
            && (tensor.Length > 16 || new TinySlabsPlan(tensor, wide).Vectors > 16);
        return columns
            ? $"columns of {tensor.Inner} are narrower than a Vector256 of {wide.Count}, and runs of them across a Vector128 ran faster than the plans that transpose them across a Vector256 (plan sweep, Xeon with AVX-512: [2, 7, 5] axis 1, 251 against 537 ns), so AVX2 and AVX-512 hardware run the Vector128 path"
            : null;
    }

    // Plans that transpose groups of rows or slabs across the lanes (short rows, tiny slabs, narrow columns) are written
    // with constant shuffles for at most 8 lanes; at 16 lanes their groups would double and their shuffles cross 128-bit
    // lanes. Those layouts run the Vector256 path on AVX-512 hardware. Every plan that has a Vector512 form takes it: columns
    // of 17 to 39 floats, once kept to 8 lanes, ran 1.03x to 1.66x faster at 16 in the plan sweep of 2026-11-30 (Xeon with
    // AVX-512, axes of 2 to 64: [2, 31, 25] axis 1 1.48x; 5 of 253 points at 0.91x to 0.98x, all within the run's noise).
    internal static bool HasVector512Form(PathPlan plan) => plan switch
    {
        RegisterRowsPlan registers => !registers.Partial,
        ColumnsPlan or CachedRowsPlan or WideColumnsPlan or CausalRowsPlan or TransposedRowsPlan => true,
        _ => false,
    };

    private static string Vector512Reason(TensorFacts tensor, PathPlan widest, PathPlan vector256)
    {
        if (vector256 is TransposedRowsPlan)
        {
            return $"rows of {tensor.Length} ran faster 8 at a time through an 8 x 8 transpose than 16 at a time through a 16 x 16 one (interleaved A/B, Xeon with AVX-512: [256, 7] 1913 against 2287 ns), so AVX-512 hardware runs the Vector256 path";
        }
        if (widest is RegisterRowsPlan && TransposedRowsPlan.Serves(tensor, widest.Lanes) && tensor.Length > 8)
        {
            return $"the {tensor.RowsText} rows of {tensor.Length} are fewer than the group of {widest.Lanes.Count} rows that the Vector512 path transposes, so AVX-512 hardware runs the Vector256 path";
        }
        if (widest is RegisterRowsPlan)
        {
            return $"rows of {tensor.Length} are shorter than a Vector512 of {widest.Lanes.Count}, and one such row per partial vector measured faster on Vector256 than on Vector512 (plan sweep, Xeon with AVX-512, float: [1, 7] 16 against 23 ns), so AVX-512 hardware runs the Vector256 path";
        }
        string what = tensor.IsLastAxis
            ? $"rows of {tensor.Length} are shorter than a Vector512 of {widest.Lanes.Count}"
            : $"an inner dimension of {tensor.Inner} is narrower than a Vector512 of {widest.Lanes.Count}";
        return $"{what}, and the plan that would serve them ({widest.Name}) transposes groups across at most 8 lanes, so AVX-512 hardware runs the Vector256 path";
    }

    private static PathPlan ChooseVector(TensorFacts tensor, Lanes lanes)
    {
        int c = lanes.Count;
        if (tensor.IsCausal) return new CausalRowsPlan(tensor, lanes);
        if (tensor.IsLastAxis)
        {
            // Float rows of 4 to 8 go 8 at a time through an 8 x 8 transpose on the Vector256 path, rows of 9 to 16 go 16 at a
            // time through a 16 x 16 transpose on the Vector512 path, where the tensor has a group of rows (interleaved A/B on
            // the Xeon, 2026-11-30). Rows of 4 to 7 against the transpose by constant permutes and blends, rows of 8 against
            // rows in registers: [32, 7] 1.47x (AVX-512) and 1.90x (AVX2) faster, [256, 8] 1.56x, [256, 4] 1.05x to 1.25x;
            // rows of 3 kept the permute plan (0.84x to 1.06x). Rows of 9 to 16 against rows in registers: [256, 10] 1.70x,
            // [256, 12] 1.57x, [32, 15] 1.32x, [256, 16] 1.21x, [35, 9] 1.04x; in two 8 x 8 transposes on Vector256 they lost
            // (0.62x to 0.85x), and rows of 4 to 8 lost at 16 lanes (0.68x to 0.85x).
            if (TransposedRowsPlan.Serves(tensor, lanes) && (tensor.RuntimeCount || tensor.Rows >= c)
                && (c == 8 ? tensor.Length is >= 4 and <= 8 : tensor.Length is >= 9 and <= 16))
            {
                return new TransposedRowsPlan(tensor, lanes);
            }
            if (tensor.Length < c) return FewShortRows(tensor, lanes) ? new RegisterRowsPlan(tensor, lanes) : new ShortRowsPlan(tensor, lanes);
            if (tensor.Length <= RegisterRowsPlan.MaxVectorsFor(tensor.ElementKind, lanes) * c) return new RegisterRowsPlan(tensor, lanes);
            return new CachedRowsPlan(tensor, lanes);
        }
        // Columns of at least a vector: ColumnsPlan. WideColumnsPlan (blocks swept row by row) measured faster on AMD Zen 3
        // for [64, 512] axis 0 when it was written, but slower than ColumnsPlan for float at every point of the plan sweep
        // on the Xeon with AVX-512 (2026-11-30; [2, 64, 512] axis 1: 49 against 65 us on Vector512); it serves double only,
        // where the full grid measured it faster:
        // Double, 512 columns or more along an axis of 30 or more: WideColumnsPlan, 1.03x to 1.30x faster than ColumnsPlan
        // in the full-grid sweep of 2026-11-30 18:56 UTC ([2, 60, 512] axis 1: 1.13x on Vector512, 1.30x on Vector256),
        // where ColumnsPlan had been 0.85x to 0.88x of Kernels.Softmax's column kernel, which sweeps its blocks the same way.
        if (tensor.Inner >= c && tensor.ElementKind == ElementKind.Double && tensor.Inner >= 512 && tensor.Length >= 30) return new WideColumnsPlan(tensor, lanes);
        if (tensor.Inner >= c) return new ColumnsPlan(tensor, lanes);
        // Narrower columns: the tiny-slab transpose while its group is at most TinySlabsPlan.MaxVectors (21) vectors and the
        // axis at most 16 long (it won at such points of the sweep by 1.2x to 17x: [2, 2, 4] axis 1, 23 against 166 ns;
        // [2, 7, 3], 21 vectors, 147 against 207; [2, 16, 4], 114 against 238; past them, [2, 8, 3], [2, 8, 6], [2, 31, 4],
        // the period plan won by 1.3x to 1.5x). Columns of 4 to 7 floats whose group exceeds 16 vectors run across a
        // Vector128 instead (Vector128Reason).
        var tiny = new TinySlabsPlan(tensor, lanes);
        return tiny.Vectors <= TinySlabsPlan.MaxVectors && tensor.Length <= 16 ? tiny : new NarrowColumnsPlan(tensor, lanes);
    }

    // Rows shorter than a vector, fewer than a group of them (a tensor such as [1, 7] or [3, 5]): one row per vector,
    // read and written with Lanes.LoadFirst/StoreFirst, beats transposing a group that is mostly empty, except for rows
    // of 1 and 2 (no exp, one exp per row) and 3 or more rows of 3 or 4. Plan sweep of 2026-11-30
    // (benchmarks/results/plan-sweep/xeon-avx512), Vector256, float, ns per call: [1, 7] 16 against 72, [3, 5] 42 against
    // 53, [3, 4] 44 against 41, [3, 3] 43 against 33, [1, 2] 15 against 10.
    private static bool FewShortRows(TensorFacts tensor, Lanes lanes) =>
        !tensor.RuntimeCount && tensor.Rows < lanes.Count && tensor.Length >= 3 && (tensor.Rows <= 2 || tensor.Length >= 5);
}
