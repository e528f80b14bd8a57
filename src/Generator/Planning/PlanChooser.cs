using KernelGen.Generator.Model;
using KernelGen.Generator.Plans;

namespace KernelGen.Generator.Planning;

/// <summary>Chooses each hardware path's plan from the compile-time shape and axis.</summary>
internal static class PlanChooser
{
    public static KernelPlan Choose(KernelSpec spec)
    {
        TensorFacts tensor = TensorFacts.From(spec);
        PathPlan widest = ChooseVector(tensor, Lanes.For("Vector512", spec.Element));
        bool ownVector512 = HasVector512Form(widest);
        return new KernelPlan(
            tensor,
            ownVector512 ? widest : null,
            ownVector512 ? "" : Vector512Reason(tensor, widest),
            ChooseVector(tensor, Lanes.For("Vector256", spec.Element)),
            ChooseVector(tensor, Lanes.For("Vector128", spec.Element)),
            tensor.IsCausal ? new CausalRowsPlan(tensor, Lanes.For("scalar", spec.Element)) : new ScalarLoopsPlan(tensor, Lanes.For("scalar", spec.Element)));
    }

    // Plans that transpose groups of rows or slabs across the lanes (short rows, tiny slabs, narrow columns) are written
    // with constant shuffles for at most 8 lanes; at 16 lanes their groups would double and their shuffles cross 128-bit
    // lanes. Those layouts run the Vector256 path on AVX-512 hardware.
    internal static bool HasVector512Form(PathPlan plan) => plan switch
    {
        RegisterRowsPlan registers => !registers.Partial,
        CachedRowsPlan or ColumnsPlan or WideColumnsPlan or CausalRowsPlan => true,
        _ => false,
    };

    private static string Vector512Reason(TensorFacts tensor, PathPlan widest)
    {
        if (widest is RegisterRowsPlan)
        {
            return $"rows of {tensor.Length} fill less than half a Vector512 of {widest.Lanes.Count}, and one such row per Vector256 measured faster than one per Vector512 (plan sweep, Xeon with AVX-512: [1, 7] 16 against 23 ns), so AVX-512 hardware runs the Vector256 path";
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
            if (tensor.Length < c) return FewShortRows(tensor, lanes) ? new RegisterRowsPlan(tensor, lanes) : new ShortRowsPlan(tensor, lanes);
            if (tensor.Length <= RegisterRowsPlan.MaxVectors * c) return new RegisterRowsPlan(tensor, lanes);
            return new CachedRowsPlan(tensor, lanes);
        }
        // Columns of at least a vector: ColumnsPlan. WideColumnsPlan (blocks swept row by row) measured faster on AMD Zen 3
        // for [64, 512] axis 0 when it was written, but slower than ColumnsPlan at every point of the plan sweep on the
        // Xeon with AVX-512 (2026-11-30; [2, 64, 512] axis 1: 49 against 65 us on Vector512), so it is a sweep candidate
        // only until a sweep on AMD says otherwise.
        if (tensor.Inner >= c) return new ColumnsPlan(tensor, lanes);
        // Narrower columns: the tiny-slab transpose while its group is at most TinySlabsPlan.MaxVectors vectors and the
        // axis shorter than 16 (it won at every such point of the sweep, by 1.2x to 17x: [2, 2, 4] axis 1, 23 against 166
        // ns; past that, [2, 8, 3], [2, 8, 6], [2, 16, 2], [2, 31, 4], the period plan won by 1.3x to 2.7x).
        var tiny = new TinySlabsPlan(tensor, lanes);
        return tiny.Vectors <= TinySlabsPlan.MaxVectors && tensor.Length < 16 ? tiny : new NarrowColumnsPlan(tensor, lanes);
    }

    // Rows shorter than a vector, fewer than a group of them (a tensor such as [1, 7] or [3, 5]): one row per vector,
    // read and written with Lanes.LoadFirst/StoreFirst, beats transposing a group that is mostly empty, except for 2 to 4
    // rows of 2 to 4. Plan sweep of 2026-11-30 (benchmarks/results/plan-sweep/xeon-avx512), Vector256, float, ns per call:
    // [1, 7] 16 against 72, [3, 5] 42 against 53, [3, 4] 44 against 41, [3, 3] 43 against 33.
    private static bool FewShortRows(TensorFacts tensor, Lanes lanes) =>
        !tensor.RuntimeCount && tensor.Rows < lanes.Count && (tensor.Rows == 1 || tensor.Length >= 5);
}
