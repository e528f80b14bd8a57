using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace KernelGen.Internal;

/// <summary>
/// The operations the generic kernels need from one SIMD width. Each kernel is written once, generic
/// over an implementation of this interface; the JIT specialises it for every (width, element type)
/// pair and inlines the calls, so <see cref="Simd512{T}"/>, <see cref="Simd256{T}"/>, <see cref="Simd128{T}"/> and
/// <see cref="SimdScalar{T}"/> give four independent, fully specialised code paths.
/// </summary>
internal interface ISimd<TV, T>
    where TV : struct
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }
    static abstract TV Load(ref readonly T source, nint index);
    static abstract void Store(TV value, ref T destination, nint index);
    static abstract TV Create(T value);
    static abstract TV Add(TV left, TV right);
    static abstract TV Subtract(TV left, TV right);
    static abstract TV Multiply(TV left, TV right);
    /// <summary>left * right + addend, fused where the hardware can.</summary>
    static abstract TV MultiplyAdd(TV left, TV right, TV addend);
    /// <summary>The hardware max: the result for a NaN operand is unspecified (use <see cref="TrackNaN"/>).</summary>
    static abstract TV MaxNative(TV left, TV right);
    /// <summary>e^x for the kernels' x - max (at most 0): no overflow path, no branch.</summary>
    static abstract TV Exp(TV x);
    /// <summary>e^(x - y) with the difference taken exactly (see <see cref="VectorMath.ExpOfDifference(Vector256{float}, Vector256{float})"/>).</summary>
    static abstract TV ExpOfDifference(TV x, TV y);
    /// <summary>
    /// The float exp's constants, splatted once (default for double, whose exp is the BCL's): a kernel makes them before
    /// its exp loop and passes them to the overloads below, and they stay in registers across the loop.
    /// </summary>
    static abstract VectorMath.ExpConstants<TV> ExpConstants();
    /// <summary><see cref="ExpOfDifference(TV, TV)"/> with the constants made by <see cref="ExpConstants"/>.</summary>
    static abstract TV ExpOfDifference(TV x, TV y, in VectorMath.ExpConstants<TV> k);
    /// <summary><see cref="Exp(TV)"/> with the constants made by <see cref="ExpConstants"/>.</summary>
    static abstract TV Exp(TV x, in VectorMath.ExpConstants<TV> k);
    /// <summary>
    /// Adds a vector of partial sums (exp values, added a few vectors at a time) into a running total that cannot lose
    /// them to rounding: for float vectors, lanes j and j + half widened and added into doubles held in
    /// <paramref name="total"/>'s bits (a vector of floats is as wide as the vector of half as many doubles), with no
    /// compensation and so no tiny differences (a compensated float sum of exp values near the bottom of the float
    /// range makes subnormal corrections, which cost Intel processors a microcode assist each); double vectors add
    /// directly; one lane (scalar float) keeps a Kahan sum in <paramref name="total"/> and <paramref name="lost"/>.
    /// Start both at zero and finish with <see cref="ReduceFolded"/>.
    /// </summary>
    static abstract void AddFolded(ref TV total, ref TV lost, TV partial);
    /// <summary>The total of <see cref="AddFolded"/>, in double.</summary>
    static abstract double ReduceFolded(TV total, TV lost);
    /// <summary>Kahan summation: adds value to sum, keeping the rounding error in compensation.</summary>
    static abstract void AddCompensated(ref TV sum, ref TV compensation, TV value);
    /// <summary>The total of a compensated sum's lanes, in double.</summary>
    static abstract double ReduceCompensated(TV sum, TV compensation);
    /// <summary>
    /// Per lane, log(count + (sum - compensation)) computed in double as log(count) + log1p(others / count):
    /// the row's maxima (whose exp is exactly 1) are counted apart from the other terms, so a log-sum
    /// just above 0 keeps its relative precision.
    /// </summary>
    static abstract TV LogOfSplitSum(TV sum, TV compensation, TV count);
    /// <summary>
    /// Per lane, the smallest value whose product with <paramref name="factor"/> is a normal number (for float:
    /// <c>2^-126 / factor</c>; for double nothing is flushed and this is 0).
    /// </summary>
    static abstract TV NormalFloor(TV factor);
    /// <summary>
    /// value * factor, with 0 where value is below <paramref name="floor"/> (<see cref="NormalFloor"/>): the product
    /// would be subnormal, which costs Intel processors a microcode assist per instruction; those results are 0.
    /// </summary>
    static abstract TV ScaleAboveFloor(TV value, TV factor, TV floor);
    /// <summary>Lanes where left == right are set.</summary>
    static abstract TV Equals(TV left, TV right);
    /// <summary>The lanes of value where mask is clear, zero elsewhere.</summary>
    static abstract TV AndNot(TV value, TV mask);
    /// <summary>Per lane, 1 / (sum - compensation), to within 2^-46 before its one rounding (see <see cref="Reductions.Reciprocal{T}(Vector256{T}, Vector256{T})"/>).</summary>
    static abstract TV ReciprocalOfCompensated(TV sum, TV compensation);
    static abstract TV Log(TV x);
    static abstract TV Divide(TV left, TV right);
    static abstract T ReduceMax(TV value);
    static abstract T ReduceSum(TV value);
    /// <summary>An accumulator for <see cref="TrackNaN"/> that has seen no NaN.</summary>
    static abstract TV NoNaN { get; }
    /// <summary>Folds x into a NaN tracker.</summary>
    static abstract TV TrackNaN(TV tracker, TV x);
    static abstract bool SawNaN(TV tracker);
    /// <summary>A mask whose lanes from <paramref name="firstLane"/> on are set: the new lanes of a tail vector that overlaps the one before it.</summary>
    static abstract TV TailMask(int firstLane);
    /// <summary>The lanes of <paramref name="value"/> where <paramref name="mask"/> is set, zero elsewhere.</summary>
    static abstract TV And(TV value, TV mask);
    /// <summary>Lanes of <paramref name="ifSet"/> where <paramref name="mask"/> is set, of <paramref name="ifClear"/> elsewhere.</summary>
    static abstract TV Select(TV mask, TV ifSet, TV ifClear);
    /// <summary>Lane j reads <c>source[offsets[j] + index]</c>.</summary>
    static abstract TV Gather(ref readonly T source, ReadOnlySpan<int> offsets, nint index);
    /// <summary>Lane j is written to <c>destination[offsets[j] + index]</c> for the first <paramref name="lanes"/> lanes.</summary>
    static abstract void Scatter(TV value, ref T destination, ReadOnlySpan<int> offsets, nint index, int lanes);
}

internal readonly partial struct Simd512<T> : ISimd<Vector512<T>, T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static int Count => Vector512<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load(ref readonly T source, nint index) => Vector512.LoadUnsafe(in source, (nuint)index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<T> value, ref T destination, nint index) => value.StoreUnsafe(ref destination, (nuint)index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Create(T value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Add(Vector512<T> left, Vector512<T> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Subtract(Vector512<T> left, Vector512<T> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Multiply(Vector512<T> left, Vector512<T> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd(Vector512<T> left, Vector512<T> right, Vector512<T> addend)
    {
        if (typeof(T) == typeof(float))
            return Vector512.MultiplyAddEstimate(left.AsSingle(), right.AsSingle(), addend.AsSingle()).As<float, T>();
        return Vector512.MultiplyAddEstimate(left.AsDouble(), right.AsDouble(), addend.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MaxNative(Vector512<T> left, Vector512<T> right) => Vector512.MaxNative(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Exp(Vector512<T> x)
    {
        if (typeof(T) == typeof(float)) return VectorMath.ExpNoOverflow(x.AsSingle()).As<float, T>();
        return VectorMath.ExpNoOverflow(x.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> ExpOfDifference(Vector512<T> x, Vector512<T> y)
    {
        if (typeof(T) == typeof(float)) return VectorMath.ExpOfDifference(x.AsSingle(), y.AsSingle()).As<float, T>();
        return VectorMath.ExpOfDifference(x.AsDouble(), y.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorMath.ExpConstants<Vector512<T>> ExpConstants() =>
        typeof(T) == typeof(float) ? VectorMath.ExpConstants<Vector512<T>>.Create<FloatLanes512<T>>() : default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> ExpOfDifference(Vector512<T> x, Vector512<T> y, in VectorMath.ExpConstants<Vector512<T>> k)
    {
        if (typeof(T) == typeof(float)) return VectorMath.ExpOfDifference<FloatLanes512<T>, Vector512<T>>(x, y, in k);
        return VectorMath.ExpOfDifference(x.AsDouble(), y.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Exp(Vector512<T> x, in VectorMath.ExpConstants<Vector512<T>> k)
    {
        if (typeof(T) == typeof(float)) return VectorMath.ExpReduced<FloatLanes512<T>, Vector512<T>>(x, Vector512<T>.Zero, in k);
        return VectorMath.ExpNoOverflow(x.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddFolded(ref Vector512<T> total, ref Vector512<T> lost, Vector512<T> partial)
    {
        if (typeof(T) == typeof(float)) total = (total.AsDouble() + Reductions.FoldToDouble(partial.AsSingle())).As<double, T>();
        else total += partial;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ReduceFolded(Vector512<T> total, Vector512<T> lost) => Vector512.Sum(total.AsDouble());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddCompensated(ref Vector512<T> sum, ref Vector512<T> compensation, Vector512<T> value) =>
        Reductions.AddCompensated(ref sum, ref compensation, value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ReduceCompensated(Vector512<T> sum, Vector512<T> compensation)
    {
        if (typeof(T) == typeof(double)) return Vector512.Sum((sum - compensation).AsDouble());
        (Vector512<double> sumLo, Vector512<double> sumHi) = Vector512.Widen(sum.AsSingle());
        (Vector512<double> lostLo, Vector512<double> lostHi) = Vector512.Widen(compensation.AsSingle());
        return Vector512.Sum((sumLo - lostLo) + (sumHi - lostHi));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> LogOfSplitSum(Vector512<T> sum, Vector512<T> compensation, Vector512<T> count)
    {
        if (typeof(T) == typeof(double)) return LogSplit(sum.AsDouble() - compensation.AsDouble(), count.AsDouble()).As<double, T>();
        (Vector512<double> sumLo, Vector512<double> sumHi) = Vector512.Widen(sum.AsSingle());
        (Vector512<double> lostLo, Vector512<double> lostHi) = Vector512.Widen(compensation.AsSingle());
        (Vector512<double> countLo, Vector512<double> countHi) = Vector512.Widen(count.AsSingle());
        return Vector512.Narrow(LogSplit(sumLo - lostLo, countLo), LogSplit(sumHi - lostHi, countHi)).As<float, T>();
    }

    // log(count + others) = log(count) + log1p(others / count); log1p(z) = z * log(u) / (u - 1) with u = 1 + z (Goldberg).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> LogSplit(Vector512<double> others, Vector512<double> count)
    {
        Vector512<double> z = others / count;
        Vector512<double> u = Vector512<double>.One + z;
        Vector512<double> log1p = Vector512.ConditionalSelect(Vector512.Equals(u, Vector512<double>.One), z, Vector512.Log(u) * z / (u - Vector512<double>.One));
        return Vector512.Log(count) + log1p;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> NormalFloor(Vector512<T> factor) => Lanes.NormalFloor(factor);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> ScaleAboveFloor(Vector512<T> value, Vector512<T> factor, Vector512<T> floor) => Lanes.ScaleAboveFloor(value, factor, floor);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Equals(Vector512<T> left, Vector512<T> right) => Vector512.Equals(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> AndNot(Vector512<T> value, Vector512<T> mask) => Vector512.AndNot(value, mask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> ReciprocalOfCompensated(Vector512<T> sum, Vector512<T> compensation)
    {
        if (typeof(T) == typeof(double)) return (Vector512<double>.One / (sum - compensation).AsDouble()).As<double, T>();
        // Float: r = 1 / sum, then one correction step for both r's rounding and the compensation: 1 - (sum - lost) r is
        // e = (1 - sum r) + lost r, each product exact inside its fused multiply-add, and r (1 + e) is 1 / (sum - lost)
        // to within 2^-46 before its one rounding, as the division in double was; it costs one float division where
        // that took two in double (1.04x to 1.26x on rows of 4 to 14, Xeon).
        Vector512<float> s = sum.AsSingle();
        Vector512<float> r = Vector512<float>.One / s;
        Vector512<float> e = Vector512.FusedMultiplyAdd(-s, r, Vector512<float>.One);
        e = Vector512.FusedMultiplyAdd(compensation.AsSingle(), r, e);
        return Vector512.FusedMultiplyAdd(r, e, r).As<float, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Log(Vector512<T> x)
    {
        if (typeof(T) == typeof(float)) return Vector512.Log(x.AsSingle()).As<float, T>();
        return Vector512.Log(x.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Divide(Vector512<T> left, Vector512<T> right) => left / right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ReduceMax(Vector512<T> value) => Simd256<T>.ReduceMax(Vector256.MaxNative(value.GetLower(), value.GetUpper()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ReduceSum(Vector512<T> value) => Simd256<T>.ReduceSum(value.GetLower() + value.GetUpper());

    public static Vector512<T> NoNaN => Vector512<T>.AllBitsSet;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> TrackNaN(Vector512<T> tracker, Vector512<T> x) => tracker & Vector512.Equals(x, x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool SawNaN(Vector512<T> tracker) => tracker.AsByte() != Vector512<byte>.AllBitsSet; // compare bits: a set mask reads as NaN

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> TailMask(int firstLane)
    {
        // Lane j is set when j >= firstLane: compare the lane index against firstLane.
        if (typeof(T) == typeof(float))
            return Vector512.GreaterThanOrEqual(Vector512<int>.Indices, Vector512.Create(firstLane)).As<int, T>();
        return Vector512.GreaterThanOrEqual(Vector512<long>.Indices, Vector512.Create((long)firstLane)).As<long, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> And(Vector512<T> value, Vector512<T> mask) => value & mask;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Select(Vector512<T> mask, Vector512<T> ifSet, Vector512<T> ifClear) => Vector512.ConditionalSelect(mask, ifSet, ifClear);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Gather(ref readonly T source, ReadOnlySpan<int> offsets, nint index) =>
        // .NET exposes no 512-bit gather: two 256-bit ones (AVX2's, or loads where it has none).
        Vector512.Create(Simd256<T>.Gather(in source, offsets, index), Simd256<T>.Gather(in source, offsets.Slice(Vector256<T>.Count), index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Scatter(Vector512<T> value, ref T destination, ReadOnlySpan<int> offsets, nint index, int lanes)
    {
        ref T at = ref Unsafe.Add(ref destination, index);
        for (int j = 0; j < lanes; j++) Unsafe.Add(ref at, offsets[j]) = value.GetElement(j);
    }
}

internal readonly partial struct Simd256<T> : ISimd<Vector256<T>, T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static int Count => Vector256<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load(ref readonly T source, nint index) => Vector256.LoadUnsafe(in source, (nuint)index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<T> value, ref T destination, nint index) => value.StoreUnsafe(ref destination, (nuint)index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Create(T value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Add(Vector256<T> left, Vector256<T> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Subtract(Vector256<T> left, Vector256<T> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Multiply(Vector256<T> left, Vector256<T> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd(Vector256<T> left, Vector256<T> right, Vector256<T> addend)
    {
        if (typeof(T) == typeof(float))
            return Vector256.MultiplyAddEstimate(left.AsSingle(), right.AsSingle(), addend.AsSingle()).As<float, T>();
        return Vector256.MultiplyAddEstimate(left.AsDouble(), right.AsDouble(), addend.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MaxNative(Vector256<T> left, Vector256<T> right) => Vector256.MaxNative(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Exp(Vector256<T> x)
    {
        if (typeof(T) == typeof(float)) return VectorMath.ExpNoOverflow(x.AsSingle()).As<float, T>();
        return VectorMath.ExpNoOverflow(x.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> ExpOfDifference(Vector256<T> x, Vector256<T> y)
    {
        if (typeof(T) == typeof(float)) return VectorMath.ExpOfDifference(x.AsSingle(), y.AsSingle()).As<float, T>();
        return VectorMath.ExpOfDifference(x.AsDouble(), y.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorMath.ExpConstants<Vector256<T>> ExpConstants() =>
        typeof(T) == typeof(float) ? VectorMath.ExpConstants<Vector256<T>>.Create<FloatLanes256<T>>() : default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> ExpOfDifference(Vector256<T> x, Vector256<T> y, in VectorMath.ExpConstants<Vector256<T>> k)
    {
        if (typeof(T) == typeof(float)) return VectorMath.ExpOfDifference<FloatLanes256<T>, Vector256<T>>(x, y, in k);
        return VectorMath.ExpOfDifference(x.AsDouble(), y.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Exp(Vector256<T> x, in VectorMath.ExpConstants<Vector256<T>> k)
    {
        if (typeof(T) == typeof(float)) return VectorMath.ExpReduced<FloatLanes256<T>, Vector256<T>>(x, Vector256<T>.Zero, in k);
        return VectorMath.ExpNoOverflow(x.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddFolded(ref Vector256<T> total, ref Vector256<T> lost, Vector256<T> partial)
    {
        if (typeof(T) == typeof(float)) total = (total.AsDouble() + Reductions.FoldToDouble(partial.AsSingle())).As<double, T>();
        else total += partial;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ReduceFolded(Vector256<T> total, Vector256<T> lost) => Vector256.Sum(total.AsDouble());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddCompensated(ref Vector256<T> sum, ref Vector256<T> compensation, Vector256<T> value) =>
        Reductions.AddCompensated(ref sum, ref compensation, value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ReduceCompensated(Vector256<T> sum, Vector256<T> compensation)
    {
        if (typeof(T) == typeof(double)) return Vector256.Sum((sum - compensation).AsDouble());
        (Vector256<double> sumLo, Vector256<double> sumHi) = Vector256.Widen(sum.AsSingle());
        (Vector256<double> lostLo, Vector256<double> lostHi) = Vector256.Widen(compensation.AsSingle());
        return Vector256.Sum((sumLo - lostLo) + (sumHi - lostHi));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> LogOfSplitSum(Vector256<T> sum, Vector256<T> compensation, Vector256<T> count)
    {
        if (typeof(T) == typeof(double)) return LogSplit(sum.AsDouble() - compensation.AsDouble(), count.AsDouble()).As<double, T>();
        (Vector256<double> sumLo, Vector256<double> sumHi) = Vector256.Widen(sum.AsSingle());
        (Vector256<double> lostLo, Vector256<double> lostHi) = Vector256.Widen(compensation.AsSingle());
        (Vector256<double> countLo, Vector256<double> countHi) = Vector256.Widen(count.AsSingle());
        return Vector256.Narrow(LogSplit(sumLo - lostLo, countLo), LogSplit(sumHi - lostHi, countHi)).As<float, T>();
    }

    // log(count + others) = log(count) + log1p(others / count); log1p(z) = z * log(u) / (u - 1) with u = 1 + z (Goldberg).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> LogSplit(Vector256<double> others, Vector256<double> count)
    {
        Vector256<double> z = others / count;
        Vector256<double> u = Vector256<double>.One + z;
        Vector256<double> log1p = Vector256.ConditionalSelect(Vector256.Equals(u, Vector256<double>.One), z, Vector256.Log(u) * z / (u - Vector256<double>.One));
        return Vector256.Log(count) + log1p;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> NormalFloor(Vector256<T> factor) => Lanes.NormalFloor(factor);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> ScaleAboveFloor(Vector256<T> value, Vector256<T> factor, Vector256<T> floor) => Lanes.ScaleAboveFloor(value, factor, floor);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Equals(Vector256<T> left, Vector256<T> right) => Vector256.Equals(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> AndNot(Vector256<T> value, Vector256<T> mask) => Vector256.AndNot(value, mask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> ReciprocalOfCompensated(Vector256<T> sum, Vector256<T> compensation)
    {
        if (typeof(T) == typeof(double)) return (Vector256<double>.One / (sum - compensation).AsDouble()).As<double, T>();
        // Float: one division and one fused correction step, as Simd512's ReciprocalOfCompensated.
        Vector256<float> s = sum.AsSingle();
        Vector256<float> r = Vector256<float>.One / s;
        Vector256<float> e = Vector256.FusedMultiplyAdd(-s, r, Vector256<float>.One);
        e = Vector256.FusedMultiplyAdd(compensation.AsSingle(), r, e);
        return Vector256.FusedMultiplyAdd(r, e, r).As<float, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Log(Vector256<T> x)
    {
        if (typeof(T) == typeof(float)) return Vector256.Log(x.AsSingle()).As<float, T>();
        return Vector256.Log(x.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Divide(Vector256<T> left, Vector256<T> right) => left / right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ReduceMax(Vector256<T> value) => Simd128<T>.ReduceMax(Vector128.MaxNative(value.GetLower(), value.GetUpper()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ReduceSum(Vector256<T> value) => Simd128<T>.ReduceSum(value.GetLower() + value.GetUpper());

    public static Vector256<T> NoNaN => Vector256<T>.AllBitsSet;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> TrackNaN(Vector256<T> tracker, Vector256<T> x) => tracker & Vector256.Equals(x, x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool SawNaN(Vector256<T> tracker) => tracker.AsByte() != Vector256<byte>.AllBitsSet; // compare bits: a set mask reads as NaN

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> TailMask(int firstLane)
    {
        // Lane j is set when j >= firstLane: compare the lane index against firstLane.
        if (typeof(T) == typeof(float))
            return Vector256.GreaterThanOrEqual(Vector256<int>.Indices, Vector256.Create(firstLane)).As<int, T>();
        return Vector256.GreaterThanOrEqual(Vector256<long>.Indices, Vector256.Create((long)firstLane)).As<long, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> And(Vector256<T> value, Vector256<T> mask) => value & mask;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Select(Vector256<T> mask, Vector256<T> ifSet, Vector256<T> ifClear) => Vector256.ConditionalSelect(mask, ifSet, ifClear);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector256<T> Gather(ref readonly T source, ReadOnlySpan<int> offsets, nint index)
    {
        ref readonly T at = ref Unsafe.Add(ref Unsafe.AsRef(in source), index);
        if (Avx2.IsSupported)
        {
            // The kernels pin their spans before they gather, so the address is stable.
            void* address = Unsafe.AsPointer(ref Unsafe.AsRef(in at));
            if (typeof(T) == typeof(float))
                return Avx2.GatherVector256((float*)address, Vector256.LoadUnsafe(in MemoryMarshal.GetReference(offsets)), 4).As<float, T>();
            return Avx2.GatherVector256((double*)address, Vector128.LoadUnsafe(in MemoryMarshal.GetReference(offsets)), 8).As<double, T>();
        }
        Span<T> lanes = stackalloc T[Vector256<T>.Count];
        for (int j = 0; j < lanes.Length; j++) lanes[j] = Unsafe.Add(ref Unsafe.AsRef(in at), offsets[j]);
        return Vector256.Create<T>(lanes);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Scatter(Vector256<T> value, ref T destination, ReadOnlySpan<int> offsets, nint index, int lanes)
    {
        ref T at = ref Unsafe.Add(ref destination, index);
        for (int j = 0; j < lanes; j++) Unsafe.Add(ref at, offsets[j]) = value.GetElement(j);
    }
}

internal readonly partial struct Simd128<T> : ISimd<Vector128<T>, T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static int Count => Vector128<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Load(ref readonly T source, nint index) => Vector128.LoadUnsafe(in source, (nuint)index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<T> value, ref T destination, nint index) => value.StoreUnsafe(ref destination, (nuint)index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Create(T value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Add(Vector128<T> left, Vector128<T> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Subtract(Vector128<T> left, Vector128<T> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Multiply(Vector128<T> left, Vector128<T> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MultiplyAdd(Vector128<T> left, Vector128<T> right, Vector128<T> addend)
    {
        if (typeof(T) == typeof(float))
            return Vector128.MultiplyAddEstimate(left.AsSingle(), right.AsSingle(), addend.AsSingle()).As<float, T>();
        return Vector128.MultiplyAddEstimate(left.AsDouble(), right.AsDouble(), addend.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MaxNative(Vector128<T> left, Vector128<T> right) => Vector128.MaxNative(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Exp(Vector128<T> x)
    {
        if (typeof(T) == typeof(float)) return VectorMath.ExpNoOverflow(x.AsSingle()).As<float, T>();
        return VectorMath.ExpNoOverflow(x.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> ExpOfDifference(Vector128<T> x, Vector128<T> y)
    {
        if (typeof(T) == typeof(float)) return VectorMath.ExpOfDifference(x.AsSingle(), y.AsSingle()).As<float, T>();
        return VectorMath.ExpOfDifference(x.AsDouble(), y.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorMath.ExpConstants<Vector128<T>> ExpConstants() =>
        typeof(T) == typeof(float) ? VectorMath.ExpConstants<Vector128<T>>.Create<FloatLanes128<T>>() : default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> ExpOfDifference(Vector128<T> x, Vector128<T> y, in VectorMath.ExpConstants<Vector128<T>> k)
    {
        if (typeof(T) == typeof(float)) return VectorMath.ExpOfDifference<FloatLanes128<T>, Vector128<T>>(x, y, in k);
        return VectorMath.ExpOfDifference(x.AsDouble(), y.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Exp(Vector128<T> x, in VectorMath.ExpConstants<Vector128<T>> k)
    {
        if (typeof(T) == typeof(float)) return VectorMath.ExpReduced<FloatLanes128<T>, Vector128<T>>(x, Vector128<T>.Zero, in k);
        return VectorMath.ExpNoOverflow(x.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddFolded(ref Vector128<T> total, ref Vector128<T> lost, Vector128<T> partial)
    {
        if (typeof(T) == typeof(float)) total = (total.AsDouble() + Reductions.FoldToDouble(partial.AsSingle())).As<double, T>();
        else total += partial;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ReduceFolded(Vector128<T> total, Vector128<T> lost) => Vector128.Sum(total.AsDouble());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddCompensated(ref Vector128<T> sum, ref Vector128<T> compensation, Vector128<T> value) =>
        Reductions.AddCompensated(ref sum, ref compensation, value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ReduceCompensated(Vector128<T> sum, Vector128<T> compensation)
    {
        if (typeof(T) == typeof(double)) return Vector128.Sum((sum - compensation).AsDouble());
        (Vector128<double> sumLo, Vector128<double> sumHi) = Vector128.Widen(sum.AsSingle());
        (Vector128<double> lostLo, Vector128<double> lostHi) = Vector128.Widen(compensation.AsSingle());
        return Vector128.Sum((sumLo - lostLo) + (sumHi - lostHi));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> LogOfSplitSum(Vector128<T> sum, Vector128<T> compensation, Vector128<T> count)
    {
        if (typeof(T) == typeof(double)) return LogSplit(sum.AsDouble() - compensation.AsDouble(), count.AsDouble()).As<double, T>();
        (Vector128<double> sumLo, Vector128<double> sumHi) = Vector128.Widen(sum.AsSingle());
        (Vector128<double> lostLo, Vector128<double> lostHi) = Vector128.Widen(compensation.AsSingle());
        (Vector128<double> countLo, Vector128<double> countHi) = Vector128.Widen(count.AsSingle());
        return Vector128.Narrow(LogSplit(sumLo - lostLo, countLo), LogSplit(sumHi - lostHi, countHi)).As<float, T>();
    }

    // log(count + others) = log(count) + log1p(others / count); log1p(z) = z * log(u) / (u - 1) with u = 1 + z (Goldberg).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> LogSplit(Vector128<double> others, Vector128<double> count)
    {
        Vector128<double> z = others / count;
        Vector128<double> u = Vector128<double>.One + z;
        Vector128<double> log1p = Vector128.ConditionalSelect(Vector128.Equals(u, Vector128<double>.One), z, Vector128.Log(u) * z / (u - Vector128<double>.One));
        return Vector128.Log(count) + log1p;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> NormalFloor(Vector128<T> factor) => Lanes.NormalFloor(factor);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> ScaleAboveFloor(Vector128<T> value, Vector128<T> factor, Vector128<T> floor) => Lanes.ScaleAboveFloor(value, factor, floor);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Equals(Vector128<T> left, Vector128<T> right) => Vector128.Equals(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> AndNot(Vector128<T> value, Vector128<T> mask) => Vector128.AndNot(value, mask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> ReciprocalOfCompensated(Vector128<T> sum, Vector128<T> compensation)
    {
        if (typeof(T) == typeof(double)) return (Vector128<double>.One / (sum - compensation).AsDouble()).As<double, T>();
        // Float: one division and one fused correction step, as Simd512's ReciprocalOfCompensated.
        Vector128<float> s = sum.AsSingle();
        Vector128<float> r = Vector128<float>.One / s;
        Vector128<float> e = Vector128.FusedMultiplyAdd(-s, r, Vector128<float>.One);
        e = Vector128.FusedMultiplyAdd(compensation.AsSingle(), r, e);
        return Vector128.FusedMultiplyAdd(r, e, r).As<float, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Log(Vector128<T> x)
    {
        if (typeof(T) == typeof(float)) return Vector128.Log(x.AsSingle()).As<float, T>();
        return Vector128.Log(x.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Divide(Vector128<T> left, Vector128<T> right) => left / right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ReduceMax(Vector128<T> value)
    {
        if (typeof(T) == typeof(float))
        {
            Vector128<float> v = value.AsSingle();
            v = Vector128.MaxNative(v, Vector128.Shuffle(v, Vector128.Create(2, 3, 0, 1)));
            v = Vector128.MaxNative(v, Vector128.Shuffle(v, Vector128.Create(1, 0, 3, 2)));
            return v.As<float, T>().ToScalar();
        }
        Vector128<double> d = value.AsDouble();
        return T.CreateTruncating(Math.Max(d.ToScalar(), d.GetElement(1)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ReduceSum(Vector128<T> value)
    {
        if (typeof(T) == typeof(float))
        {
            Vector128<float> v = value.AsSingle();
            v += Vector128.Shuffle(v, Vector128.Create(2, 3, 0, 1));
            v += Vector128.Shuffle(v, Vector128.Create(1, 0, 3, 2));
            return v.As<float, T>().ToScalar();
        }
        Vector128<double> d = value.AsDouble();
        return T.CreateTruncating(d.ToScalar() + d.GetElement(1));
    }

    public static Vector128<T> NoNaN => Vector128<T>.AllBitsSet;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> TrackNaN(Vector128<T> tracker, Vector128<T> x) => tracker & Vector128.Equals(x, x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool SawNaN(Vector128<T> tracker) => tracker.AsByte() != Vector128<byte>.AllBitsSet; // compare bits: a set mask reads as NaN

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> TailMask(int firstLane)
    {
        if (typeof(T) == typeof(float))
            return Vector128.GreaterThanOrEqual(Vector128<int>.Indices, Vector128.Create(firstLane)).As<int, T>();
        return Vector128.GreaterThanOrEqual(Vector128<long>.Indices, Vector128.Create((long)firstLane)).As<long, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> And(Vector128<T> value, Vector128<T> mask) => value & mask;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Select(Vector128<T> mask, Vector128<T> ifSet, Vector128<T> ifClear) => Vector128.ConditionalSelect(mask, ifSet, ifClear);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Gather(ref readonly T source, ReadOnlySpan<int> offsets, nint index)
    {
        ref T at = ref Unsafe.Add(ref Unsafe.AsRef(in source), index);
        if (typeof(T) == typeof(float))
        {
            return Vector128.Create(
                Unsafe.As<T, float>(ref Unsafe.Add(ref at, offsets[0])), Unsafe.As<T, float>(ref Unsafe.Add(ref at, offsets[1])),
                Unsafe.As<T, float>(ref Unsafe.Add(ref at, offsets[2])), Unsafe.As<T, float>(ref Unsafe.Add(ref at, offsets[3]))).As<float, T>();
        }
        return Vector128.Create(
            Unsafe.As<T, double>(ref Unsafe.Add(ref at, offsets[0])), Unsafe.As<T, double>(ref Unsafe.Add(ref at, offsets[1]))).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Scatter(Vector128<T> value, ref T destination, ReadOnlySpan<int> offsets, nint index, int lanes)
    {
        ref T at = ref Unsafe.Add(ref destination, index);
        for (int j = 0; j < lanes; j++) Unsafe.Add(ref at, offsets[j]) = value.GetElement(j);
    }
}

/// <summary>The scalar path: one lane, plain floating-point arithmetic.</summary>
internal readonly partial struct SimdScalar<T> : ISimd<T, T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static int Count => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Load(ref readonly T source, nint index) => Unsafe.Add(ref Unsafe.AsRef(in source), index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(T value, ref T destination, nint index) => Unsafe.Add(ref destination, index) = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Create(T value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Add(T left, T right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Subtract(T left, T right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Multiply(T left, T right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MultiplyAdd(T left, T right, T addend) => T.MultiplyAddEstimate(left, right, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MaxNative(T left, T right) => left > right ? left : right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Exp(T x)
    {
        if (typeof(T) == typeof(float)) return (T)(object)VectorMath.ExpNoOverflow((float)(object)x);
        return (T)(object)VectorMath.Exp((double)(object)x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ExpOfDifference(T x, T y)
    {
        if (typeof(T) == typeof(float)) return (T)(object)VectorMath.ExpOfDifference((float)(object)x, (float)(object)y);
        return (T)(object)VectorMath.ExpOfDifference((double)(object)x, (double)(object)y);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T NormalFloor(T factor) => typeof(T) == typeof(float) ? T.CreateTruncating(Lanes.NormalFloor(float.CreateTruncating(factor))) : T.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ScaleAboveFloor(T value, T factor, T floor) => value < floor ? T.Zero : value * factor;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddFolded(ref T total, ref T lost, T partial) => AddCompensated(ref total, ref lost, partial);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ReduceFolded(T total, T lost) => ReduceCompensated(total, lost);

    /// <summary>Scalar constants fold into the code: none are made.</summary>
    public static VectorMath.ExpConstants<T> ExpConstants() => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ExpOfDifference(T x, T y, in VectorMath.ExpConstants<T> k) => ExpOfDifference(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Exp(T x, in VectorMath.ExpConstants<T> k) => Exp(x);

    // One lane: accumulate straight into double precision is not possible in T, so use Kahan as the vectors do.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddCompensated(ref T sum, ref T compensation, T value)
    {
        T y = value - compensation;
        T t = sum + y;
        compensation = (t - sum) - y;
        sum = t;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ReduceCompensated(T sum, T compensation) => double.CreateTruncating(sum) - double.CreateTruncating(compensation);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T LogOfSplitSum(T sum, T compensation, T count) =>
        T.CreateTruncating(LogSumExp.LogOfSplitSum(ReduceCompensated(sum, compensation), double.CreateTruncating(count)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Equals(T left, T right) => left == right ? AllBitsSet : T.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T AndNot(T value, T mask) => value & ~mask;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ReciprocalOfCompensated(T sum, T compensation) => T.CreateTruncating(1.0 / ReduceCompensated(sum, compensation));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Log(T x) => T.Log(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Divide(T left, T right) => left / right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ReduceMax(T value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ReduceSum(T value) => value;

    // Masks are a T whose bits are all set (a NaN pattern) or all clear, as a vector lane would be.
    private static T AllBitsSet => ~T.Zero;

    public static T NoNaN => AllBitsSet;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T TrackNaN(T tracker, T x) => T.IsNaN(x) ? T.Zero : tracker;

    // The tracker's bits stay all set (which reads as a NaN) until a NaN is seen, then become zero.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool SawNaN(T tracker) => !T.IsNaN(tracker);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T TailMask(int firstLane) => firstLane <= 0 ? AllBitsSet : T.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T And(T value, T mask) => value & mask;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Select(T mask, T ifSet, T ifClear) => T.IsNaN(mask) ? ifSet : ifClear;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Gather(ref readonly T source, ReadOnlySpan<int> offsets, nint index) => Unsafe.Add(ref Unsafe.AsRef(in source), index + offsets[0]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Scatter(T value, ref T destination, ReadOnlySpan<int> offsets, nint index, int lanes) => Unsafe.Add(ref destination, index + offsets[0]) = value;
}

/// <summary>The end of a log-softmax row: log of a sum whose maxima were counted apart.</summary>
internal static class LogSumExp
{
    /// <summary>log(count + others) = log(count) + log1p(others / count), accurate when others is tiny.</summary>
    public static double LogOfSplitSum(double others, double count) => Math.Log(count) + Log1P(others / count);

    /// <summary>log(1 + z) for z &gt;= 0, to full precision for tiny z (Goldberg's method).</summary>
    public static double Log1P(double z)
    {
        double u = 1 + z;
        return u == 1 ? z : Math.Log(u) * z / (u - 1);
    }
}
