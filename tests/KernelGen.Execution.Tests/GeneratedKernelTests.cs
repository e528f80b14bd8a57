using System;
using System.Collections.Generic;
using System.Linq;
using KernelGen.Tests;

namespace KernelGen.Execution.Tests;

/// <summary>
/// Every declared kernel (DeclaredKernels.g.cs) run on random data, on rows near 1000, with -inf entries and
/// with one NaN, against the float64 reference. .ci/run repeats these on the Vector128 and scalar paths.
/// </summary>
public class GeneratedKernelTests
{
    public static IEnumerable<object[]> Kernels => DeclaredKernels.All.Select(k => new object[] { k.Name });

    private static DeclaredKernel Get(string name) => DeclaredKernels.All.Single(k => k.Name == name);

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Generated_kernel_matches_the_float64_reference(string name)
    {
        DeclaredKernel kernel = Get(name);
        // A leading -1 takes any number of leading slices: try one, a few and several.
        foreach (int batch in kernel.Shape[0] == -1 ? new[] { 1, 3, 10 } : new[] { 0 })
        {
            int[] shape = batch == 0 ? kernel.Shape : [batch, .. kernel.Shape[1..]];
            MatchesReference(kernel, shape, batch == 0 ? name : $"{name} with {batch} leading slices");
        }
    }

    private static void MatchesReference(DeclaredKernel kernel, int[] shape, string name)
    {
        int count = Reference.Count(shape);
        foreach ((string data, float[] input) in TestData.Cases(count, seed: count + kernel.Axis))
        {
            string context = $"{name}, {data}";
            if (kernel.IsFloat)
            {
                float[] output = kernel.Run(input);
                double[] expected = Reference.ForFloatKernel(input, shape, kernel.Axis, kernel.IsLog);
                Tolerance.AssertUlps(expected, output, maxUlps: 4, context);
            }
            else
            {
                double[] wide = Tolerance.Widen(input);
                double[] output = kernel.Run(wide);
                double[] expected = Reference.Softmax(wide, shape, kernel.Axis, kernel.IsLog);
                Tolerance.AssertClose(expected, output, relative: 1e-13, absoluteBelow: 1e-300, context);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Generated_kernel_agrees_with_the_generic_kernel(string name)
    {
        DeclaredKernel kernel = Get(name);
        if (!kernel.IsFloat) return;
        int[] shape = kernel.Shape[0] == -1 ? [5, .. kernel.Shape[1..]] : kernel.Shape;
        int count = Reference.Count(shape);
        float[] input = TestData.Normal(count, 20, seed: 3 * count + 1);
        float[] generated = kernel.Run(input);
        var generic = new float[count];
        if (kernel.IsLog) KernelGen.Kernels.LogSoftmax(input, generic, shape, kernel.Axis);
        else KernelGen.Kernels.Softmax(input, generic, shape, kernel.Axis);
        for (int i = 0; i < count; i++)
        {
            double tolerance = 4 * Tolerance.Ulp(Math.Max(Math.Abs(generated[i]), Math.Abs(generic[i]))) + 1e-30;
            Assert.True(Math.Abs(generated[i] - generic[i]) <= tolerance, $"{name}: element {i}: generated {generated[i]:R}, generic {generic[i]:R}");
        }
    }
}
