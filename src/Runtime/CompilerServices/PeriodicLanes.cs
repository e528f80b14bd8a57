using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using KernelGen.Internal;

namespace KernelGen.CompilerServices;

/// <summary>
/// Per-column reductions for generated kernels whose vectors hold several columns of a narrow inner
/// dimension: lane j of a run of vectors belongs to column <c>j % period</c>. Each method combines the lanes
/// of every column and writes the column's result back into each of its lanes, ready to be loaded as
/// vectors again. Called once per slab, after a pass over the slab.
/// </summary>
/// <remarks>
/// The first <c>count</c> lanes of each buffer are the run (a whole number of periods, each <c>period</c> lanes, one per
/// column); a buffer must have at least <see cref="Padding"/> more lanes after them, which the methods may overwrite.
/// With them, the run is read as one <see cref="Vector256{T}"/> per period, starting at each period's first lane (its
/// lanes past <c>period</c> belong to the next period and are ignored), and the results are written back the same way,
/// in order, so that each period's store overwrites what the one before it wrote past its end: a few vector operations
/// instead of a scalar loop per column (a [2, 32, 7] axis-1 softmax spent 250 ns of its 890 in these per slab).
/// The results are those of the scalar loops, bit for bit: each lane is combined in the same order, in double where the
/// scalar code used double.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class PeriodicLanes
{
    /// <summary>The lanes a buffer needs after its run: one <see cref="Vector256{T}"/> of <typeparamref name="T"/>.</summary>
    public static int Padding<T>() where T : unmanaged => Vector256<T>.Count;

    /// <summary>Every lane becomes the max of its column's lanes (a NaN is left to the sum to propagate).</summary>
    public static void Max<T>(Span<T> lanes, int count, int period)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Check<T>(lanes.Length, count, period);
        if (Vector256.IsHardwareAccelerated && period <= Vector256<T>.Count)
        {
            ref T at = ref MemoryMarshal.GetReference(lanes);
            Vector256<T> max = Vector256.LoadUnsafe(ref at);
            for (int r = period; r < count; r += period) max = Vector256.MaxNative(max, Vector256.LoadUnsafe(ref at, (nuint)r));
            Spread(max, ref at, count, period);
            return;
        }
        for (int column = 0; column < period; column++)
        {
            T max = lanes[column];
            for (int j = column + period; j < count; j += period) max = lanes[j] > max ? lanes[j] : max;
            for (int j = column; j < count; j += period) lanes[j] = max;
        }
    }

    /// <summary>Every lane of <paramref name="sums"/> becomes 1 / (its column's compensated total), computed in double.</summary>
    public static void Reciprocal<T>(Span<T> sums, ReadOnlySpan<T> compensation, int count, int period)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Check<T>(sums.Length, count, period);
        Check<T>(compensation.Length, count, period);
        if (Vector256.IsHardwareAccelerated && period <= Vector256<T>.Count && (typeof(T) == typeof(float) || typeof(T) == typeof(double)))
        {
            ref T s = ref MemoryMarshal.GetReference(sums);
            ref T c = ref MemoryMarshal.GetReference(compensation);
            if (typeof(T) == typeof(float))
            {
                Vector256<double> lower = Vector256<double>.Zero, upper = lower;
                for (int r = 0; r < count; r += period)
                {
                    (Vector256<double> sumLower, Vector256<double> sumUpper) = Vector256.Widen(Vector256.LoadUnsafe(ref s, (nuint)r).AsSingle());
                    (Vector256<double> lostLower, Vector256<double> lostUpper) = Vector256.Widen(Vector256.LoadUnsafe(ref c, (nuint)r).AsSingle());
                    lower += sumLower - lostLower;
                    upper += sumUpper - lostUpper;
                }
                Vector256<double> one = Vector256<double>.One;
                Spread(Vector256.Narrow(one / lower, one / upper).As<float, T>(), ref s, count, period);
            }
            else
            {
                Vector256<double> total = Vector256<double>.Zero;
                for (int r = 0; r < count; r += period)
                {
                    total += Vector256.LoadUnsafe(ref s, (nuint)r).AsDouble() - Vector256.LoadUnsafe(ref c, (nuint)r).AsDouble();
                }
                Spread((Vector256<double>.One / total).As<double, T>(), ref s, count, period);
            }
            return;
        }
        for (int column = 0; column < period; column++)
        {
            double total = 0;
            for (int j = column; j < count; j += period) total += double.CreateTruncating(sums[j]) - double.CreateTruncating(compensation[j]);
            T factor = T.CreateTruncating(1.0 / total);
            for (int j = column; j < count; j += period) sums[j] = factor;
        }
    }

    /// <summary>
    /// Every lane of <paramref name="sums"/> becomes log(count + others) of its column, where the column's
    /// maxima were counted apart (<paramref name="counts"/>) from its other terms (see <see cref="Reductions.LogOfSum(double, double)"/>).
    /// </summary>
    public static void LogOfSum<T>(Span<T> sums, ReadOnlySpan<T> compensation, ReadOnlySpan<T> counts, int count, int period)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Check<T>(sums.Length, count, period);
        Check<T>(compensation.Length, count, period);
        Check<T>(counts.Length, count, period);
        Span<T> logSums = stackalloc T[period];
        for (int column = 0; column < period; column++)
        {
            double others = 0, maxima = 0;
            for (int j = column; j < count; j += period)
            {
                others += double.CreateTruncating(sums[j]) - double.CreateTruncating(compensation[j]);
                maxima += double.CreateTruncating(counts[j]);
            }
            logSums[column] = T.CreateTruncating(LogSumExp.LogOfSplitSum(others, maxima));
        }
        for (int j = 0; j < count; j++) sums[j] = logSums[j % period];
    }

    // Writes the first `period` lanes of `value` to every period of the run, in order: each store's lanes past the period
    // are overwritten by the next one, and the last one's fall into the padding.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Spread<T>(Vector256<T> value, ref T at, int count, int period)
    {
        for (int r = 0; r < count; r += period) value.StoreUnsafe(ref at, (nuint)r);
    }

    private static void Check<T>(int length, int count, int period)
        where T : unmanaged
    {
        if (period <= 0 || count <= 0 || count % period != 0 || length < count + Padding<T>())
        {
            ThrowBadRun(length, count, period);
        }
    }

    private static void ThrowBadRun(int length, int count, int period) =>
        throw new ArgumentException($"A run of {count} lanes with a period of {period} needs a whole number of periods and a buffer of at least {count} lanes plus the padding; the buffer has {length}.");
}
