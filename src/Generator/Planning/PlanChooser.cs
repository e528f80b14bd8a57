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
            ChoosePath(tensor, Lanes.For("Vector256", spec.Element)),
            ChoosePath(tensor, Lanes.For("Vector128", spec.Element)),
            ChoosePath(tensor, Lanes.For("scalar", spec.Element)));
    }

    private static PathPlan ChoosePath(TensorFacts tensor, Lanes lanes)
    {
        if (tensor.IsLastAxis && tensor.Length >= lanes.Count)
        {
            return new ContiguousRowsPlan(tensor, lanes);
        }
        return new RuntimeKernelPlan(tensor, lanes);
    }
}
