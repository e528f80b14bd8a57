using System.Numerics;
using System.Runtime.CompilerServices;

namespace KernelGen.Internal;

/// <summary>
/// Softmax over contiguous rows at least one vector long (the last axis): three passes per row.
/// 1. max; 2. e = exp(x - max) stored to the output and summed (log-softmax: only summed);
/// 3. multiply by 1/sum (log-softmax: write (x - max) - log(sum)).
/// A row whose length is not a multiple of the vector ends with one vector that overlaps the one
/// before it; its new lanes are selected by a mask, so the row is never read or written out of bounds
/// and the code stays correct in place.
/// </summary>
internal static class RowKernel<TS, TV, T>
    where TS : ISimd<TV, T>
    where TV : struct
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static void Run<TOp>(ref readonly T x, ref T y, nint rows, nint n)
        where TOp : IKernelOp
    {
        for (nint r = 0; r < rows; r++)
        {
            Row<TOp>(in Unsafe.Add(ref Unsafe.AsRef(in x), r * n), ref Unsafe.Add(ref y, r * n), n);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Row<TOp>(ref readonly T x, ref T y, nint n)
        where TOp : IKernelOp
    {
        // A NaN need not be tracked in the max: it reaches the sum (or the log of it) and makes the whole row NaN.
        T max = Reduce<TS, TV, T>.MaxOfRow(in x, n);
        if (TOp.IsLog)
        {
            WriteShifted(in x, ref y, n, max, T.CreateTruncating(LogSumExp(in x, n, max)));
        }
        else
        {
            double sum = ExpStoreSum(in x, ref y, n, max);
            // Results below the normal range are 0: e below 2^-126 * sum (for float; double flushes nothing).
            T floor = typeof(T) == typeof(float) ? T.CreateTruncating(Lanes.NormalFloorOfSum(sum)) : T.Zero;
            Scale(ref y, n, T.CreateTruncating(1.0 / sum), floor);
        }
    }

    /// <summary>
    /// Pass 2 of softmax: y = exp(x - max), the difference taken exactly; returns the sum. One vector per iteration
    /// (a small loop body stays in registers); blocks of <see cref="BlockVectors"/> vectors are added in float and each
    /// block's partial sum is folded into a double total (<see cref="ISimd{TV, T}.AddFolded"/>), totalled across the
    /// lanes once at the end: a long row loses nothing to float rounding, and no compensation term near the bottom of
    /// the float range is ever made (subnormal intermediates cost Intel processors a microcode assist each).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ExpStoreSum(ref readonly T x, ref T y, nint n, T max)
    {
        int c = TS.Count;
        TV shift = TS.Create(max), zero = TS.Create(T.Zero);
        VectorMath.ExpConstants<TV> k = TS.ExpConstants(); // loaded once: they stay in registers across the loop
        TV total = zero, lost = zero;
        nint i = 0;
        while (i + c <= n)
        {
            nint end = nint.Min(n - c, i + (BlockVectors - 1) * c); // the block's last vector
            TV partial = zero;
            for (; i <= end; i += c)
            {
                TV e = TS.ExpOfDifference(TS.Load(in x, i), shift, in k);
                TS.Store(e, ref y, i);
                partial = TS.Add(partial, e);
            }
            TS.AddFolded(ref total, ref lost, partial);
        }
        if (i < n)
        {
            nint last = n - c;
            TV fresh = TS.TailMask((int)(c - (n - i)));
            TV e = TS.ExpOfDifference(TS.Load(in x, last), shift, in k);
            TS.Store(TS.Select(fresh, e, TS.Load(in y, last)), ref y, last);
            TS.AddFolded(ref total, ref lost, TS.And(e, fresh));
        }
        return TS.ReduceFolded(total, lost);
    }

    /// <summary>Pass 2 adds this many vectors in float before folding them into the double total.</summary>
    internal const int BlockVectors = 4;

    /// <summary>
    /// Pass 2 of log-softmax: log(sum of exp(x - max)), nothing stored. The maxima (exp exactly 1) are
    /// counted apart from the other terms (Kahan-compensated), so log(sum) keeps its precision near 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double LogSumExp(ref readonly T x, nint n, T max)
    {
        int c = TS.Count;
        TV shift = TS.Create(max), one = TS.Create(T.One);
        TV s0 = TS.Create(T.Zero), s1 = s0, c0 = s0, c1 = s0, k0 = s0, k1 = s0;
        VectorMath.ExpConstants<TV> k = TS.ExpConstants(); // loaded once: they stay in registers across the loop
        nint i = 0;
        for (; i + 2 * c <= n; i += 2 * c)
        {
            TV x0 = TS.Load(in x, i), x1 = TS.Load(in x, i + c);
            TV top0 = TS.Equals(x0, shift), top1 = TS.Equals(x1, shift);
            TS.AddCompensated(ref s0, ref c0, TS.AndNot(TS.Exp(TS.Subtract(x0, shift), in k), top0));
            TS.AddCompensated(ref s1, ref c1, TS.AndNot(TS.Exp(TS.Subtract(x1, shift), in k), top1));
            k0 = TS.Add(k0, TS.And(one, top0));
            k1 = TS.Add(k1, TS.And(one, top1));
        }
        for (; i + c <= n; i += c)
        {
            TV x0 = TS.Load(in x, i);
            TV top0 = TS.Equals(x0, shift);
            TS.AddCompensated(ref s0, ref c0, TS.AndNot(TS.Exp(TS.Subtract(x0, shift), in k), top0));
            k0 = TS.Add(k0, TS.And(one, top0));
        }
        if (i < n)
        {
            TV fresh = TS.TailMask((int)(c - (n - i)));
            TV x1 = TS.Load(in x, n - c);
            TV top1 = TS.And(TS.Equals(x1, shift), fresh);
            TS.AddCompensated(ref s1, ref c1, TS.And(TS.AndNot(TS.Exp(TS.Subtract(x1, shift), in k), top1), fresh));
            k1 = TS.Add(k1, TS.And(one, top1));
        }
        double others = TS.ReduceCompensated(s0, c0) + TS.ReduceCompensated(s1, c1);
        double count = double.CreateTruncating(TS.ReduceSum(TS.Add(k0, k1)));
        return Internal.LogSumExp.LogOfSplitSum(others, count);
    }

    /// <summary>Pass 3 of softmax: y *= factor, results below the normal range 0 (<see cref="ISimd{TV, T}.ScaleAboveFloor"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Scale(ref T y, nint n, T factor, T floorOfRow)
    {
        int c = TS.Count;
        TV f = TS.Create(factor), floor = TS.Create(floorOfRow);
        nint i = 0;
        for (; i + 4 * c <= n; i += 4 * c)
        {
            TS.Store(TS.ScaleAboveFloor(TS.Load(in y, i), f, floor), ref y, i);
            TS.Store(TS.ScaleAboveFloor(TS.Load(in y, i + c), f, floor), ref y, i + c);
            TS.Store(TS.ScaleAboveFloor(TS.Load(in y, i + 2 * c), f, floor), ref y, i + 2 * c);
            TS.Store(TS.ScaleAboveFloor(TS.Load(in y, i + 3 * c), f, floor), ref y, i + 3 * c);
        }
        for (; i + c <= n; i += c)
        {
            TS.Store(TS.ScaleAboveFloor(TS.Load(in y, i), f, floor), ref y, i);
        }
        if (i < n)
        {
            nint last = n - c;
            TV fresh = TS.TailMask((int)(c - (n - i)));
            TV v = TS.Load(in y, last);
            TS.Store(TS.Select(fresh, TS.ScaleAboveFloor(v, f, floor), v), ref y, last);
        }
    }

    /// <summary>Pass 3 of log-softmax: y = (x - max) - logSum, subtracted in that order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteShifted(ref readonly T x, ref T y, nint n, T max, T logSum)
    {
        int c = TS.Count;
        TV m = TS.Create(max);
        TV l = TS.Create(logSum);
        nint i = 0;
        for (; i + 4 * c <= n; i += 4 * c)
        {
            TS.Store(TS.Subtract(TS.Subtract(TS.Load(in x, i), m), l), ref y, i);
            TS.Store(TS.Subtract(TS.Subtract(TS.Load(in x, i + c), m), l), ref y, i + c);
            TS.Store(TS.Subtract(TS.Subtract(TS.Load(in x, i + 2 * c), m), l), ref y, i + 2 * c);
            TS.Store(TS.Subtract(TS.Subtract(TS.Load(in x, i + 3 * c), m), l), ref y, i + 3 * c);
        }
        for (; i + c <= n; i += c)
        {
            TS.Store(TS.Subtract(TS.Subtract(TS.Load(in x, i), m), l), ref y, i);
        }
        if (i < n)
        {
            nint last = n - c;
            TV fresh = TS.TailMask((int)(c - (n - i)));
            TV v = TS.Subtract(TS.Subtract(TS.Load(in x, last), m), l);
            TS.Store(TS.Select(fresh, v, TS.Load(in y, last)), ref y, last);
        }
    }
}
