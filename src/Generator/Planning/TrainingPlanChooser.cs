using KernelGen.Generator.Model;
using KernelGen.Generator.Plans;

namespace KernelGen.Generator.Planning;

/// <summary>Chooses a training kernel's plan from its compile-time shape, axis and options.</summary>
internal static class TrainingPlanChooser
{
    public static TrainingPlan Choose(KernelSpec spec)
    {
        TensorFacts tensor = TensorFacts.From(spec);
        return spec.Operation switch
        {
            KernelOperation.CrossEntropy => new CrossEntropyRowsPlan(tensor, spec.Options.IgnoreIndex, WithGradient: false),
            KernelOperation.CrossEntropyWithGradient => new CrossEntropyRowsPlan(tensor, spec.Options.IgnoreIndex, WithGradient: true),
            _ when tensor.IsCausal => new CausalGradientRowsPlan(tensor),
            _ when tensor.IsLastAxis => new GradientRowsPlan(tensor),
            _ => new GradientColumnsPlan(tensor),
        };
    }
}
