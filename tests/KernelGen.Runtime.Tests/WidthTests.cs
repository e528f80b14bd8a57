using System;
using System.Collections.Generic;
using System.Runtime.Intrinsics;
using KernelGen.Internal;
using KernelGen.Shared;
using KernelGen.Tests;

namespace KernelGen.Runtime.Tests;

/// <summary>
/// The generic kernels on every width, whatever the hardware: Vector512, Vector256, Vector128 and scalar, each called
/// directly (a width the machine does not accelerate runs in software), against the float64 reference. So the Vector512
/// kernels are executed on machines without AVX-512 too, and the narrower ones on machines with it.
/// </summary>
public class WidthTests
{
    public static IEnumerable<object[]> WidthsShapesAndAxes()
    {
        int[][] shapes = [[3, 3], [5, 17], [3, 33], [2, 100], [1, 1000], [4, 33, 6], [64, 512], [2, 3, 5, 7], [3, 40, 2], [2, 1030], [16, 40], [3, 20, 16]];
        foreach (string width in new[] { "Vector512", "Vector256", "Vector128", "scalar" })
        {
            foreach (int[] shape in shapes)
            {
                for (int axis = 0; axis < shape.Length; axis++) yield return [width, shape, axis];
            }
        }
    }

    [Theory]
    [MemberData(nameof(WidthsShapesAndAxes))]
    public void Every_width_matches_the_float64_reference(string width, int[] shape, int axis)
    {
        Assert.Equal(ShapeProblem.None, ShapeMath.Analyze(shape, axis, allowDynamicLeading: false, out ShapeLayout layout, out _));
        int count = Reference.Count(shape);
        foreach ((string data, float[] input) in TestData.Cases(count, seed: count + axis))
        {
            foreach (bool log in new[] { false, true })
            {
                var output = new float[count];
                Run(width, log, input, output, layout);
                double[] expected = Reference.ForFloatKernel(input, shape, axis, log);
                Tolerance.AssertUlps(expected, output, Bounds.FloatUlps, $"{width} {(log ? "LogSoftmax" : "Softmax")} [{string.Join(", ", shape)}] axis {axis}, {data}");
                // Softmax results below the normal range are 0, never subnormal.
                if (!log) Assert.DoesNotContain(output, v => v != 0 && Math.Abs(v) < Lanes.SmallestNormalFloat);
            }
            var wide = Tolerance.Widen(input);
            var wideOutput = new double[count];
            RunDouble(width, wide, wideOutput, layout);
            Tolerance.AssertClose(Reference.Softmax(wide, shape, axis, false), wideOutput, relative: 1e-13, absoluteBelow: 1e-300, $"{width} double [{string.Join(", ", shape)}] axis {axis}, {data}");
        }
    }

    private static void Run(string width, bool log, float[] input, float[] output, ShapeLayout layout)
    {
        if (log) Run<LogSoftmaxOp>(width, input, output, layout);
        else Run<SoftmaxOp>(width, input, output, layout);
    }

    private static void Run<TOp>(string width, float[] input, float[] output, ShapeLayout layout)
        where TOp : IKernelOp
    {
        ref readonly float x = ref input[0];
        ref float y = ref output[0];
        switch (width)
        {
            case "Vector512": KernelDispatch.Run<Simd512<float>, Vector512<float>, float, TOp>(in x, ref y, layout); break;
            case "Vector256": KernelDispatch.Run<Simd256<float>, Vector256<float>, float, TOp>(in x, ref y, layout); break;
            case "Vector128": KernelDispatch.Run<Simd128<float>, Vector128<float>, float, TOp>(in x, ref y, layout); break;
            default: KernelDispatch.Run<SimdScalar<float>, float, float, TOp>(in x, ref y, layout); break;
        }
    }

    private static void RunDouble(string width, double[] input, double[] output, ShapeLayout layout)
    {
        ref readonly double x = ref input[0];
        ref double y = ref output[0];
        switch (width)
        {
            case "Vector512": KernelDispatch.Run<Simd512<double>, Vector512<double>, double, SoftmaxOp>(in x, ref y, layout); break;
            case "Vector256": KernelDispatch.Run<Simd256<double>, Vector256<double>, double, SoftmaxOp>(in x, ref y, layout); break;
            case "Vector128": KernelDispatch.Run<Simd128<double>, Vector128<double>, double, SoftmaxOp>(in x, ref y, layout); break;
            default: KernelDispatch.Run<SimdScalar<double>, double, double, SoftmaxOp>(in x, ref y, layout); break;
        }
    }
}
