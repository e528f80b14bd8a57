using System;
using System.Runtime.Intrinsics;
using KernelGen.Internal;
using KernelGen.Tests;

namespace KernelGen.Runtime.Tests;

/// <summary>
/// The two-pass row kernel (online max and sum, then one read and one write). It measured slower than three passes at
/// every row length here (exp, not memory, is the bottleneck), so the kernels do not dispatch to it; it stays tested.
/// </summary>
public class TwoPassRowTests
{
    private const int LongRow = 1 << 20;

    [Fact]
    public void A_row_of_2_to_the_20_through_the_two_pass_kernel_matches_the_float64_reference_and_sums_to_one()
    {
        float[] input = TestData.Normal(LongRow, 20, seed: 20);
        double[] expected = Reference.ForFloatKernel(input, [LongRow], -1);
        foreach ((string width, float[] output) in RunAllWidths(input))
        {
            Tolerance.AssertUlps(expected, output, Bounds.FloatUlps, $"two-pass {width}, 2^20");
            AssertSumsToOne(output, $"two-pass {width}, 2^20");
        }

        // In place gives the same result.
        float[] data = (float[])input.Clone();
        float[] outOfPlace = RunAllWidths(input)[0].Output;
        TwoPassRowKernel<Simd256<float>, Vector256<float>, float>.Row(in data[0], ref data[0], data.Length);
        Assert.Equal(outOfPlace, data);
    }

    [Fact]
    public void Kernels_Softmax_of_a_row_of_2_to_the_20_matches_the_float64_reference_and_sums_to_one()
    {
        float[] input = TestData.Normal(LongRow, 20, seed: 21);
        var output = new float[LongRow];
        Kernels.Softmax(input, output, [LongRow]);
        Tolerance.AssertUlps(Reference.ForFloatKernel(input, [LongRow], -1), output, Bounds.FloatUlps, "Kernels.Softmax [2^20]");
        AssertSumsToOne(output, "Kernels.Softmax [2^20]");
    }

    public static TheoryData<int> Lengths() => new()
    {
        8, 9, 2047, 2048, 2049, 2048 * 3 + 5, (1 << 16) + 7,
    };

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Every_width_matches_the_float64_reference_and_sums_to_one(int length)
    {
        foreach ((string name, float[] input) in TestData.Cases(length, seed: length))
        {
            double[] expected = Reference.ForFloatKernel(input, [length], -1);
            foreach ((string width, float[] output) in RunAllWidths(input))
            {
                string context = $"two-pass {width}, length {length}, {name}";
                Tolerance.AssertUlps(expected, output, Bounds.FloatUlps, context);
                if (!float.IsNaN(output[0])) AssertSumsToOne(output, context);
            }
        }
    }

    [Fact]
    public void A_chunk_of_only_minus_infinity_adds_nothing_and_a_row_of_only_minus_infinity_is_NaN()
    {
        const int length = 3 * TwoPassRowKernel<SimdScalar<float>, float, float>.ChunkLength;
        float[] input = TestData.Normal(length, 20, seed: 5);
        Array.Fill(input, float.NegativeInfinity, 0, TwoPassRowKernel<SimdScalar<float>, float, float>.ChunkLength);
        double[] expected = Reference.ForFloatKernel(input, [length], -1);
        foreach ((string width, float[] output) in RunAllWidths(input))
        {
            Tolerance.AssertUlps(expected, output, Bounds.FloatUlps, $"two-pass {width}, first chunk -inf");
        }

        Array.Fill(input, float.NegativeInfinity);
        foreach ((string width, float[] output) in RunAllWidths(input))
        {
            Assert.All(output, v => Assert.True(float.IsNaN(v), $"two-pass {width}, all -inf"));
        }
    }

    [Fact]
    public void A_max_that_grows_late_rescales_the_running_sum()
    {
        // Increasing chunks: the running max grows at every chunk, and the last chunk holds the max.
        const int length = 8 * TwoPassRowKernel<SimdScalar<float>, float, float>.ChunkLength + 3;
        var input = new float[length];
        for (int i = 0; i < length; i++) input[i] = i * (60f / length) + (i % 7) * 0.25f;
        double[] expected = Reference.ForFloatKernel(input, [length], -1);
        foreach ((string width, float[] output) in RunAllWidths(input))
        {
            Tolerance.AssertUlps(expected, output, Bounds.FloatUlps, $"two-pass {width}, growing max");
            AssertSumsToOne(output, $"two-pass {width}, growing max");
        }
    }

    [Fact]
    public void A_positive_infinity_makes_the_row_NaN()
    {
        float[] input = TestData.Normal(5000, 5, seed: 9);
        input[4321] = float.PositiveInfinity;
        foreach ((string width, float[] output) in RunAllWidths(input))
        {
            Assert.All(output, v => Assert.True(float.IsNaN(v), $"two-pass {width}, +inf"));
        }
    }

    // The kernel on each SIMD width (a width the hardware lacks runs in software, slower but the same code).
    private static (string Width, float[] Output)[] RunAllWidths(float[] input)
    {
        var v256 = new float[input.Length];
        var v128 = new float[input.Length];
        var scalar = new float[input.Length];
        TwoPassRowKernel<Simd256<float>, Vector256<float>, float>.Row(in input[0], ref v256[0], input.Length);
        TwoPassRowKernel<Simd128<float>, Vector128<float>, float>.Row(in input[0], ref v128[0], input.Length);
        TwoPassRowKernel<SimdScalar<float>, float, float>.Row(in input[0], ref scalar[0], input.Length);
        return [("Vector256", v256), ("Vector128", v128), ("scalar", scalar)];
    }

    private static void AssertSumsToOne(float[] output, string context)
    {
        double sum = 0;
        foreach (float v in output) sum += v;
        Assert.True(Math.Abs(sum - 1) <= 1e-6, $"{context}: the row sums to {sum:R}");
    }
}
