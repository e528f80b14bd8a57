using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace KernelGen.Internal;

/// <summary>
/// The training row functions on one SIMD width (<see cref="CompilerServices.TrainingRows"/> picks the width): the
/// softmax and log-softmax gradients along a contiguous row or down a slab of columns, and the cross-entropy of a row of
/// logits with or without its gradient. A row shorter than a vector (a slab narrower than one) runs on the scalar path.
/// A row whose length is not a multiple of the vector ends with one vector overlapping the one before it, whose new
/// lanes are selected by a mask, so nothing is read or written out of bounds and the code stays correct in place.
/// </summary>
internal static class TrainingKernels<TS, TV, T, TW>
    where TS : ITrainingSimd<TV, T, TW>
    where TV : struct
    where TW : struct
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>
    /// dx = scale * y * (dy - sum(dy * y)). Float vectors first try <see cref="TryFloatSoftmaxGradient"/>; otherwise (and
    /// for double) pass 1 takes the dot product in double-double per lane and pass 2 the gradient, computed in double and
    /// rounded once.
    /// </summary>
    public static void SoftmaxGradient(ref T y, ref T dy, ref T dx, nint n, T scale)
    {
        int c = TS.Count;
        if (n <= 0)
        {
            return; // an empty row (a causal row that keeps no key) has nothing to write
        }
        if (n < c)
        {
            TrainingKernels<SimdScalar<T>, T, T, double>.SoftmaxGradient(ref y, ref dy, ref dx, n, scale);
            return;
        }
        if (typeof(T) == typeof(float) && c > 1 && TryFloatSoftmaxGradient(ref y, ref dy, ref dx, n, scale))
        {
            return;
        }
        Wide<TW> a0 = default, a1 = default;
        nint i = 0;
        for (; i + 2 * c <= n; i += 2 * c)
        {
            TS.AddProduct(ref a0, TS.Load(in y, i), TS.Load(in dy, i));
            TS.AddProduct(ref a1, TS.Load(in y, i + c), TS.Load(in dy, i + c));
        }
        for (; i + c <= n; i += c)
        {
            TS.AddProduct(ref a0, TS.Load(in y, i), TS.Load(in dy, i));
        }
        if (i < n)
        {
            TV fresh = TS.TailMask((int)(c - (n - i)));
            TS.AddProduct(ref a1, TS.And(TS.Load(in y, n - c), fresh), TS.And(TS.Load(in dy, n - c), fresh));
        }
        (double hi, double lo) = WideMath.Add(TS.Total(in a0), TS.Total(in a1));
        Wide<TW> dot = TS.Broadcast(hi, lo);
        TW s = TS.CreateWide(double.CreateTruncating(scale));
        for (i = 0; i + c <= n; i += c)
        {
            TS.Store(TS.SoftmaxGradient(TS.Load(in y, i), TS.Load(in dy, i), in dot, s), ref dx, i);
        }
        if (i < n)
        {
            nint last = n - c;
            TV fresh = TS.TailMask((int)(c - (n - i)));
            TV v = TS.SoftmaxGradient(TS.Load(in y, last), TS.Load(in dy, last), in dot, s);
            TS.Store(TS.Select(fresh, v, TS.Load(in dx, last)), ref dx, last);
        }
    }

    /// <summary>
    /// The float vector path of <see cref="SoftmaxGradient"/> where it is accurate, which is almost always: 1. the dot
    /// product s = sum(dy * y), each product's float part added in double and its rounding error in float (see
    /// <see cref="ITrainingSimd{TV, T, TW}.AddProductDouble"/>), and a bound A = sum(|dy y|) in float; 2. dx =
    /// ((dy - hi) - lo) * y * scale in float, s held as two floats hi + lo (at most about 2 ULP), valid where every
    /// |dy - s| is at least ((n/c + 4) 2^-22 + 2^-20) A (c the lanes of a vector), so that the error of s (at most
    /// (n/c + 2) 2^-48 A) cannot move a result by more than a fraction of an ULP. Out of place, pass 2 checks that as it goes, and where it fails the double-double path
    /// then computes the row again; in place (dx is y or dy) a check pass reading dy comes first. Returns false where the
    /// check fails (dy - s cancels, as at the dominant element of a peaked row), having written nothing in place.
    /// </summary>
    private static bool TryFloatSoftmaxGradient(ref T y, ref T dy, ref T dx, nint n, T scale)
    {
        int c = TS.Count;
        TW p0 = default, p1 = default; // one chain of double adds: the loop's other work hides its latency
        TV e0 = TS.Create(T.Zero), e1 = e0, a0 = e0, a1 = e0;
        nint i = 0;
        for (; i + 2 * c <= n; i += 2 * c)
        {
            a0 = TS.Add(a0, TS.Abs(TS.AddProductDouble(ref p0, ref p1, ref e0, TS.Load(in y, i), TS.Load(in dy, i))));
            a1 = TS.Add(a1, TS.Abs(TS.AddProductDouble(ref p0, ref p1, ref e1, TS.Load(in y, i + c), TS.Load(in dy, i + c))));
        }
        for (; i + c <= n; i += c)
        {
            a0 = TS.Add(a0, TS.Abs(TS.AddProductDouble(ref p0, ref p1, ref e0, TS.Load(in y, i), TS.Load(in dy, i))));
        }
        if (i < n)
        {
            TV fresh = TS.TailMask((int)(c - (n - i)));
            a1 = TS.Add(a1, TS.Abs(TS.AddProductDouble(ref p0, ref p1, ref e1, TS.And(TS.Load(in y, n - c), fresh), TS.And(TS.Load(in dy, n - c), fresh))));
        }
        double s = TS.SumDouble(p0, p1) + double.CreateTruncating(TS.ReduceSum(TS.Add(e0, e1)));
        double bound = double.CreateTruncating(TS.ReduceSum(TS.Add(a0, a1))) * (1 + 1.0 / 1024);
        T hi = T.CreateTruncating(s);
        T lo = T.CreateTruncating(s - double.CreateTruncating(hi));
        // Each lane adds at most n / c + 2 products: the double sums are off by at most that many 2^-53 A, the float sums of
        // the rounding errors (each at most 2^-24 of its product) by that many 2^-48 A. Results stay within a fraction of
        // an ULP (2^-26 |dy - s|) where |dy - s| is at least 2^26 of that, plus 2^-20 A for s held as hi + lo.
        T limit = T.CreateTruncating(((n / c + 4) / 4194304.0 + 1 / 1048576.0) * bound); // ((n/c + 4) 2^-22 + 2^-20) A
        if (!T.IsFinite(hi) || !T.IsFinite(limit))
        {
            return false; // an infinity or a NaN: the other path gives the row its value
        }
        TV threshold = TS.Create(limit);
        TV h = TS.Create(hi), l = TS.Create(lo), f = TS.Create(scale);
        TV closest = TS.Create(T.PositiveInfinity);
        bool inPlace = Unsafe.AreSame(ref dx, ref y) || Unsafe.AreSame(ref dx, ref dy);
        if (inPlace)
        {
            for (i = 0; i + c <= n; i += c)
            {
                closest = TS.MinNative(closest, TS.Abs(TS.Subtract(TS.Subtract(TS.Load(in dy, i), h), l)));
            }
            closest = TS.MinNative(closest, TS.Abs(TS.Subtract(TS.Subtract(TS.Load(in dy, n - c), h), l))); // overlapping: harmless for a min
            if (TS.AnyLessThan(closest, threshold))
            {
                return false;
            }
        }
        for (i = 0; i + 2 * c <= n; i += 2 * c)
        {
            TV d0 = TS.Subtract(TS.Subtract(TS.Load(in dy, i), h), l);
            TV d1 = TS.Subtract(TS.Subtract(TS.Load(in dy, i + c), h), l);
            closest = TS.MinNative(closest, TS.MinNative(TS.Abs(d0), TS.Abs(d1)));
            TS.Store(TS.Multiply(TS.Multiply(d0, TS.Load(in y, i)), f), ref dx, i);
            TS.Store(TS.Multiply(TS.Multiply(d1, TS.Load(in y, i + c)), f), ref dx, i + c);
        }
        for (; i + c <= n; i += c)
        {
            TV d0 = TS.Subtract(TS.Subtract(TS.Load(in dy, i), h), l);
            closest = TS.MinNative(closest, TS.Abs(d0));
            TS.Store(TS.Multiply(TS.Multiply(d0, TS.Load(in y, i)), f), ref dx, i);
        }
        if (i < n)
        {
            nint last = n - c;
            TV fresh = TS.TailMask((int)(c - (n - i)));
            TV d0 = TS.Subtract(TS.Subtract(TS.Load(in dy, last), h), l);
            closest = TS.MinNative(closest, TS.Abs(d0));
            TS.Store(TS.Select(fresh, TS.Multiply(TS.Multiply(d0, TS.Load(in y, last)), f), TS.Load(in dx, last)), ref dx, last);
        }
        // Out of place the inputs are intact: a failed check sends the row to the double-double path.
        return inPlace || !TS.AnyLessThan(closest, threshold);
    }

    /// <summary>
    /// dx = scale * (dy - exp(y) * sum(dy)): pass 1 the sum, in double-double per lane (and a look for a NaN in y); pass
    /// 2 the gradient, in float where that is accurate (float vectors, <see cref="FloatLogGradient"/>), otherwise
    /// computed in double (exp in double) and rounded once.
    /// </summary>
    public static void LogSoftmaxGradient(ref T y, ref T dy, ref T dx, nint n, T scale)
    {
        int c = TS.Count;
        if (n <= 0)
        {
            return;
        }
        if (n < c)
        {
            TrainingKernels<SimdScalar<T>, T, T, double>.LogSoftmaxGradient(ref y, ref dy, ref dx, n, scale);
            return;
        }
        // Pass 1 also looks for a NaN in y: it would make only its own element NaN, and a NaN makes the whole row NaN.
        Wide<TW> a0 = default, a1 = default;
        TV ordered = TS.NoNaN;
        nint i = 0;
        for (; i + 2 * c <= n; i += 2 * c)
        {
            TS.AddValue(ref a0, TS.Load(in dy, i));
            TS.AddValue(ref a1, TS.Load(in dy, i + c));
            ordered = TS.TrackNaN(TS.TrackNaN(ordered, TS.Load(in y, i)), TS.Load(in y, i + c));
        }
        for (; i + c <= n; i += c)
        {
            TS.AddValue(ref a0, TS.Load(in dy, i));
            ordered = TS.TrackNaN(ordered, TS.Load(in y, i));
        }
        if (i < n)
        {
            TS.AddValue(ref a1, TS.And(TS.Load(in dy, n - c), TS.TailMask((int)(c - (n - i)))));
            ordered = TS.TrackNaN(ordered, TS.Load(in y, n - c));
        }
        if (TS.SawNaN(ordered))
        {
            for (i = 0; i < n; i++) Unsafe.Add(ref dx, i) = T.NaN;
            return;
        }
        (double hi, double lo) = WideMath.Add(TS.Total(in a0), TS.Total(in a1));
        Wide<TW> sum = TS.Broadcast(hi, lo);
        TW s = TS.CreateWide(double.CreateTruncating(scale));
        if (typeof(T) == typeof(float) && c > 1)
        {
            // Float vectors: in float where that is accurate, vector by vector (see FloatLogGradient).
            VectorMath.ExpConstants<TV> k = TS.ExpConstants();
            TV sumF = TS.Create(T.CreateTruncating(hi + lo)), f = TS.Create(scale);
            for (i = 0; i + c <= n; i += c)
            {
                TS.Store(FloatLogGradient(TS.Load(in y, i), TS.Load(in dy, i), sumF, f, in k, in sum, s), ref dx, i);
            }
            if (i < n)
            {
                nint last = n - c;
                TV fresh = TS.TailMask((int)(c - (n - i)));
                TV v = FloatLogGradient(TS.And(TS.Load(in y, last), fresh), TS.And(TS.Load(in dy, last), fresh), sumF, f, in k, in sum, s);
                TS.Store(TS.Select(fresh, v, TS.Load(in dx, last)), ref dx, last);
            }
            return;
        }
        for (i = 0; i + c <= n; i += c)
        {
            TS.Store(TS.LogSoftmaxGradient(TS.Load(in y, i), TS.Load(in dy, i), in sum, s), ref dx, i);
        }
        if (i < n)
        {
            nint last = n - c;
            TV fresh = TS.TailMask((int)(c - (n - i)));
            // The lanes already written are set to 0 first: double exp and log take a slower path for a vector with a
            // lane out of their fast range, whose results can differ by an ULP, and in place those lanes hold gradients.
            TV v = TS.LogSoftmaxGradient(TS.And(TS.Load(in y, last), fresh), TS.And(TS.Load(in dy, last), fresh), in sum, s);
            TS.Store(TS.Select(fresh, v, TS.Load(in dx, last)), ref dx, last);
        }
    }

    /// <summary>
    /// One vector of the float log-softmax gradient: p = exp(y) * sum in float (KernelGen's exp, within 1.04 ULP; the
    /// sum rounded to float; the product rounded: p within about 4.1 2^-24 |p|), d = dy - p, dx = d * scale. Where every
    /// lane has |d| &gt;= 2 |p| (no cancellation), the result is within about 3.6 ULP; a vector with a lane below that (as
    /// at a confident target of the negative log-likelihood's gradient, where dy - exp(y) sum is 1 - p_target) is
    /// computed in double instead (<see cref="ITrainingSimd{TV, T, TW}.LogSoftmaxGradient"/>, 0.5 ULP).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV FloatLogGradient(TV y, TV dy, TV sumF, TV f, in VectorMath.ExpConstants<TV> k, in Wide<TW> sum, TW s)
    {
        TV p = TS.Multiply(TS.Exp(y, in k), sumF);
        TV d = TS.Subtract(dy, p);
        TV ap = TS.Abs(p);
        if (TS.AnyLessThan(TS.Abs(d), TS.Add(ap, ap)))
        {
            return TS.LogSoftmaxGradient(y, dy, in sum, s);
        }
        return TS.Multiply(d, f);
    }

    /// <summary>
    /// The softmax gradient of each of <paramref name="inner"/> columns of <paramref name="n"/> positions: blocks of one
    /// vector of neighbouring columns walk down the axis twice (the per-lane dot products, then the gradients); a last
    /// block that is not a whole vector overlaps the one before it and writes only its new lanes.
    /// </summary>
    public static void SoftmaxGradientColumns(ref T y, ref T dy, ref T dx, nint n, nint inner, T scale) =>
        Columns(ref y, ref dy, ref dx, n, inner, scale, log: false);

    /// <summary>The log-softmax gradient of each column (see <see cref="SoftmaxGradientColumns"/>).</summary>
    public static void LogSoftmaxGradientColumns(ref T y, ref T dy, ref T dx, nint n, nint inner, T scale) =>
        Columns(ref y, ref dy, ref dx, n, inner, scale, log: true);

    private static void Columns(ref T y, ref T dy, ref T dx, nint n, nint inner, T scale, bool log)
    {
        int c = TS.Count;
        if (n <= 0 || inner <= 0)
        {
            return;
        }
        if (inner < c)
        {
            if (log) TrainingKernels<SimdScalar<T>, T, T, double>.LogSoftmaxGradientColumns(ref y, ref dy, ref dx, n, inner, scale);
            else TrainingKernels<SimdScalar<T>, T, T, double>.SoftmaxGradientColumns(ref y, ref dy, ref dx, n, inner, scale);
            return;
        }
        TW s = TS.CreateWide(double.CreateTruncating(scale));
        nint col = 0;
        for (; col + c <= inner; col += c)
        {
            if (log) ColumnBlock<LogSoftmaxOp>(ref Unsafe.Add(ref y, col), ref Unsafe.Add(ref dy, col), ref Unsafe.Add(ref dx, col), n, inner, s, default, masked: false);
            else ColumnBlock<SoftmaxOp>(ref Unsafe.Add(ref y, col), ref Unsafe.Add(ref dy, col), ref Unsafe.Add(ref dx, col), n, inner, s, default, masked: false);
        }
        if (col < inner)
        {
            nint last = inner - c;
            TV fresh = TS.TailMask((int)(c - (inner - col)));
            if (log) ColumnBlock<LogSoftmaxOp>(ref Unsafe.Add(ref y, last), ref Unsafe.Add(ref dy, last), ref Unsafe.Add(ref dx, last), n, inner, s, fresh, masked: true);
            else ColumnBlock<SoftmaxOp>(ref Unsafe.Add(ref y, last), ref Unsafe.Add(ref dy, last), ref Unsafe.Add(ref dx, last), n, inner, s, fresh, masked: true);
        }
    }

    // One vector of columns; with `masked`, only the lanes set in `fresh` are written (the overlapping last block, whose
    // other lanes, already written, may have been overwritten in place: their sums are garbage and are not used).
    private static void ColumnBlock<TOp>(ref T y, ref T dy, ref T dx, nint n, nint stride, TW scale, TV fresh, bool masked)
        where TOp : IKernelOp
    {
        Wide<TW> acc = default;
        TV ordered = TS.NoNaN; // log-softmax: a NaN in y makes its column NaN
        for (nint l = 0, at = 0; l < n; l++, at += stride)
        {
            if (TOp.IsLog)
            {
                TS.AddValue(ref acc, TS.Load(in dy, at));
                ordered = TS.TrackNaN(ordered, TS.Load(in y, at));
            }
            else
            {
                TS.AddProduct(ref acc, TS.Load(in y, at), TS.Load(in dy, at));
            }
        }
        TV nan = TS.Create(T.NaN);
        for (nint l = 0, at = 0; l < n; l++, at += stride)
        {
            TV v = TOp.IsLog
                ? TS.Select(ordered, TS.LogSoftmaxGradient(masked ? TS.And(TS.Load(in y, at), fresh) : TS.Load(in y, at), TS.Load(in dy, at), in acc, scale), nan)
                : TS.SoftmaxGradient(TS.Load(in y, at), TS.Load(in dy, at), in acc, scale);
            TS.Store(masked ? TS.Select(fresh, v, TS.Load(in dx, at)) : v, ref dx, at);
        }
    }

    /// <summary>
    /// The cross-entropy of a row of logits, and with <paramref name="gradient"/> its gradient, in at most three passes
    /// over the logits and one write of the gradient: 1. m = max(z), z = scale * x; 2. exp(z - m) (the difference taken
    /// exactly for float) summed in double, the maxima (exp exactly 1) counted apart; 3. (gradient only) dx =
    /// gradientFactor * exp(z - m) / sum, float results below the normal range 0; then the target's element,
    /// gradientFactor * (softmax - 1), is computed apart in double as -(sum of the other terms) / sum.
    /// </summary>
    public static T CrossEntropy(ref T x, nint n, int target, T scale, T gradientFactor, bool zeroMaskedRows, ref T dx, bool gradient)
    {
        int c = TS.Count;
        if (n <= 0)
        {
            return T.NaN; // no classes: no target can be valid
        }
        if (n < c)
        {
            return TrainingKernels<SimdScalar<T>, T, T, double>.CrossEntropy(ref x, n, target, scale, gradientFactor, zeroMaskedRows, ref dx, gradient);
        }
        TV s = TS.Create(scale);
        // Pass 1: the max of z. A NaN may be dropped here: it reaches the sum and makes the row NaN.
        TV m0 = TS.Create(T.NegativeInfinity), m1 = m0, m2 = m0, m3 = m0;
        nint i = 0;
        for (; i + 4 * c <= n; i += 4 * c)
        {
            m0 = TS.MaxNative(m0, TS.Multiply(TS.Load(in x, i), s));
            m1 = TS.MaxNative(m1, TS.Multiply(TS.Load(in x, i + c), s));
            m2 = TS.MaxNative(m2, TS.Multiply(TS.Load(in x, i + 2 * c), s));
            m3 = TS.MaxNative(m3, TS.Multiply(TS.Load(in x, i + 3 * c), s));
        }
        for (; i + c <= n; i += c)
        {
            m0 = TS.MaxNative(m0, TS.Multiply(TS.Load(in x, i), s));
        }
        if (i < n)
        {
            m1 = TS.MaxNative(m1, TS.Multiply(TS.Load(in x, n - c), s)); // re-reading elements cannot change a max
        }
        T m = TS.ReduceMax(TS.MaxNative(TS.MaxNative(m0, m1), TS.MaxNative(m2, m3)));
        T zt = scale * Unsafe.Add(ref x, target); // read before anything is written (dx may be x)
        if (!T.IsFinite(m))
        {
            return Special(ref x, n, scale, m, zeroMaskedRows, ref dx, gradient);
        }

        // Pass 2: others = sum of exp(z - m) over the elements below the max, in double; count = the maxima.
        TV shift = TS.Create(m), one = TS.Create(T.One);
        VectorMath.ExpConstants<TV> k = TS.ExpConstants();
        TV total = TS.Create(T.Zero), lost = total, count0 = total, count1 = total;
        for (i = 0; i + 2 * c <= n; i += 2 * c)
        {
            TV z0 = TS.Multiply(TS.Load(in x, i), s), z1 = TS.Multiply(TS.Load(in x, i + c), s);
            TV top0 = TS.Equals(z0, shift), top1 = TS.Equals(z1, shift);
            TV e0 = TS.AndNot(TS.ExpOfDifference(z0, shift, in k), top0);
            TV e1 = TS.AndNot(TS.ExpOfDifference(z1, shift, in k), top1);
            AddExp(ref total, ref lost, e0);
            AddExp(ref total, ref lost, e1);
            count0 = TS.Add(count0, TS.And(one, top0));
            count1 = TS.Add(count1, TS.And(one, top1));
        }
        for (; i + c <= n; i += c)
        {
            TV z0 = TS.Multiply(TS.Load(in x, i), s);
            TV top0 = TS.Equals(z0, shift);
            AddExp(ref total, ref lost, TS.AndNot(TS.ExpOfDifference(z0, shift, in k), top0));
            count0 = TS.Add(count0, TS.And(one, top0));
        }
        if (i < n)
        {
            TV fresh = TS.TailMask((int)(c - (n - i)));
            // The lanes counted already are set to the max (exp 1, masked off): double exp takes a slower path for a
            // vector with a lane out of its fast range, whose results can differ by an ULP; pass 3 does the same.
            TV z1 = TS.Select(fresh, TS.Multiply(TS.Load(in x, n - c), s), shift);
            TV top1 = TS.And(TS.Equals(z1, shift), fresh);
            AddExp(ref total, ref lost, TS.And(TS.AndNot(TS.ExpOfDifference(z1, shift, in k), top1), fresh));
            count1 = TS.Add(count1, TS.And(one, top1));
        }
        double others = typeof(T) == typeof(float) ? TS.ReduceFolded(total, lost) : TS.ReduceCompensated(total, lost);
        double maxima = double.CreateTruncating(TS.ReduceSum(TS.Add(count0, count1)));
        double sum = maxima + others;
        // log(sum) near 0 keeps its precision: log1p of the others when the max is unique.
        double logSum = maxima == 1 ? LogSumExp.Log1P(others) : Math.Log(sum);
        double shiftedTarget = double.CreateTruncating(zt) - double.CreateTruncating(m);
        T loss = T.CreateTruncating(logSum - shiftedTarget);
        if (!gradient)
        {
            return loss;
        }

        // Pass 3: dx = factor * exp(z - m), factor = gradientFactor / sum rounded once.
        double g = double.CreateTruncating(gradientFactor);
        TV f = TS.Create(T.CreateTruncating(g / sum));
        TV floor = TS.NormalFloor(f);
        for (i = 0; i + 2 * c <= n; i += 2 * c)
        {
            TV e0 = TS.ExpOfDifference(TS.Multiply(TS.Load(in x, i), s), shift, in k);
            TV e1 = TS.ExpOfDifference(TS.Multiply(TS.Load(in x, i + c), s), shift, in k);
            TS.Store(TS.ScaleAboveFloor(e0, f, floor), ref dx, i);
            TS.Store(TS.ScaleAboveFloor(e1, f, floor), ref dx, i + c);
        }
        for (; i + c <= n; i += c)
        {
            TS.Store(TS.ScaleAboveFloor(TS.ExpOfDifference(TS.Multiply(TS.Load(in x, i), s), shift, in k), f, floor), ref dx, i);
        }
        if (i < n)
        {
            nint last = n - c;
            TV fresh = TS.TailMask((int)(c - (n - i)));
            TV z = TS.Select(fresh, TS.Multiply(TS.Load(in x, last), s), shift); // in place, the other lanes hold gradients
            TV v = TS.ScaleAboveFloor(TS.ExpOfDifference(z, shift, in k), f, floor);
            TS.Store(TS.Select(fresh, v, TS.Load(in dx, last)), ref dx, last);
        }
        // The target: softmax - 1 = -(sum of the other terms) / sum. When the target is the unique max those are the
        // others, exactly as summed (so a confident row's gradient keeps its precision); otherwise the target's
        // probability is at most 1/2 and sum - exp(z_t - m) does not cancel.
        double rest = maxima == 1 && shiftedTarget == 0 ? others : sum - Math.Exp(shiftedTarget);
        Unsafe.Add(ref dx, target) = FlushSubnormal(T.CreateTruncating(-g * (rest / sum)));
        return loss;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddExp(ref TV total, ref TV lost, TV e)
    {
        // Float: each vector widened into double totals (no float rounding of the sum); double: Kahan-compensated.
        if (typeof(T) == typeof(float)) TS.AddFolded(ref total, ref lost, e);
        else TS.AddCompensated(ref total, ref lost, e);
    }

    private static T FlushSubnormal(T value) =>
        typeof(T) == typeof(float) && T.Abs(value) < T.CreateTruncating(Lanes.SmallestNormalFloat) ? T.CopySign(T.Zero, value) : value;

    // The max is not finite: +inf or NaN (a row holding +inf, or a NaN the max kept) gives NaN; -inf is a row of -inf
    // (or of -inf and NaN, whose NaN the max dropped): NaN if a NaN is there, else loss +inf and a gradient of 0 or NaN.
    private static T Special(ref T x, nint n, T scale, T m, bool zeroMaskedRows, ref T dx, bool gradient)
    {
        bool nan = !T.IsNegativeInfinity(m);
        for (nint i = 0; i < n && !nan; i++)
        {
            nan = T.IsNaN(scale * Unsafe.Add(ref x, i));
        }
        if (gradient)
        {
            T fill = nan || !zeroMaskedRows ? T.NaN : T.Zero;
            for (nint i = 0; i < n; i++) Unsafe.Add(ref dx, i) = fill;
        }
        return nan ? T.NaN : T.PositiveInfinity;
    }
}
