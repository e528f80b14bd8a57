using System;
using System.Linq;
using System.Runtime.Intrinsics;
using KernelGen.Tests;

namespace KernelGen.Runtime.Tests;

public class ReductionTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(33)]
    [InlineData(1000)]
    public void Max_is_NaN_when_any_element_is_NaN_wherever_it_is(int length)
    {
        float[] values = TestData.Normal(length, 20, seed: length);
        for (int at = 0; at < length; at++)
        {
            float saved = values[at];
            values[at] = float.NaN;
            Assert.True(float.IsNaN(Reductions.Max(values)), $"NaN at {at} of {length} was lost");
            double[] wide = values.Select(v => (double)v).ToArray();
            Assert.True(double.IsNaN(Reductions.Max(wide)), $"NaN at {at} of {length} was lost (double)");
            values[at] = saved;
        }
        Assert.Equal(values.Max(), Reductions.Max(values));
    }

    [Fact]
    public void Max_of_nothing_is_minus_infinity_and_sum_of_nothing_is_zero()
    {
        Assert.Equal(float.NegativeInfinity, Reductions.Max(ReadOnlySpan<float>.Empty));
        Assert.Equal(0f, Reductions.Sum(ReadOnlySpan<float>.Empty));
        float[] allMinusInfinity = Enumerable.Repeat(float.NegativeInfinity, 37).ToArray();
        Assert.Equal(float.NegativeInfinity, Reductions.Max(allMinusInfinity));
    }

    [Fact]
    public void Sum_of_a_long_float_span_keeps_float_precision()
    {
        // One large value and a million small ones: a naive float sum loses all the small ones.
        var values = new float[1_000_001];
        values[0] = 1f;
        for (int i = 1; i < values.Length; i++) values[i] = 1e-8f;
        double exact = 1.0 + 1e6 * (double)1e-8f;
        Assert.InRange(Reductions.Sum(values), exact * (1 - 1e-7), exact * (1 + 1e-7));
        float naive = 0;
        foreach (float v in values) naive += v;
        Assert.NotInRange(naive, exact * (1 - 1e-3), exact * (1 + 1e-3)); // the test data really does defeat a naive sum
    }

    [Fact]
    public void Strided_max_and_sum_match_column_loops()
    {
        const int rows = 13, stride = 29, width = 27;
        float[] source = TestData.Normal(rows * stride, 5, seed: 3);
        source[5 * stride + 9] = float.NaN;
        var max = new float[width];
        var sum = new float[width];
        Reductions.MaxStrided(source, rows, stride, max);
        Reductions.SumStrided(source, rows, stride, sum);
        for (int j = 0; j < width; j++)
        {
            float[] column = Enumerable.Range(0, rows).Select(r => source[r * stride + j]).ToArray();
            if (j == 9) Assert.True(float.IsNaN(max[j]));
            else Assert.Equal(column.Max(), max[j]);
            if (j == 9) Assert.True(float.IsNaN(sum[j]));
            else Assert.Equal(column.Select(v => (double)v).Sum(), sum[j], 4);
        }
    }

    [Fact]
    public void Strided_reductions_reject_a_source_too_short()
    {
        Assert.Throws<ArgumentException>(() => Reductions.MaxStrided(new float[10], 3, 4, new float[4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Reductions.SumStrided(new float[100], 3, 2, new float[4]));
    }

    [Fact]
    public void Horizontal_reductions_of_one_vector()
    {
        var v = Vector256.Create(3f, -1f, 7f, 2f, 6.5f, 0f, -9f, 1f);
        Assert.Equal(7f, Reductions.Max(v));
        Assert.Equal(9.5f, Reductions.Sum(v));
        Assert.Equal(7f, Reductions.Max(v.GetLower()));
        Assert.Equal(11f, Reductions.Sum(v.GetLower()));
        var d = Vector256.Create(1.5, -2.0, 4.0, 0.25);
        Assert.Equal(4.0, Reductions.Max(d));
        Assert.Equal(3.75, Reductions.Sum(d));
    }

    [Fact]
    public void Compensated_sum_recovers_what_float_additions_lose()
    {
        Vector256<float> sum = Vector256<float>.Zero, lost = Vector256<float>.Zero;
        Reductions.AddCompensated(ref sum, ref lost, Vector256.Create(1f));
        for (int i = 0; i < 1000; i++) Reductions.AddCompensated(ref sum, ref lost, Vector256.Create(1e-8f));
        double expected = 8 * (1 + 1000 * (double)1e-8f);
        // A plain float sum stays at 8: 1e-8 is below half an ULP of 1. The compensated one is off by ~1e-13 relative.
        Assert.InRange(Reductions.Sum(sum, lost), expected * (1 - 1e-11), expected * (1 + 1e-11));
    }

    [Fact]
    public void Log_of_a_sum_just_above_one_keeps_its_relative_precision()
    {
        // log(1 + 1e-12): computing 1 + 1e-12 in double first would lose 4 digits.
        double others = 1e-12;
        double expected = others - others * others / 2;
        Assert.Equal(expected, Reductions.LogOfSum(others, 1), 1e-27);
        Assert.Equal(Math.Log(3) + Math.Log(1 + 0.5 / 3), Reductions.LogOfSum(0.5, 3), 15);
    }

    // The softmax factor 1 / (sum - lost) of a compensated float sum, at every width, against the same in double rounded
    // once to float: sums of 1 to 2^20 (a row's sum is at least 1, its max's exp), compensations within half an ulp.
    [Fact]
    public void Reciprocal_of_a_compensated_float_sum_is_within_one_ulp_of_the_correctly_rounded_one_and_equal_nearly_always()
    {
        var random = new Random(12);
        const int count = 1 << 16;
        float[] sums = new float[count], lost = new float[count];
        for (int i = 0; i < count; i++)
        {
            sums[i] = MathF.Pow(2, random.NextSingle() * 20);
            lost[i] = (random.NextSingle() - 0.5f) * (MathF.BitIncrement(sums[i]) - sums[i]);
        }
        int differ = 0;
        void Check(int i, float got)
        {
            float exact = (float)(1.0 / ((double)sums[i] - lost[i]));
            int ulps = Math.Abs(BitConverter.SingleToInt32Bits(got) - BitConverter.SingleToInt32Bits(exact));
            Assert.True(ulps <= 1, $"1 / ({sums[i]:R} - {lost[i]:R}): {got:R}, exact {exact:R}");
            if (ulps != 0) differ++;
        }
        for (int i = 0; i < count; i += 16)
        {
            Vector512<float> f512 = Reductions.Reciprocal(Vector512.Create(sums.AsSpan(i, 16)), Vector512.Create(lost.AsSpan(i, 16)));
            Vector256<float> f256 = Reductions.Reciprocal(Vector256.Create(sums.AsSpan(i, 8)), Vector256.Create(lost.AsSpan(i, 8)));
            Vector128<float> f128 = Reductions.Reciprocal(Vector128.Create(sums.AsSpan(i, 4)), Vector128.Create(lost.AsSpan(i, 4)));
            for (int j = 0; j < 16; j++) Check(i + j, f512[j]);
            for (int j = 0; j < 8; j++) Check(i + j, f256[j]);
            for (int j = 0; j < 4; j++) Check(i + j, f128[j]);
        }
        Assert.True(differ <= count * 7 / 4 / 1000, $"{differ} of {count * 7 / 4} factors differ from the correctly rounded one");
        Assert.True(float.IsNaN(Reductions.Reciprocal(Vector256.Create(float.NaN), Vector256<float>.Zero)[0]));
    }

    // The floor taken from the sum (no division): a value at it gives a normal result with the factor Reciprocal makes,
    // and it is at most 2^-19 above 2^-126 (sum - lost), so only a narrow band above the normal range is flushed.
    [Fact]
    public void Normal_floor_of_a_sum_keeps_every_product_at_or_above_it_normal_and_is_tight()
    {
        var random = new Random(13);
        for (int i = 0; i < 20_000; i++)
        {
            float sum = MathF.Pow(2, random.NextSingle() * 20);
            float lost = (random.NextSingle() - 0.5f) * (MathF.BitIncrement(sum) - sum);
            float factor = Reductions.Reciprocal(Vector256.Create(sum), Vector256.Create(lost))[0];
            foreach (float floor in new[] { Lanes.NormalFloorOfSum(Vector256.Create(sum))[0], Lanes.NormalFloorOfSum(Vector512.Create(sum))[0], Lanes.NormalFloorOfSum(Vector128.Create(sum))[0] })
            {
                Assert.True(floor * factor >= Lanes.SmallestNormalFloat, $"sum {sum:R}, lost {lost:R}: floor {floor:R} times factor {factor:R} is subnormal");
                double relative = floor / (Math.Pow(2, -126) * ((double)sum - lost)) - 1;
                Assert.InRange(relative, 0, Math.Pow(2, -19));
            }
        }
    }
}
