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

    public static IEnumerable<object[]> KernelsWithVector512Paths => DeclaredKernels.All
        .Where(k => GeneratedPaths.Find(k.Name, "Vector512Path") is not null)
        .Select(k => new object[] { k.Name });

    /// <summary>
    /// The Vector512 path of every kernel that has one, called directly: on a machine without AVX-512 in software, so
    /// that both kinds of machine execute it; the other paths are reached by .ci/run's reruns with AVX-512, AVX2 and
    /// all SIMD turned off.
    /// </summary>
    [Theory]
    [MemberData(nameof(KernelsWithVector512Paths))]
    public void Vector512_path_matches_the_float64_reference(string name)
    {
        DeclaredKernel kernel = Get(name);
        System.Reflection.MethodInfo path = GeneratedPaths.Find(name, "Vector512Path")!;
        foreach (int batch in kernel.Shape[0] == -1 ? new[] { 1, 3 } : new[] { 0 })
        {
            int[] shape = batch == 0 ? kernel.Shape : [batch, .. kernel.Shape[1..]];
            MatchesReference(kernel, shape, $"{name} (Vector512 path){(batch == 0 ? "" : $" with {batch} leading slices")}",
                input => GeneratedPaths.Run(path, kernel, input), input => GeneratedPaths.Run(path, kernel, input));
        }
    }

    [Fact]
    public void Long_rows_and_wide_columns_have_a_Vector512_path()
    {
        foreach (string name in new[] { "Softmax_1x50257_axism1_float", "Softmax_12x128x128_axis2_float", "Softmax_64x512_axis0_float", "Softmax_3x40_axism1_float", "Softmax_nx3x50_axism1_float_parallel" })
        {
            Assert.NotNull(GeneratedPaths.Find(name, "Vector512Path"));
        }
        Assert.Null(GeneratedPaths.Find("Softmax_3x3_axism1_float", "Vector512Path")); // rows of 3 run the Vector256 path
    }

    private static void MatchesReference(DeclaredKernel kernel, int[] shape, string name) =>
        MatchesReference(kernel, shape, name, kernel.Run, kernel.Run);

    private static void MatchesReference(DeclaredKernel kernel, int[] shape, string name, Func<float[], float[]> runFloat, Func<double[], double[]> runDouble)
    {
        int count = Reference.Count(shape);
        foreach ((string data, float[] input) in TestData.Cases(count, seed: count + kernel.Axis))
        {
            string context = $"{name}, {data}";
            if (kernel.IsFloat)
            {
                float[] output = runFloat(input);
                double[] expected = Reference.ForFloatKernel(input, shape, kernel.Axis, kernel.IsLog);
                Tolerance.AssertUlps(expected, output, maxUlps: 4, context);
                // Softmax results below the normal range are 0, never subnormal.
                if (!kernel.IsLog) Assert.DoesNotContain(output, v => v != 0 && Math.Abs(v) < Lanes.SmallestNormalFloat);
            }
            else
            {
                double[] wide = Tolerance.Widen(input);
                double[] output = runDouble(wide);
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
