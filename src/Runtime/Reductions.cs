using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using KernelGen.Internal;

namespace KernelGen;

/// <summary>
/// Max and sum reductions used by the softmax kernels, generic and generated: over a span, column-wise
/// along a strided axis, and across the lanes of one vector.
/// </summary>
/// <remarks>
/// <para>Max: a NaN anywhere makes the result NaN (a plain <c>vmaxps</c> chain would drop it, so the loops track
/// NaN separately); the max of nothing is -inf. Sum: the sum of nothing is 0.</para>
/// <para>The span loops keep four independent accumulators, so they run at load throughput rather than at
/// the latency of one dependency chain. Float sums are accumulated in blocks of 32 vectors whose partial sums
/// are added in double precision.</para>
/// </remarks>
public static class Reductions
{
    /// <summary>The largest element; NaN if any is NaN; -inf for an empty span.</summary>
    public static float Max(ReadOnlySpan<float> values) => Max<float>(values);

    /// <inheritdoc cref="Max(ReadOnlySpan{float})"/>
    public static double Max(ReadOnlySpan<double> values) => Max<double>(values);

    /// <summary>The sum of the elements (0 for an empty span).</summary>
    public static float Sum(ReadOnlySpan<float> values) => (float)Sum<float>(values);

    /// <inheritdoc cref="Sum(ReadOnlySpan{float})"/>
    public static double Sum(ReadOnlySpan<double> values) => Sum<double>(values);

    /// <summary>
    /// Column-wise max along a strided axis: <c>destination[j] = max over r &lt; rows of source[r * stride + j]</c>,
    /// for every j below <c>destination.Length</c>; NaN where a column holds a NaN.
    /// </summary>
    /// <param name="source">The data; it must hold <c>(rows - 1) * stride + destination.Length</c> elements.</param>
    /// <param name="rows">How many positions along the axis.</param>
    /// <param name="stride">Elements between consecutive positions (the inner dimension); at least destination.Length.</param>
    /// <param name="destination">One result per column.</param>
    public static void MaxStrided(ReadOnlySpan<float> source, int rows, int stride, Span<float> destination) =>
        Strided<float>(source, rows, stride, destination, max: true);

    /// <inheritdoc cref="MaxStrided(ReadOnlySpan{float}, int, int, Span{float})"/>
    public static void MaxStrided(ReadOnlySpan<double> source, int rows, int stride, Span<double> destination) =>
        Strided<double>(source, rows, stride, destination, max: true);

    /// <summary>Column-wise sum along a strided axis: <c>destination[j] = sum over r &lt; rows of source[r * stride + j]</c>.</summary>
    /// <inheritdoc cref="MaxStrided(ReadOnlySpan{float}, int, int, Span{float})"/>
    public static void SumStrided(ReadOnlySpan<float> source, int rows, int stride, Span<float> destination) =>
        Strided<float>(source, rows, stride, destination, max: false);

    /// <inheritdoc cref="SumStrided(ReadOnlySpan{float}, int, int, Span{float})"/>
    public static void SumStrided(ReadOnlySpan<double> source, int rows, int stride, Span<double> destination) =>
        Strided<double>(source, rows, stride, destination, max: false);

    /// <summary>The largest lane of a vector (hardware max: lanes holding NaN give an unspecified lane).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Max(Vector256<float> value) => Simd256<float>.ReduceMax(value);

    /// <inheritdoc cref="Max(Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Max(Vector512<float> value) => Simd512<float>.ReduceMax(value);

    /// <inheritdoc cref="Max(Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Max(Vector512<double> value) => Simd512<double>.ReduceMax(value);

    /// <inheritdoc cref="Sum(Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector512<float> value) => Simd512<float>.ReduceSum(value);

    /// <inheritdoc cref="Sum(Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector512<double> value) => Simd512<double>.ReduceSum(value);

    /// <inheritdoc cref="Max(Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Max(Vector128<float> value) => Simd128<float>.ReduceMax(value);

    /// <inheritdoc cref="Max(Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Max(Vector256<double> value) => Simd256<double>.ReduceMax(value);

    /// <inheritdoc cref="Max(Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Max(Vector128<double> value) => Simd128<double>.ReduceMax(value);

    /// <summary>The sum of the lanes of a vector, added pairwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector256<float> value) => Simd256<float>.ReduceSum(value);

    /// <inheritdoc cref="Sum(Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector128<float> value) => Simd128<float>.ReduceSum(value);

    /// <inheritdoc cref="Sum(Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector256<double> value) => Simd256<double>.ReduceSum(value);

    /// <inheritdoc cref="Sum(Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector128<double> value) => Simd128<double>.ReduceSum(value);

    /// <summary>
    /// Kahan summation, one step: adds <paramref name="value"/> to <paramref name="sum"/> lane by lane and keeps
    /// the rounding error in <paramref name="compensation"/>, so long rows of floats sum to float precision
    /// whatever their length. Finish with <see cref="Sum(Vector256{float}, Vector256{float})"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddCompensated<T>(ref Vector256<T> sum, ref Vector256<T> compensation, Vector256<T> value)
    {
        Vector256<T> y = value - compensation;
        Vector256<T> t = sum + y;
        compensation = (t - sum) - y;
        sum = t;
    }

    /// <inheritdoc cref="AddCompensated{T}(ref Vector256{T}, ref Vector256{T}, Vector256{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddCompensated<T>(ref Vector512<T> sum, ref Vector512<T> compensation, Vector512<T> value)
    {
        Vector512<T> y = value - compensation;
        Vector512<T> t = sum + y;
        compensation = (t - sum) - y;
        sum = t;
    }

    /// <inheritdoc cref="AddCompensated{T}(ref Vector256{T}, ref Vector256{T}, Vector256{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddCompensated<T>(ref Vector128<T> sum, ref Vector128<T> compensation, Vector128<T> value)
    {
        Vector128<T> y = value - compensation;
        Vector128<T> t = sum + y;
        compensation = (t - sum) - y;
        sum = t;
    }

    /// <summary>
    /// Adds another compensated sum (<paramref name="otherSum"/> - <paramref name="otherCompensation"/>) to this one
    /// (<c>sum - compensation</c>, as <see cref="AddCompensated{T}(ref Vector512{T}, ref Vector512{T}, Vector512{T})"/>
    /// keeps it), lane by lane: how a kernel joins two chains of sums, or the lanes of a vector that hold the same column
    /// (the other given by <see cref="Lanes.SwapHalves(Vector512{float})"/> or <see cref="Lanes.SwapQuarters(Vector512{float})"/>).
    /// The two sums are added with their rounding error taken exactly (TwoSum) into the compensation, so the total loses
    /// nothing, and the result has the same bits whichever of the two is this one: lanes that hold the same column end
    /// with the same total.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddCompensatedSums<T>(ref Vector512<T> sum, ref Vector512<T> compensation, Vector512<T> otherSum, Vector512<T> otherCompensation)
    {
        Vector512<T> total = sum + otherSum;
        Vector512<T> otherPart = total - sum;
        Vector512<T> error = (sum - (total - otherPart)) + (otherSum - otherPart); // exactly sum + otherSum - total
        compensation = (compensation + otherCompensation) - error;
        sum = total;
    }

    /// <inheritdoc cref="AddCompensatedSums{T}(ref Vector512{T}, ref Vector512{T}, Vector512{T}, Vector512{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddCompensatedSums<T>(ref Vector256<T> sum, ref Vector256<T> compensation, Vector256<T> otherSum, Vector256<T> otherCompensation)
    {
        Vector256<T> total = sum + otherSum;
        Vector256<T> otherPart = total - sum;
        Vector256<T> error = (sum - (total - otherPart)) + (otherSum - otherPart); // exactly sum + otherSum - total
        compensation = (compensation + otherCompensation) - error;
        sum = total;
    }

    /// <summary>
    /// Folds a vector of floats into half as many doubles, exactly (lane j + lane j + half): the way the kernels add a
    /// few float partial sums into a double accumulator, so that a long row loses nothing to float rounding.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> FoldToDouble(Vector256<float> value)
    {
        (Vector256<double> lower, Vector256<double> upper) = Vector256.Widen(value);
        return lower + upper;
    }

    /// <inheritdoc cref="FoldToDouble(Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> FoldToDouble(Vector512<float> value)
    {
        (Vector512<double> lower, Vector512<double> upper) = Vector512.Widen(value);
        return lower + upper;
    }

    /// <inheritdoc cref="FoldToDouble(Vector256{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> FoldToDouble(Vector512<double> value) => value;

    /// <inheritdoc cref="FoldToDouble(Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> FoldToDouble(Vector128<float> value)
    {
        (Vector128<double> lower, Vector128<double> upper) = Vector128.Widen(value);
        return lower + upper;
    }

    /// <summary>Doubles are already double: returns <paramref name="value"/> (so generated code reads the same for both types).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> FoldToDouble(Vector256<double> value) => value;

    /// <inheritdoc cref="FoldToDouble(Vector256{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> FoldToDouble(Vector128<double> value) => value;

    /// <summary>The total of a compensated sum (<see cref="AddCompensated{T}(ref Vector256{T}, ref Vector256{T}, Vector256{T})"/>), in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector256<float> sum, Vector256<float> compensation) => Simd256<float>.ReduceCompensated(sum, compensation);

    /// <inheritdoc cref="Sum(Vector256{float}, Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector512<float> sum, Vector512<float> compensation) => Simd512<float>.ReduceCompensated(sum, compensation);

    /// <inheritdoc cref="Sum(Vector256{float}, Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector512<double> sum, Vector512<double> compensation) => Simd512<double>.ReduceCompensated(sum, compensation);

    /// <inheritdoc cref="Sum(Vector256{float}, Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector128<float> sum, Vector128<float> compensation) => Simd128<float>.ReduceCompensated(sum, compensation);

    /// <inheritdoc cref="Sum(Vector256{float}, Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector256<double> sum, Vector256<double> compensation) => Simd256<double>.ReduceCompensated(sum, compensation);

    /// <inheritdoc cref="Sum(Vector256{float}, Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector128<double> sum, Vector128<double> compensation) => Simd128<double>.ReduceCompensated(sum, compensation);

    /// <summary>
    /// <c>log(count + others)</c>, computed as <c>log(count) + log1p(others / count)</c>: a log-softmax row counts
    /// its maxima (whose exp is exactly 1) apart from its other terms, so that a log-sum just above 0 keeps its
    /// relative precision instead of drowning in the rounding of 1 + others.
    /// </summary>
    /// <param name="others">The sum of exp(x - max) over the elements below the max.</param>
    /// <param name="count">How many elements equal the max (at least 1 for a row without NaN).</param>
    public static double LogOfSum(double others, double count) => LogSumExp.LogOfSplitSum(others, count);

    /// <summary>
    /// Per lane, <c>1 / (sum - compensation)</c> of a compensated sum, to within 2^-46 before its one rounding (in double
    /// for double; for float, a float division and one fused correction step): the softmax scale factor of kernels whose
    /// lanes are separate rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Reciprocal<T>(Vector256<T> sum, Vector256<T> compensation)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T> => Simd256<T>.ReciprocalOfCompensated(sum, compensation);

    /// <inheritdoc cref="Reciprocal{T}(Vector256{T}, Vector256{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Reciprocal<T>(Vector512<T> sum, Vector512<T> compensation)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T> => Simd512<T>.ReciprocalOfCompensated(sum, compensation);

    /// <inheritdoc cref="Reciprocal{T}(Vector256{T}, Vector256{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Reciprocal<T>(Vector128<T> sum, Vector128<T> compensation)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T> => Simd128<T>.ReciprocalOfCompensated(sum, compensation);

    /// <summary>
    /// Per lane, <c>log(count + others)</c>, where <c>others</c> is a compensated sum
    /// (<c>sum - compensation</c>), computed in double as <c>log(count) + log1p(others / count)</c>: the log-softmax
    /// of kernels whose lanes are separate rows (see <see cref="LogOfSum(double, double)"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> LogOfSum<T>(Vector256<T> sum, Vector256<T> compensation, Vector256<T> count)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T> => Simd256<T>.LogOfSplitSum(sum, compensation, count);

    /// <inheritdoc cref="LogOfSum{T}(Vector256{T}, Vector256{T}, Vector256{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> LogOfSum<T>(Vector512<T> sum, Vector512<T> compensation, Vector512<T> count)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T> => Simd512<T>.LogOfSplitSum(sum, compensation, count);

    /// <inheritdoc cref="LogOfSum{T}(Vector256{T}, Vector256{T}, Vector256{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> LogOfSum<T>(Vector128<T> sum, Vector128<T> compensation, Vector128<T> count)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T> => Simd128<T>.LogOfSplitSum(sum, compensation, count);

    private static T Max<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ref readonly T x = ref MemoryMarshal.GetReference(values);
        if (Vector512.IsHardwareAccelerated) return Reduce<Simd512<T>, Vector512<T>, T>.Max(in x, values.Length);
        if (Vector256.IsHardwareAccelerated) return Reduce<Simd256<T>, Vector256<T>, T>.Max(in x, values.Length);
        if (Vector128.IsHardwareAccelerated) return Reduce<Simd128<T>, Vector128<T>, T>.Max(in x, values.Length);
        return Reduce<SimdScalar<T>, T, T>.Max(in x, values.Length);
    }

    private static double Sum<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ref readonly T x = ref MemoryMarshal.GetReference(values);
        if (Vector512.IsHardwareAccelerated) return Reduce<Simd512<T>, Vector512<T>, T>.Sum(in x, values.Length);
        if (Vector256.IsHardwareAccelerated) return Reduce<Simd256<T>, Vector256<T>, T>.Sum(in x, values.Length);
        if (Vector128.IsHardwareAccelerated) return Reduce<Simd128<T>, Vector128<T>, T>.Sum(in x, values.Length);
        return Reduce<SimdScalar<T>, T, T>.Sum(in x, values.Length);
    }

    private static void Strided<T>(ReadOnlySpan<T> source, int rows, int stride, Span<T> destination, bool max)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (stride < destination.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(stride), stride, $"The stride must be at least the destination length ({destination.Length}).");
        }
        long needed = rows == 0 ? 0 : (long)(rows - 1) * stride + destination.Length;
        if (source.Length < needed)
        {
            throw new ArgumentException($"The source has {source.Length} elements; {rows} rows of stride {stride} and width {destination.Length} need {needed}.", nameof(source));
        }
        ref readonly T x = ref MemoryMarshal.GetReference(source);
        ref T d = ref MemoryMarshal.GetReference(destination);
        if (Vector512.IsHardwareAccelerated)
        {
            if (max) Reduce<Simd512<T>, Vector512<T>, T>.MaxStrided(in x, rows, stride, ref d, destination.Length);
            else Reduce<Simd512<T>, Vector512<T>, T>.SumStrided(in x, rows, stride, ref d, destination.Length);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            if (max) Reduce<Simd256<T>, Vector256<T>, T>.MaxStrided(in x, rows, stride, ref d, destination.Length);
            else Reduce<Simd256<T>, Vector256<T>, T>.SumStrided(in x, rows, stride, ref d, destination.Length);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            if (max) Reduce<Simd128<T>, Vector128<T>, T>.MaxStrided(in x, rows, stride, ref d, destination.Length);
            else Reduce<Simd128<T>, Vector128<T>, T>.SumStrided(in x, rows, stride, ref d, destination.Length);
        }
        else
        {
            if (max) Reduce<SimdScalar<T>, T, T>.MaxStrided(in x, rows, stride, ref d, destination.Length);
            else Reduce<SimdScalar<T>, T, T>.SumStrided(in x, rows, stride, ref d, destination.Length);
        }
    }
}
