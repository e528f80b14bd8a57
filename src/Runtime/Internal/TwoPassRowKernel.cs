using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace KernelGen.Internal;

/// <summary>
/// Softmax over one long contiguous row in two passes over memory instead of <see cref="RowKernel{TS, TV, T}"/>'s three.
/// <list type="number">
/// <item>Online max and sum, one read of the row: the row is taken in chunks of <see cref="ChunkLength"/> elements
/// (small enough to stay in L1 between the two looks at them); each chunk's max is found, the running max is raised to
/// it, and the chunk's exp(x - running max) is summed (Kahan-compensated, totalled in double). When the running max
/// grows, the running sum is first rescaled by exp(old max - new max), in double.</item>
/// <item>y = exp(x - max) * (1 / sum): one read and one write.</item>
/// </list>
/// It computes exp twice per element where the three-pass kernel computes it once, so it can pay off only when the
/// row is too large for the caches and memory traffic, not arithmetic, sets the pace. Measured on the development
/// machine (benchmarks/KernelGen.Benchmarks, RowPassesBenchmarks and --probe-row-passes; AMD EPYC, AVX2, shared and
/// loaded) it was slower than the three-pass kernel at every length from 2^12 to 2^22 (about 2x in cache, 1.4-1.6x at
/// 2^21-2^22), so <see cref="KernelDispatch"/> does not use it; it stays for the benchmark to re-measure. Accuracy tools are those of <see cref="RowKernel{TS, TV, T}"/>:
/// exp(x - max) with the difference taken exactly, Kahan sums, 1/sum rounded once. Softmax only (log-softmax keeps
/// the three-pass kernel, which counts the row's maxima apart).
/// </summary>
/// <remarks>
/// Semantics match the three-pass kernel: a NaN anywhere makes the row NaN; +inf makes it NaN (inf - inf); a row of
/// only -inf is NaN; chunks that are all -inf contribute nothing to a row whose max is finite.
/// </remarks>
internal static class TwoPassRowKernel<TS, TV, T>
    where TS : ISimd<TV, T>
    where TV : struct
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Elements per chunk of pass 1: 8 KiB of floats, read twice while in a 32 KiB L1.</summary>
    public const int ChunkLength = 2048;

    public static void Run(ref readonly T x, ref T y, nint rows, nint n)
    {
        for (nint r = 0; r < rows; r++)
        {
            Row(in Unsafe.Add(ref Unsafe.AsRef(in x), r * n), ref Unsafe.Add(ref y, r * n), n);
        }
    }

    /// <summary>Softmax of one row of <paramref name="n"/> &gt;= <c>TS.Count</c> elements; <paramref name="y"/> may be <paramref name="x"/>.</summary>
    public static void Row(ref readonly T x, ref T y, nint n)
    {
        (T max, double sum) = MaxAndSum(in x, n);
        ScaledExp(in x, ref y, n, max, T.CreateTruncating(1.0 / sum));
    }

    /// <summary>Pass 1: the row's max and its sum of exp(x - max), in one read of the row.</summary>
    public static (T Max, double Sum) MaxAndSum(ref readonly T x, nint n)
    {
        T max = T.NegativeInfinity;
        double sum = 0;
        for (nint start = 0; start < n; start += ChunkLength)
        {
            nint end = Math.Min(start + ChunkLength, n);
            T chunkMax = Reduce<TS, TV, T>.Max(in Unsafe.Add(ref Unsafe.AsRef(in x), start), end - start);
            if (T.IsNaN(chunkMax))
            {
                return (chunkMax, double.NaN); // the row is NaN: pass 2 writes exp(x - NaN) = NaN everywhere
            }
            if (T.IsNegativeInfinity(chunkMax))
            {
                continue; // every element is -inf: nothing to add (a row of only -inf ends with max -inf and is NaN)
            }
            if (chunkMax > max)
            {
                if (sum != 0)
                {
                    sum *= Math.Exp(double.CreateTruncating(max) - double.CreateTruncating(chunkMax));
                }
                max = chunkMax;
            }
            sum += ExpSum(in x, start, end, max, prefetch: end < n);
        }
        return (max, sum);
    }

    /// <summary>
    /// The sum of exp(x[i] - shift) for start &lt;= i &lt; end (Kahan-compensated, totalled in double); needs end &gt;= TS.Count.
    /// With <paramref name="prefetch"/>, the next chunk is prefetched meanwhile, so memory streams in while exp computes
    /// (otherwise the chunk's max would wait on memory and this loop would leave memory idle).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double ExpSum(ref readonly T x, nint start, nint end, T shift, bool prefetch)
    {
        int c = TS.Count;
        TV m = TS.Create(shift);
        TV s0 = TS.Create(T.Zero), s1 = s0, s2 = s0, s3 = s0;
        TV c0 = s0, c1 = s0, c2 = s0, c3 = s0;
        nint i = start;
        for (; i + 4 * c <= end; i += 4 * c)
        {
            if (prefetch)
            {
                // 4 vectors here; the same span of the next chunk, a 64-byte line at a time.
                for (nint p = 0; p < 4 * c; p += LineElements) Prefetch(in x, i + ChunkLength + p);
            }
            TS.AddCompensated(ref s0, ref c0, TS.ExpOfDifference(TS.Load(in x, i), m));
            TS.AddCompensated(ref s1, ref c1, TS.ExpOfDifference(TS.Load(in x, i + c), m));
            TS.AddCompensated(ref s2, ref c2, TS.ExpOfDifference(TS.Load(in x, i + 2 * c), m));
            TS.AddCompensated(ref s3, ref c3, TS.ExpOfDifference(TS.Load(in x, i + 3 * c), m));
        }
        for (; i + c <= end; i += c)
        {
            TS.AddCompensated(ref s0, ref c0, TS.ExpOfDifference(TS.Load(in x, i), m));
        }
        if (i < end)
        {
            // One vector ending at `end` overlaps elements already added: only its lanes from i on count.
            TV fresh = TS.TailMask((int)(c - (end - i)));
            TS.AddCompensated(ref s1, ref c1, TS.And(TS.ExpOfDifference(TS.Load(in x, end - c), m), fresh));
        }
        return TS.ReduceCompensated(s0, c0) + TS.ReduceCompensated(s1, c1) + TS.ReduceCompensated(s2, c2) + TS.ReduceCompensated(s3, c3);
    }

    private static readonly int LineElements = 64 / Unsafe.SizeOf<T>();

    // A hint only: a prefetch never faults, and one whose object the GC has just moved is merely wasted.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Prefetch(ref readonly T x, nint index)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref Unsafe.AsRef(in x), index)));
        }
    }

    /// <summary>Pass 2: y = exp(x - max) * factor, the difference taken exactly.</summary>
    private static void ScaledExp(ref readonly T x, ref T y, nint n, T max, T factor)
    {
        int c = TS.Count;
        TV m = TS.Create(max);
        TV f = TS.Create(factor);
        nint i = 0;
        for (; i + 4 * c <= n; i += 4 * c)
        {
            TV e0 = TS.ExpOfDifference(TS.Load(in x, i), m);
            TV e1 = TS.ExpOfDifference(TS.Load(in x, i + c), m);
            TV e2 = TS.ExpOfDifference(TS.Load(in x, i + 2 * c), m);
            TV e3 = TS.ExpOfDifference(TS.Load(in x, i + 3 * c), m);
            TS.Store(TS.Multiply(e0, f), ref y, i);
            TS.Store(TS.Multiply(e1, f), ref y, i + c);
            TS.Store(TS.Multiply(e2, f), ref y, i + 2 * c);
            TS.Store(TS.Multiply(e3, f), ref y, i + 3 * c);
        }
        for (; i + c <= n; i += c)
        {
            TS.Store(TS.Multiply(TS.ExpOfDifference(TS.Load(in x, i), m), f), ref y, i);
        }
        if (i < n)
        {
            // The last vector overlaps lanes already written (in place, their x is gone): keep those lanes of y.
            nint last = n - c;
            TV fresh = TS.TailMask((int)(c - (n - i)));
            TV v = TS.Multiply(TS.ExpOfDifference(TS.Load(in x, last), m), f);
            TS.Store(TS.Select(fresh, v, TS.Load(in y, last)), ref y, last);
        }
    }
}
