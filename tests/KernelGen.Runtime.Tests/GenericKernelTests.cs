using System;
using System.Collections.Generic;
using KernelGen.Tests;

namespace KernelGen.Runtime.Tests;

public class GenericKernelTests
{
    public static IEnumerable<object[]> ShapesAndAxes()
    {
        int[][] shapes =
        [
            [3, 3], [3, 2], [4, 3, 2], [36, 10, 4, 3, 2], [1], [7], [8], [9], [17], [33], [100], [1000],
            [2, 3, 5, 7], [4, 33, 6], [64, 512], [3, 1, 8], [1, 1, 1], [5, 9, 13], [2, 70, 3], [3, 4, 5],
            [3, 700], [2, 1030], [2, 516], [2, 536], [3, 40, 2],
        ];
        foreach (int[] shape in shapes)
        {
            for (int axis = -shape.Length; axis < shape.Length; axis++)
            {
                yield return [shape, axis];
            }
        }
    }

    [Theory]
    [MemberData(nameof(ShapesAndAxes))]
    public void Float_softmax_and_log_softmax_match_the_float64_reference(int[] shape, int axis)
    {
        int count = Reference.Count(shape);
        foreach ((string name, float[] input) in TestData.Cases(count, seed: count + axis))
        {
            foreach (bool log in new[] { false, true })
            {
                var output = new float[count];
                if (log) Kernels.LogSoftmax(input, output, shape, axis);
                else Kernels.Softmax(input, output, shape, axis);
                double[] expected = Reference.ForFloatKernel(input, shape, axis, log);
                Tolerance.AssertUlps(expected, output, Bounds.FloatUlps, $"{(log ? "LogSoftmax" : "Softmax")} {ShapeText(shape)} axis {axis}, {name}");

                // In place gives the same result.
                float[] data = (float[])input.Clone();
                if (log) Kernels.LogSoftmax(data, shape, axis);
                else Kernels.Softmax(data, shape, axis);
                Assert.Equal(output, data);
            }
        }
    }

    [Theory]
    [MemberData(nameof(ShapesAndAxes))]
    public void Double_softmax_and_log_softmax_match_the_float64_reference(int[] shape, int axis)
    {
        int count = Reference.Count(shape);
        double[] input = TestData.NormalDouble(count, 20, seed: count);
        foreach (bool log in new[] { false, true })
        {
            var output = new double[count];
            if (log) Kernels.LogSoftmax(input, output, shape, axis);
            else Kernels.Softmax(input, output, shape, axis);
            double[] expected = Reference.Softmax(input, shape, axis, log);
            Tolerance.AssertClose(expected, output, Bounds.DoubleRelative, Bounds.DoubleAbsolute, $"{ShapeText(shape)} axis {axis}");
        }
    }

    [Fact]
    public void Large_values_stay_finite_where_an_unstable_softmax_overflows()
    {
        float[] input = [1000, 1001, 1002];
        var output = new float[3];
        Kernels.Softmax(input, output, [3]);
        Assert.All(output, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(0.09003057, output[0], 6);
        Assert.Equal(0.24472847, output[1], 6);
        Assert.Equal(0.66524096, output[2], 6);
    }

    [Fact]
    public void A_NaN_makes_only_its_row_NaN_and_a_row_of_minus_infinity_is_NaN()
    {
        float ninf = float.NegativeInfinity;
        float[] input = [1, float.NaN, 3, 4, 5, 6, 7, 8, 9, 10, /* row 2 */ 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, /* row 3 */ ninf, ninf, ninf, ninf, ninf, ninf, ninf, ninf, ninf, ninf];
        var output = new float[input.Length];
        Kernels.Softmax(input, output, [3, 10]);
        for (int i = 0; i < 10; i++) Assert.True(float.IsNaN(output[i]), $"row 0 element {i}");
        for (int i = 10; i < 20; i++) Assert.False(float.IsNaN(output[i]), $"row 1 element {i}");
        for (int i = 20; i < 30; i++) Assert.True(float.IsNaN(output[i]), $"row 2 element {i}");
    }

    [Fact]
    public void Rows_sum_to_one()
    {
        float[] input = TestData.Normal(12 * 128 * 128, 20, seed: 7);
        var output = new float[input.Length];
        Kernels.Softmax(input, output, [12, 128, 128]);
        for (int row = 0; row < 12 * 128; row++)
        {
            double sum = 0;
            for (int i = 0; i < 128; i++) sum += output[row * 128 + i];
            Assert.InRange(sum, 1 - 1e-6, 1 + 1e-6);
        }
    }

    internal static string ShapeText(int[] shape) => "[" + string.Join(", ", shape) + "]";
}

/// <summary>Accuracy bounds for kernel outputs against the float64 reference.</summary>
public class BelowNormalRangeTests
{
    [Fact]
    public void A_softmax_result_below_the_normal_range_is_0_not_subnormal()
    {
        // exp(-87.3) is a normal float, but divided by the sum 2 it is 6.1e-39, below the normal range: 0.
        float[] input = [0, 0, -87.3f], output = new float[3];
        Kernels.Softmax(input, output, [3]);
        Assert.Equal(new[] { 0.5f, 0.5f, 0f }, output);
        // Just above the range it stays: exp(-86) / 2 = 2.2e-38.
        input[2] = -86f;
        Kernels.Softmax(input, output, [3]);
        Assert.InRange(output[2], Lanes.SmallestNormalFloat, 3e-38f);
    }

    [Fact]
    public void Lanes_ScaleAboveFloor_flushes_exactly_the_products_below_the_normal_range()
    {
        var factor = System.Runtime.Intrinsics.Vector256.Create(0.3f);
        var floor = Lanes.NormalFloor(factor);
        var e = System.Runtime.Intrinsics.Vector256.Create(1e-38f, 3e-38f, 4e-38f, 5e-38f, 1f, 0f, float.NaN, 1e-30f);
        var y = Lanes.ScaleAboveFloor(e, factor, floor);
        for (int j = 0; j < 8; j++)
        {
            float product = e[j] * 0.3f;
            if (float.IsNaN(product)) Assert.True(float.IsNaN(y[j]));
            else if (product < Lanes.SmallestNormalFloat) Assert.Equal(0f, y[j]);
            else Assert.Equal(product, y[j]);
        }
    }
}

internal static class Bounds
{
    /// <summary>Issue #3: within 4 ULP of the float64 softmax of the float-rounded x - max.</summary>
    public const double FloatUlps = 4;
    public const double DoubleRelative = 1e-13;
    public const double DoubleAbsolute = 1e-300;
}
