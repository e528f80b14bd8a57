using System.Numerics;
using System.Runtime.CompilerServices;

namespace KernelGen.Internal;

/// <summary>
/// Softmax along a non-last axis whose inner dimension holds at least one vector: the lanes of a
/// vector are neighbouring columns, and each pass walks down the axis with stride <c>inner</c>, so
/// nothing is transposed. Wide inner dimensions (at least <see cref="WideMinVectors"/> vectors) go in blocks of up to
/// <see cref="WideVectors"/> vectors whose passes sweep the block row by row, every column's accumulators in
/// inline-array buffers on the stack: each row's part of the block is read contiguously and the block has that many
/// independent accumulators. Narrower ones go in blocks of two vectors (independent accumulators); a block's
/// rows are read by all three passes while they are still in L1/L2. A final block that is not a whole
/// vector overlaps the one before it and writes only its new lanes.
/// </summary>
internal static class ColumnKernel<TS, TV, T>
    where TS : ISimd<TV, T>
    where TV : struct
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static void Run<TOp>(ref readonly T x, ref T y, nint outer, nint length, nint inner)
        where TOp : IKernelOp
    {
        int c = TS.Count;
        nint slab = length * inner;
        for (nint o = 0; o < outer; o++)
        {
            ref readonly T xs = ref Unsafe.Add(ref Unsafe.AsRef(in x), o * slab);
            ref T ys = ref Unsafe.Add(ref y, o * slab);
            nint col = 0;
            while (inner - col >= WideMinVectors * c)
            {
                int n = (int)nint.Min(WideVectors, (inner - col) / c);
                Wide<TOp>(in Unsafe.Add(ref Unsafe.AsRef(in xs), col), ref Unsafe.Add(ref ys, col), length, inner, n);
                col += n * c;
            }
            for (; col + 2 * c <= inner; col += 2 * c)
            {
                Block2<TOp>(in Unsafe.Add(ref Unsafe.AsRef(in xs), col), ref Unsafe.Add(ref ys, col), length, inner);
            }
            for (; col + c <= inner; col += c)
            {
                Block1<TOp>(in Unsafe.Add(ref Unsafe.AsRef(in xs), col), ref Unsafe.Add(ref ys, col), length, inner, TS.TailMask(0), masked: false);
            }
            if (col < inner)
            {
                nint last = inner - c;
                Block1<TOp>(in Unsafe.Add(ref Unsafe.AsRef(in xs), last), ref Unsafe.Add(ref ys, last), length, inner, TS.TailMask((int)(c - (inner - col))), masked: true);
            }
        }
    }

    /// <summary>The fewest vectors of columns that go to <see cref="Wide{TOp}"/>.</summary>
    internal const int WideMinVectors = 4;

    /// <summary>The most vectors of columns in one <see cref="Wide{TOp}"/> block.</summary>
    internal const int WideVectors = 64;

    [InlineArray(WideVectors)]
    private struct Accumulators
    {
        private TV _element;
    }

    // n (at most WideVectors) vectors of columns, each pass sweeping the block's rows front to back. The buffers are
    // not zeroed first (8 KB would cost more than a small tensor's whole softmax): only their first n vectors are used,
    // and each is written before it is read.
    [SkipLocalsInit]
    private static void Wide<TOp>(ref readonly T x, ref T y, nint length, nint stride, int n)
        where TOp : IKernelOp
    {
        int c = TS.Count;
        Unsafe.SkipInit(out Accumulators max);
        Unsafe.SkipInit(out Accumulators sum);
        Unsafe.SkipInit(out Accumulators lost);
        Unsafe.SkipInit(out Accumulators maxima);
        for (int j = 0; j < n; j++) max[j] = TS.Create(T.NegativeInfinity);
        for (nint l = 0, at = 0; l < length; l++, at += stride)
        {
            for (int j = 0; j < n; j++) max[j] = TS.MaxNative(max[j], TS.Load(in x, at + j * c));
        }
        TV zero = TS.Create(T.Zero);
        for (int j = 0; j < n; j++) sum[j] = lost[j] = maxima[j] = zero;
        for (nint l = 0, at = 0; l < length; l++, at += stride)
        {
            for (int j = 0; j < n; j++)
            {
                TV e = LaneSums<TS, TV, T>.Add<TOp>(TS.Load(in x, at + j * c), max[j], ref sum[j], ref lost[j], ref maxima[j]);
                if (!TOp.IsLog) TS.Store(e, ref y, at + j * c);
            }
        }
        // From here on sum holds 1/sum (softmax) or log(sum) (log-softmax), and lost the floor below which e * (1/sum)
        // would be subnormal (those results are 0).
        for (int j = 0; j < n; j++) sum[j] = LaneSums<TS, TV, T>.Finish<TOp>(sum[j], lost[j], maxima[j]);
        if (!TOp.IsLog)
        {
            for (int j = 0; j < n; j++) lost[j] = TS.NormalFloor(sum[j]);
        }
        for (nint l = 0, at = 0; l < length; l++, at += stride)
        {
            for (int j = 0; j < n; j++)
            {
                TV v = TOp.IsLog
                    ? TS.Subtract(TS.Subtract(TS.Load(in x, at + j * c), max[j]), sum[j])
                    : TS.ScaleAboveFloor(TS.Load(in y, at + j * c), sum[j], lost[j]);
                TS.Store(v, ref y, at + j * c);
            }
        }
    }

    private static void Block2<TOp>(ref readonly T x, ref T y, nint length, nint stride)
        where TOp : IKernelOp
    {
        int c = TS.Count;
        TV m0 = TS.Create(T.NegativeInfinity), m1 = m0;
        for (nint l = 0, at = 0; l < length; l++, at += stride)
        {
            m0 = TS.MaxNative(m0, TS.Load(in x, at));
            m1 = TS.MaxNative(m1, TS.Load(in x, at + c));
        }
        TV s0 = TS.Create(T.Zero), s1 = s0, lost0 = s0, lost1 = s0, k0 = s0, k1 = s0;
        for (nint l = 0, at = 0; l < length; l++, at += stride)
        {
            TV e0 = LaneSums<TS, TV, T>.Add<TOp>(TS.Load(in x, at), m0, ref s0, ref lost0, ref k0);
            TV e1 = LaneSums<TS, TV, T>.Add<TOp>(TS.Load(in x, at + c), m1, ref s1, ref lost1, ref k1);
            if (!TOp.IsLog)
            {
                TS.Store(e0, ref y, at);
                TS.Store(e1, ref y, at + c);
            }
        }
        TV f0 = LaneSums<TS, TV, T>.Finish<TOp>(s0, lost0, k0);
        TV f1 = LaneSums<TS, TV, T>.Finish<TOp>(s1, lost1, k1);
        TV floor0 = TS.NormalFloor(f0), floor1 = TS.NormalFloor(f1);
        for (nint l = 0, at = 0; l < length; l++, at += stride)
        {
            if (TOp.IsLog)
            {
                TS.Store(TS.Subtract(TS.Subtract(TS.Load(in x, at), m0), f0), ref y, at);
                TS.Store(TS.Subtract(TS.Subtract(TS.Load(in x, at + c), m1), f1), ref y, at + c);
            }
            else
            {
                TS.Store(TS.ScaleAboveFloor(TS.Load(in y, at), f0, floor0), ref y, at);
                TS.Store(TS.ScaleAboveFloor(TS.Load(in y, at + c), f1, floor1), ref y, at + c);
            }
        }
    }

    // One vector of columns; with `masked`, only the lanes set in `fresh` are written (the tail block).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block1<TOp>(ref readonly T x, ref T y, nint length, nint stride, TV fresh, bool masked)
        where TOp : IKernelOp
    {
        TV m = TS.Create(T.NegativeInfinity);
        for (nint l = 0, at = 0; l < length; l++, at += stride)
        {
            m = TS.MaxNative(m, TS.Load(in x, at));
        }
        TV s = TS.Create(T.Zero), lost = s, k = s;
        for (nint l = 0, at = 0; l < length; l++, at += stride)
        {
            TV e = LaneSums<TS, TV, T>.Add<TOp>(TS.Load(in x, at), m, ref s, ref lost, ref k);
            if (!TOp.IsLog)
            {
                TS.Store(masked ? TS.Select(fresh, e, TS.Load(in y, at)) : e, ref y, at);
            }
        }
        TV f = LaneSums<TS, TV, T>.Finish<TOp>(s, lost, k), floor = TS.NormalFloor(f);
        for (nint l = 0, at = 0; l < length; l++, at += stride)
        {
            TV v = TOp.IsLog ? TS.Subtract(TS.Subtract(TS.Load(in x, at), m), f) : TS.ScaleAboveFloor(TS.Load(in y, at), f, floor);
            TS.Store(masked ? TS.Select(fresh, v, TS.Load(in y, at)) : v, ref y, at);
        }
    }
}
