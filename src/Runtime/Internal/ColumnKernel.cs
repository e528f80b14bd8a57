using System.Numerics;
using System.Runtime.CompilerServices;

namespace KernelGen.Internal;

/// <summary>
/// Softmax along a non-last axis whose inner dimension holds at least one vector: the lanes of a
/// vector are neighbouring columns, and each pass walks down the axis with stride <c>inner</c>, so
/// nothing is transposed. Columns go in blocks of two vectors (independent accumulators); a block's
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
        for (nint l = 0, at = 0; l < length; l++, at += stride)
        {
            if (TOp.IsLog)
            {
                TS.Store(TS.Subtract(TS.Subtract(TS.Load(in x, at), m0), f0), ref y, at);
                TS.Store(TS.Subtract(TS.Subtract(TS.Load(in x, at + c), m1), f1), ref y, at + c);
            }
            else
            {
                TS.Store(TS.Multiply(TS.Load(in y, at), f0), ref y, at);
                TS.Store(TS.Multiply(TS.Load(in y, at + c), f1), ref y, at + c);
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
        TV f = LaneSums<TS, TV, T>.Finish<TOp>(s, lost, k);
        for (nint l = 0, at = 0; l < length; l++, at += stride)
        {
            TV v = TOp.IsLog ? TS.Subtract(TS.Subtract(TS.Load(in x, at), m), f) : TS.Multiply(TS.Load(in y, at), f);
            TS.Store(masked ? TS.Select(fresh, v, TS.Load(in y, at)) : v, ref y, at);
        }
    }
}
