using System;
using System.ComponentModel;
using System.Numerics;
using KernelGen.Internal;

namespace KernelGen.CompilerServices;

/// <summary>
/// Per-column reductions for generated kernels whose vectors hold several columns of a narrow inner
/// dimension: lane j of a run of vectors belongs to column <c>j % period</c>. Each method combines the lanes
/// of every column and writes the column's result back into each of its lanes, ready to be loaded as
/// vectors again. Called once per slab, after a pass over the slab.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class PeriodicLanes
{
    /// <summary>Every lane becomes the max of its column's lanes (a NaN is left to the sum to propagate).</summary>
    public static void Max<T>(Span<T> lanes, int period)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int column = 0; column < period; column++)
        {
            T max = lanes[column];
            for (int j = column + period; j < lanes.Length; j += period) max = lanes[j] > max ? lanes[j] : max;
            for (int j = column; j < lanes.Length; j += period) lanes[j] = max;
        }
    }

    /// <summary>Every lane of <paramref name="sums"/> becomes 1 / (its column's compensated total), computed in double.</summary>
    public static void Reciprocal<T>(Span<T> sums, ReadOnlySpan<T> compensation, int period)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int column = 0; column < period; column++)
        {
            double total = 0;
            for (int j = column; j < sums.Length; j += period) total += double.CreateTruncating(sums[j]) - double.CreateTruncating(compensation[j]);
            T factor = T.CreateTruncating(1.0 / total);
            for (int j = column; j < sums.Length; j += period) sums[j] = factor;
        }
    }

    /// <summary>
    /// Every lane of <paramref name="sums"/> becomes log(count + others) of its column, where the column's
    /// maxima were counted apart (<paramref name="counts"/>) from its other terms (see <see cref="Reductions.LogOfSum(double, double)"/>).
    /// </summary>
    public static void LogOfSum<T>(Span<T> sums, ReadOnlySpan<T> compensation, ReadOnlySpan<T> counts, int period)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int column = 0; column < period; column++)
        {
            double others = 0, count = 0;
            for (int j = column; j < sums.Length; j += period)
            {
                others += double.CreateTruncating(sums[j]) - double.CreateTruncating(compensation[j]);
                count += double.CreateTruncating(counts[j]);
            }
            T logSum = T.CreateTruncating(LogSumExp.LogOfSplitSum(others, count));
            for (int j = column; j < sums.Length; j += period) sums[j] = logSum;
        }
    }
}
