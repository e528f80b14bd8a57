using System;
using System.Linq;
using KernelGen.CompilerServices;
using Xunit;

namespace KernelGen.Runtime.Tests;

/// <summary>
/// PeriodicLanes, which the narrow-columns plan calls once per slab to combine the lanes of each column (lane j belongs
/// to column j % period): every period a Vector256 holds, float and double, against the combination written out per
/// column. The vector forms (one load per period) run where Vector256 is accelerated, the scalar ones on the CI's
/// reruns without it; both must give these results bit for bit.
/// </summary>
public class PeriodicLanesTests
{
    public static TheoryData<int, int> Runs => new()
    {
        { 1, 8 }, { 2, 8 }, { 3, 24 }, { 4, 8 }, { 5, 40 }, { 6, 24 }, { 7, 56 }, { 3, 12 }, { 5, 20 }, { 7, 28 },
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public void Max_gives_every_lane_its_columns_max(int period, int count)
    {
        float[] lanes = Random(count + PeriodicLanes.Padding<float>(), period);
        float[] expected = [.. Enumerable.Range(0, count).Select(j => Enumerable.Range(0, count).Where(i => i % period == j % period).Max(i => lanes[i]))];
        PeriodicLanes.Max(lanes.AsSpan(), count, period);
        Assert.Equal(expected, lanes[..count]);
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void Reciprocal_gives_every_lane_one_over_its_columns_compensated_total_in_double(int period, int count)
    {
        float[] sums = Random(count + PeriodicLanes.Padding<float>(), period);
        float[] lost = [.. Random(sums.Length, period + 1).Select(v => v * 1e-7f)];
        float[] expected = [.. Enumerable.Range(0, count).Select(j => (float)(1.0 / Total(sums, lost, count, period, j % period)))];
        PeriodicLanes.Reciprocal(sums.AsSpan(), lost, count, period);
        Assert.Equal(expected, sums[..count]);

        if (period > PeriodicLanes.Padding<double>() || count % period != 0) return;
        double[] wideSums = Random(count + PeriodicLanes.Padding<double>(), period).Select(v => (double)v).ToArray();
        double[] wideLost = [.. wideSums.Select(v => v * 1e-16)];
        double[] wideExpected = [.. Enumerable.Range(0, count).Select(j => 1.0 / Enumerable.Range(0, count).Where(i => i % period == j % period).Aggregate(0.0, (t, i) => t + (wideSums[i] - wideLost[i])))];
        PeriodicLanes.Reciprocal(wideSums.AsSpan(), wideLost, count, period);
        Assert.Equal(wideExpected, wideSums[..count]);
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void Log_of_sum_gives_every_lane_its_columns_log_of_count_and_others(int period, int count)
    {
        float[] sums = Random(count + PeriodicLanes.Padding<float>(), period);
        float[] lost = new float[sums.Length];
        float[] counts = [.. Enumerable.Range(0, sums.Length).Select(i => (float)(i % 2))];
        float[] expected = [.. Enumerable.Range(0, count).Select(j =>
        {
            int[] lanes = [.. Enumerable.Range(0, count).Where(i => i % period == j % period)];
            return (float)Reductions.LogOfSum(lanes.Aggregate(0.0, (t, i) => t + sums[i]), lanes.Aggregate(0.0, (t, i) => t + counts[i]));
        })];
        PeriodicLanes.LogOfSum(sums.AsSpan(), lost, counts, count, period);
        Assert.Equal(expected, sums[..count]);
    }

    [Fact]
    public void A_buffer_without_the_padding_or_a_run_of_part_periods_is_refused_before_anything_is_written()
    {
        float[] tight = Random(56, 7), copy = [.. tight];
        var error = Assert.Throws<ArgumentException>(() => PeriodicLanes.Max(tight.AsSpan(), 56, 7));
        Assert.Contains("56", error.Message, StringComparison.Ordinal);
        Assert.Equal(copy, tight);
        float[] padded = Random(64, 7);
        Assert.Throws<ArgumentException>(() => PeriodicLanes.Reciprocal(padded.AsSpan(), padded, 55, 7));
    }

    private static double Total(float[] sums, float[] lost, int count, int period, int column) =>
        Enumerable.Range(0, count).Where(i => i % period == column).Aggregate(0.0, (t, i) => t + ((double)sums[i] - lost[i]));

    private static float[] Random(int length, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(_ => random.NextSingle() + 0.5f)];
    }
}
