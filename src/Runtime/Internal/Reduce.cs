using System.Numerics;
using System.Runtime.CompilerServices;

namespace KernelGen.Internal;

/// <summary>
/// Contiguous reductions over <c>n</c> elements, generic over the SIMD width. Four independent
/// accumulators keep the loops from waiting on the latency of one dependency chain.
/// </summary>
internal static class Reduce<TS, TV, T>
    where TS : ISimd<TV, T>
    where TV : struct
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>The largest element; NaN if any element is NaN; -inf for n = 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Max(ref readonly T x, nint n) => Max(in x, n, trackNaN: true);

    /// <summary>
    /// The largest element for a softmax row: the hardware max, which may drop a NaN (a row holding one is NaN anyway,
    /// through its sum); -inf for n = 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MaxOfRow(ref readonly T x, nint n) => Max(in x, n, trackNaN: false);

    // trackNaN is a constant at each call site: the JIT removes the tracking where it is false.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Max(ref readonly T x, nint n, bool trackNaN)
    {
        int c = TS.Count;
        if (n < c)
        {
            return ScalarMax(in x, 1, n, T.NegativeInfinity);
        }

        TV m0 = TS.Create(T.NegativeInfinity), m1 = m0, m2 = m0, m3 = m0;
        TV ordered = TS.NoNaN;
        nint i = 0;
        for (; i + 4 * c <= n; i += 4 * c)
        {
            TV v0 = TS.Load(in x, i), v1 = TS.Load(in x, i + c), v2 = TS.Load(in x, i + 2 * c), v3 = TS.Load(in x, i + 3 * c);
            m0 = TS.MaxNative(m0, v0);
            m1 = TS.MaxNative(m1, v1);
            m2 = TS.MaxNative(m2, v2);
            m3 = TS.MaxNative(m3, v3);
            if (trackNaN)
            {
                ordered = TS.TrackNaN(TS.TrackNaN(ordered, v0), v1);
                ordered = TS.TrackNaN(TS.TrackNaN(ordered, v2), v3);
            }
        }
        for (; i + c <= n; i += c)
        {
            TV v = TS.Load(in x, i);
            m0 = TS.MaxNative(m0, v);
            if (trackNaN) ordered = TS.TrackNaN(ordered, v);
        }
        if (i < n)
        {
            // The last vector overlaps the one before it: re-reading elements cannot change a max.
            TV v = TS.Load(in x, n - c);
            m1 = TS.MaxNative(m1, v);
            if (trackNaN) ordered = TS.TrackNaN(ordered, v);
        }
        if (trackNaN && TS.SawNaN(ordered))
        {
            return T.NaN;
        }
        return TS.ReduceMax(TS.MaxNative(TS.MaxNative(m0, m1), TS.MaxNative(m2, m3)));
    }

    /// <summary>The sum, Kahan-compensated in four accumulators, totalled in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(ref readonly T x, nint n)
    {
        int c = TS.Count;
        TV s0 = TS.Create(T.Zero), s1 = s0, s2 = s0, s3 = s0;
        TV c0 = s0, c1 = s0, c2 = s0, c3 = s0;
        nint i = 0;
        for (; i + 4 * c <= n; i += 4 * c)
        {
            TS.AddCompensated(ref s0, ref c0, TS.Load(in x, i));
            TS.AddCompensated(ref s1, ref c1, TS.Load(in x, i + c));
            TS.AddCompensated(ref s2, ref c2, TS.Load(in x, i + 2 * c));
            TS.AddCompensated(ref s3, ref c3, TS.Load(in x, i + 3 * c));
        }
        for (; i + c <= n; i += c)
        {
            TS.AddCompensated(ref s0, ref c0, TS.Load(in x, i));
        }
        double total = TS.ReduceCompensated(s0, c0) + TS.ReduceCompensated(s1, c1) + TS.ReduceCompensated(s2, c2) + TS.ReduceCompensated(s3, c3);
        for (; i < n; i++)
        {
            total += double.CreateTruncating(Unsafe.Add(ref Unsafe.AsRef(in x), i));
        }
        return total;
    }

    /// <summary>
    /// Column-wise max of <paramref name="rows"/> runs of <paramref name="width"/> elements spaced
    /// <paramref name="stride"/> apart, into <paramref name="result"/>.
    /// </summary>
    public static void MaxStrided(ref readonly T x, nint rows, nint stride, ref T result, nint width)
    {
        int c = TS.Count;
        nint j = 0;
        for (; j + c <= width; j += c)
        {
            TV m = TS.Create(T.NegativeInfinity);
            TV ordered = TS.NoNaN;
            for (nint r = 0; r < rows; r++)
            {
                TV v = TS.Load(in x, r * stride + j);
                m = TS.MaxNative(m, v);
                ordered = TS.TrackNaN(ordered, v);
            }
            TS.Store(TS.Select(ordered, m, TS.Create(T.NaN)), ref result, j);
        }
        for (; j < width; j++)
        {
            Unsafe.Add(ref result, j) = ScalarMax(in Unsafe.Add(ref Unsafe.AsRef(in x), j), stride, rows, T.NegativeInfinity);
        }
    }

    /// <summary>Column-wise sum of <paramref name="rows"/> runs of <paramref name="width"/> elements spaced <paramref name="stride"/> apart.</summary>
    public static void SumStrided(ref readonly T x, nint rows, nint stride, ref T result, nint width)
    {
        int c = TS.Count;
        nint j = 0;
        for (; j + c <= width; j += c)
        {
            TV s = TS.Create(T.Zero);
            for (nint r = 0; r < rows; r++)
            {
                s = TS.Add(s, TS.Load(in x, r * stride + j));
            }
            TS.Store(s, ref result, j);
        }
        for (; j < width; j++)
        {
            T s = T.Zero;
            for (nint r = 0; r < rows; r++) s += Unsafe.Add(ref Unsafe.AsRef(in x), r * stride + j);
            Unsafe.Add(ref result, j) = s;
        }
    }

    private static T ScalarMax(ref readonly T x, nint stride, nint n, T max)
    {
        for (nint i = 0; i < n; i++)
        {
            T v = Unsafe.Add(ref Unsafe.AsRef(in x), i * stride);
            if (T.IsNaN(v)) return v;
            if (v > max) max = v;
        }
        return max;
    }
}
