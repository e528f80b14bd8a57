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

    // Reductions.AddCompensatedSums with Lanes.SwapHalves, for the kernels whose two halves hold the same columns: each lane's total is that of the two
    // lanes' compensated sums, exact to float rounding of the result, and the two halves get the same bits.
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Adding_the_halves_of_compensated_sums_gives_both_halves_the_same_exact_total(int seed)
    {
        var random = new Random(seed);
        float[] sums = [.. Enumerable.Range(0, 16).Select(_ => (float)Math.Exp(random.NextDouble() * 40 - 20))];
        // Compensations of about an ULP of their sums, as AddCompensated leaves them.
        float[] lost = [.. sums.Select(x => x * (float)((random.NextDouble() - 0.5) * 1e-7))];
        Vector512<float> sum512 = Vector512.Create(sums), lost512 = Vector512.Create(lost);
        Reductions.AddCompensatedSums(ref sum512, ref lost512, Lanes.SwapHalves(sum512), Lanes.SwapHalves(lost512));
        Vector256<float> sum256 = Vector256.Create(sums.AsSpan(0, 8)), lost256 = Vector256.Create(lost.AsSpan(0, 8));
        Reductions.AddCompensatedSums(ref sum256, ref lost256, Lanes.SwapHalves(sum256), Lanes.SwapHalves(lost256));
        for (int j = 0; j < 16; j++)
        {
            int other = (j + 8) % 16;
            Assert.Equal(sum512[j], sum512[other]);
            Assert.Equal(lost512[j], lost512[other]);
            double exact = ((double)sums[j] - lost[j]) + ((double)sums[other] - lost[other]);
            Assert.InRange(Math.Abs((double)sum512[j] - lost512[j] - exact), 0, Math.Abs(exact) * 1e-12);
            if (j >= 8) continue;
            int other256 = (j + 4) % 8;
            Assert.Equal(sum256[j], sum256[other256]);
            double exact256 = ((double)sums[j] - lost[j]) + ((double)sums[other256] - lost[other256]);
            Assert.InRange(Math.Abs((double)sum256[j] - lost256[j] - exact256), 0, Math.Abs(exact256) * 1e-12);
        }
        // Double: the same, each half two or four lanes.
        double[] wide = [.. sums.Take(8).Select(x => (double)x * Math.PI)], wideLost = [.. wide.Select(x => x * 1e-17)];
        Vector512<double> sumD = Vector512.Create(wide), lostD = Vector512.Create(wideLost);
        Reductions.AddCompensatedSums(ref sumD, ref lostD, Lanes.SwapHalves(sumD), Lanes.SwapHalves(lostD));
        for (int j = 0; j < 8; j++)
        {
            int other = (j + 4) % 8;
            Assert.Equal(sumD[j], sumD[other]);
            Assert.Equal(lostD[j], lostD[other]);
            Assert.InRange(Math.Abs((sumD[j] - lostD[j]) - (wide[j] + wide[other])), 0, Math.Abs(wide[j] + wide[other]) * 1e-15);
        }
    }

    [Fact]
    public void Swapping_quarters_and_eighths_exchanges_neighbouring_parts_at_every_width()
    {
        float[] f = [.. Enumerable.Range(0, 16).Select(i => (float)i)];
        double[] d = [.. Enumerable.Range(0, 8).Select(i => (double)i)];
        Vector512<float> f512 = Lanes.SwapQuarters(Vector512.Create(f)), e512 = Lanes.SwapEighths(Vector512.Create(f));
        Vector256<float> f256 = Lanes.SwapQuarters(Vector256.Create(f.AsSpan(0, 8)));
        Vector512<double> d512 = Lanes.SwapQuarters(Vector512.Create(d));
        Vector256<double> d256 = Lanes.SwapQuarters(Vector256.Create(d.AsSpan(0, 4)));
        for (int j = 0; j < 16; j++) Assert.Equal(j ^ 4, f512[j]);
        for (int j = 0; j < 16; j++) Assert.Equal(j ^ 2, e512[j]);
        for (int j = 0; j < 8; j++) Assert.Equal(j ^ 2, f256[j]);
        for (int j = 0; j < 8; j++) Assert.Equal(j ^ 2, d512[j]);
        for (int j = 0; j < 4; j++) Assert.Equal(j ^ 1, d256[j]);
    }

    [Fact]
    public void Swapping_halves_exchanges_lane_j_and_lane_j_plus_half_at_every_width()
    {
        float[] f = [.. Enumerable.Range(0, 16).Select(i => (float)i)];
        double[] d = [.. Enumerable.Range(0, 8).Select(i => (double)i)];
        Vector512<float> f512 = Lanes.SwapHalves(Vector512.Create(f));
        Vector256<float> f256 = Lanes.SwapHalves(Vector256.Create(f.AsSpan(0, 8)));
        Vector512<double> d512 = Lanes.SwapHalves(Vector512.Create(d));
        Vector256<double> d256 = Lanes.SwapHalves(Vector256.Create(d.AsSpan(0, 4)));
        for (int j = 0; j < 16; j++) Assert.Equal((j + 8) % 16, f512[j]);
        for (int j = 0; j < 8; j++) Assert.Equal((j + 4) % 8, f256[j]);
        for (int j = 0; j < 8; j++) Assert.Equal((j + 4) % 8, d512[j]);
        for (int j = 0; j < 4; j++) Assert.Equal((j + 2) % 4, d256[j]);
    }
}
