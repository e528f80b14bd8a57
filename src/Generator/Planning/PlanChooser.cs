using KernelGen.Generator.Model;
using KernelGen.Generator.Plans;

namespace KernelGen.Generator.Planning;

/// <summary>Chooses each hardware path's plan from the compile-time shape and axis.</summary>
internal static class PlanChooser
{
    public static KernelPlan Choose(KernelSpec spec)
    {
        TensorFacts tensor = TensorFacts.From(spec);
        return new KernelPlan(
            tensor,
            ChooseVector(tensor, Lanes.For("Vector256", spec.Element)),
            ChooseVector(tensor, Lanes.For("Vector128", spec.Element)),
            tensor.IsCausal ? new CausalRowsPlan(tensor, Lanes.For("scalar", spec.Element)) : new ScalarLoopsPlan(tensor, Lanes.For("scalar", spec.Element)));
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
