using System.Collections.Generic;
using KernelGen.Generator.Model;
using KernelGen.Generator.Plans;

namespace KernelGen.Generator.Planning;

/// <summary>
/// Every plan that can serve a layout on one vector width, for the plan sweep (benchmarks/KernelGen.PlanSweep), which
/// measures them against each other and against the alternatives; <see cref="PlanChooser"/>'s thresholds come from
/// its results. Not used by the generator itself.
/// </summary>
internal static class PlanCandidates
{
    /// <summary>One candidate: a name for the results, and the kernel's plan with the candidate in the path that runs.</summary>
    public sealed record Candidate(string Name, KernelPlan Plan);

    /// <summary>
    /// The candidates for a machine whose widest accelerated vector is <paramref name="widest"/>: on Vector512, every plan
    /// with a Vector512 form in the Vector512 path, and every plan at 8 float lanes in the Vector256 path with no Vector512
    /// path (as a kernel whose plan has no Vector512 form runs); on Vector256, every plan in the Vector256 path. The other
    /// paths are the chooser's.
    /// </summary>
    public static List<Candidate> For(KernelSpec spec, string widest)
    {
        KernelPlan chosen = PlanChooser.Choose(spec);
        TensorFacts tensor = chosen.Tensor;
        var result = new List<Candidate>();
        foreach (string vector in widest == "Vector512" ? new[] { "Vector512", "Vector256" } : new[] { "Vector256" })
        {
            Lanes lanes = Lanes.For(vector, spec.Element);
            foreach (PathPlan plan in Plans(tensor, lanes))
            {
                if (vector == "Vector512" && !PlanChooser.HasVector512Form(plan)) continue;
                KernelPlan kernel = vector == "Vector512"
                    ? chosen with { Vector512 = plan, Vector512Reason = "" }
                    : chosen with { Vector512 = null, Vector512Reason = "the plan sweep measures the Vector256 form", Vector256 = plan };
                result.Add(new Candidate($"{plan.Name} ({vector})", kernel));
            }
        }
        // Layouts narrower than a Vector256 but at least a Vector128 wide: one row, or a run of columns, per Vector128, with
        // no Vector256 path (AVX2 and AVX-512 hardware then run the Vector128 one).
        Lanes narrow = Lanes.For("Vector128", spec.Element), wide = Lanes.For("Vector256", spec.Element);
        int span = tensor.IsLastAxis ? tensor.Length : tensor.Inner;
        if (!tensor.IsCausal && span >= narrow.Count && span < wide.Count)
        {
            PathPlan plan = tensor.IsLastAxis ? new RegisterRowsPlan(tensor, narrow) : new ColumnsPlan(tensor, narrow);
            result.Add(new Candidate($"{plan.Name} (Vector128)", chosen with
            {
                Vector512 = null, Vector512Reason = "the plan sweep measures the Vector128 form",
                Vector256 = null, Vector256Reason = "the plan sweep measures the Vector128 form",
                Vector128 = plan,
            }));
        }
        return result;
    }

    private static IEnumerable<PathPlan> Plans(TensorFacts tensor, Lanes lanes)
    {
        int c = lanes.Count;
        if (tensor.IsCausal)
        {
            yield return new CausalRowsPlan(tensor, lanes);
            yield break;
        }
        if (tensor.IsLastAxis)
        {
            if (TransposedRowsPlan.Serves(tensor, lanes)) yield return new TransposedRowsPlan(tensor, lanes);
            if (tensor.Length < c)
            {
                yield return new ShortRowsPlan(tensor, lanes);
                yield return new RegisterRowsPlan(tensor, lanes);
                yield break;
            }
            if (tensor.Length <= 2 * RegisterRowsPlan.MaxVectors * c)
            {
                yield return new RegisterRowsPlan(tensor, lanes);
            }
            yield return new CachedRowsPlan(tensor, lanes);
            yield break;
        }
        if (PackedColumnsPlan.Serves(tensor, lanes)) yield return new PackedColumnsPlan(tensor, lanes);
        if (tensor.Inner >= c)
        {
            yield return new ColumnsPlan(tensor, lanes);
            if (tensor.Inner >= 2 * c) yield return new WideColumnsPlan(tensor, lanes);
            yield break;
        }
        yield return new NarrowColumnsPlan(tensor, lanes);
        var tiny = new TinySlabsPlan(tensor, lanes);
        if (tiny.Vectors <= TinySlabsPlan.MaxVectorsPlainWholeGroups)
        {
            yield return tiny;
        }
    }
}
