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

    // Plans that transpose groups of rows or slabs across the lanes (short rows, tiny slabs, narrow columns, straight-line
    // code) are written with constant shuffles for at most 8 lanes; at 16 lanes their groups would double and their
    // shuffles cross 128-bit lanes. Those layouts run the Vector256 path on AVX-512 hardware.
    private static bool HasVector512Form(PathPlan plan) => plan switch
    {
        CachedRowsPlan or RegisterRowsPlan or ColumnsPlan or WideColumnsPlan or CausalRowsPlan => true,
        StraightLinePlan straight => HasVector512Form(straight.Inner),
        _ => false,
    };

    private static string Vector512Reason(TensorFacts tensor, PathPlan widest)
    {
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
            if (tensor.Length < c) return Unrolled(new ShortRowsPlan(tensor, lanes));
            if (tensor.Length <= RegisterRowsPlan.MaxVectors * c) return Unrolled(new RegisterRowsPlan(tensor, lanes));
            return new CachedRowsPlan(tensor, lanes);
        }
        if (tensor.Inner >= WideColumnsPlan.MinVectors * c) return new WideColumnsPlan(tensor, lanes);
        if (tensor.Inner >= c) return new ColumnsPlan(tensor, lanes);
        var narrow = new NarrowColumnsPlan(tensor, lanes);
        if (tensor.Length * tensor.Inner >= narrow.Q) return narrow;
        var tiny = new TinySlabsPlan(tensor, lanes);
        return tiny.Vectors <= TinySlabsPlan.MaxVectors ? Unrolled(tiny) : narrow;
    }

    // A tensor of a few groups is written as straight-line code.
    private static PathPlan Unrolled(RowGroupPlan plan) =>
        !plan.Tensor.RuntimeCount && StraightLinePlan.Fits(plan) ? new StraightLinePlan(plan.Tensor, plan.Lanes, plan) : plan;
}
