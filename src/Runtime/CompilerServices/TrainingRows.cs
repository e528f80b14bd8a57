using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using KernelGen.Internal;

namespace KernelGen.CompilerServices;

/// <summary>
/// The row functions of training (issue #14) that generated kernels and <see cref="Kernels"/> call: the gradients of
/// softmax and log-softmax along one row or one slab of columns, and the cross-entropy of one row of logits, with or
/// without its gradient. Each function reads and writes only the elements it is given; the caller checks arguments.
/// </summary>
/// <remarks>
/// <para>Every function picks the widest SIMD width the machine accelerates that fits the row (then narrower ones, then
/// scalar), as <see cref="Kernels"/> does, and allocates nothing.</para>
/// <para>The formulas, special values and accuracy are described in docs/semantics.md ("Training").</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TrainingRows
{
    /// <summary>
    /// The softmax's gradient along one contiguous row: <c>dx[i] = scale * y[i] * (dy[i] - sum_j dy[j] * y[j])</c> for
    /// <c>i &lt; length</c>.
    /// </summary>
    /// <param name="y">The row's softmax output (the forward kernel's result).</param>
    /// <param name="dy">The gradient flowing into the softmax output.</param>
    /// <param name="dx">Where the gradient with respect to the softmax input goes; may be exactly the same memory as
    /// <paramref name="y"/> or as <paramref name="dy"/>, never partly overlapping either.</param>
    /// <param name="length">The row's length.</param>
    /// <param name="scale">The forward kernel's scale (the gradient with respect to the unscaled input is multiplied by it).</param>
    /// <remarks>Two passes over y and dy (the dot product, then the gradient) and one write of dx; a length of 0 writes
    /// nothing. Only the <paramref name="length"/> elements are touched (a causal kernel zeroes its masked keys itself).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SoftmaxGradient(ref float y, ref float dy, ref float dx, nuint length, float scale) =>
        TrainingDispatch.SoftmaxGradient(ref y, ref dy, ref dx, (nint)length, scale);

    /// <inheritdoc cref="SoftmaxGradient(ref float, ref float, ref float, nuint, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SoftmaxGradient(ref double y, ref double dy, ref double dx, nuint length, double scale) =>
        TrainingDispatch.SoftmaxGradient(ref y, ref dy, ref dx, (nint)length, scale);

    /// <summary>
    /// The log-softmax's gradient along one contiguous row: <c>dx[i] = scale * (dy[i] - exp(y[i]) * sum_j dy[j])</c> for
    /// <c>i &lt; length</c>.
    /// </summary>
    /// <param name="y">The row's log-softmax output (the forward kernel's result).</param>
    /// <param name="dy">The gradient flowing into the log-softmax output.</param>
    /// <param name="dx">Where the gradient with respect to the log-softmax input goes; may be exactly the same memory as
    /// <paramref name="y"/> or as <paramref name="dy"/>, never partly overlapping either.</param>
    /// <param name="length">The row's length.</param>
    /// <param name="scale">The forward kernel's scale (the gradient with respect to the unscaled input is multiplied by it).</param>
    /// <remarks>Two passes over dy and y (the sum of dy, with a look for a NaN in y; then the gradient) and one write of
    /// dx; a length of 0 writes nothing.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LogSoftmaxGradient(ref float y, ref float dy, ref float dx, nuint length, float scale) =>
        TrainingDispatch.LogSoftmaxGradient(ref y, ref dy, ref dx, (nint)length, scale);

    /// <inheritdoc cref="LogSoftmaxGradient(ref float, ref float, ref float, nuint, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LogSoftmaxGradient(ref double y, ref double dy, ref double dx, nuint length, double scale) =>
        TrainingDispatch.LogSoftmaxGradient(ref y, ref dy, ref dx, (nint)length, scale);

    /// <summary>
    /// The softmax's gradient over one slab of a non-last axis: <paramref name="length"/> positions along the axis times
    /// <paramref name="inner"/> contiguous columns, element (i, k) at offset <c>i * inner + k</c>; each column is one
    /// softmax, whose gradient is taken as in <see cref="SoftmaxGradient(ref float, ref float, ref float, nuint, float)"/>.
    /// </summary>
    /// <param name="y">The slab's softmax output.</param>
    /// <param name="dy">The gradient flowing into the softmax output.</param>
    /// <param name="dx">Where the gradient goes; may be exactly the same memory as <paramref name="y"/> or as
    /// <paramref name="dy"/>, never partly overlapping either.</param>
    /// <param name="length">The positions along the axis (the length of each column's softmax).</param>
    /// <param name="inner">The columns: the product of the dimensions after the axis.</param>
    /// <param name="scale">The forward kernel's scale.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SoftmaxGradientColumns(ref float y, ref float dy, ref float dx, nuint length, nuint inner, float scale) =>
        TrainingDispatch.SoftmaxGradientColumns(ref y, ref dy, ref dx, (nint)length, (nint)inner, scale);

    /// <inheritdoc cref="SoftmaxGradientColumns(ref float, ref float, ref float, nuint, nuint, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SoftmaxGradientColumns(ref double y, ref double dy, ref double dx, nuint length, nuint inner, double scale) =>
        TrainingDispatch.SoftmaxGradientColumns(ref y, ref dy, ref dx, (nint)length, (nint)inner, scale);

    /// <summary>
    /// The log-softmax's gradient over one slab of a non-last axis (the layout of
    /// <see cref="SoftmaxGradientColumns(ref float, ref float, ref float, nuint, nuint, float)"/>); each column's gradient
    /// is taken as in <see cref="LogSoftmaxGradient(ref float, ref float, ref float, nuint, float)"/>.
    /// </summary>
    /// <param name="y">The slab's log-softmax output.</param>
    /// <param name="dy">The gradient flowing into the log-softmax output.</param>
    /// <param name="dx">Where the gradient goes; may be exactly the same memory as <paramref name="y"/> or as
    /// <paramref name="dy"/>, never partly overlapping either.</param>
    /// <param name="length">The positions along the axis (the length of each column's log-softmax).</param>
    /// <param name="inner">The columns: the product of the dimensions after the axis.</param>
    /// <param name="scale">The forward kernel's scale.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LogSoftmaxGradientColumns(ref float y, ref float dy, ref float dx, nuint length, nuint inner, float scale) =>
        TrainingDispatch.LogSoftmaxGradientColumns(ref y, ref dy, ref dx, (nint)length, (nint)inner, scale);

    /// <inheritdoc cref="LogSoftmaxGradientColumns(ref float, ref float, ref float, nuint, nuint, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LogSoftmaxGradientColumns(ref double y, ref double dy, ref double dx, nuint length, nuint inner, double scale) =>
        TrainingDispatch.LogSoftmaxGradientColumns(ref y, ref dy, ref dx, (nint)length, (nint)inner, scale);

    /// <summary>
    /// The cross-entropy of one row of logits: with <c>z[i] = scale * x[i]</c> (rounded to the element type) and
    /// <c>m = max_i z[i]</c>, returns <c>log(sum_i exp(z[i] - m)) - (z[target] - m)</c>, computed stably.
    /// </summary>
    /// <param name="x">The row of logits.</param>
    /// <param name="length">The number of classes (the row's length), at least 1.</param>
    /// <param name="target">The target class, already checked to be in <c>[0, length)</c>.</param>
    /// <param name="scale">The temperature's reciprocal, as the softmax's <c>Scale</c>.</param>
    /// <returns>The row's loss: NaN if the row holds a NaN (or +inf), +inf if the target's logit is -inf or every logit is.</returns>
    /// <remarks>Two passes over the logits (the max; the sum of exp, the maxima counted apart so that a confident row's
    /// loss keeps its relative precision).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float CrossEntropy(ref float x, nuint length, int target, float scale) =>
        TrainingDispatch.CrossEntropy(ref x, (nint)length, target, scale);

    /// <inheritdoc cref="CrossEntropy(ref float, nuint, int, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double CrossEntropy(ref double x, nuint length, int target, double scale) =>
        TrainingDispatch.CrossEntropy(ref x, (nint)length, target, scale);

    /// <summary>
    /// The cross-entropy of one row of logits (as <see cref="CrossEntropy(ref float, nuint, int, float)"/>) and, in the
    /// same passes, its gradient: <c>dx[i] = gradientFactor * (softmax(z)[i] - (i == target ? 1 : 0))</c>.
    /// </summary>
    /// <param name="x">The row of logits.</param>
    /// <param name="length">The number of classes (the row's length), at least 1.</param>
    /// <param name="target">The target class, already checked to be in <c>[0, length)</c>.</param>
    /// <param name="scale">The temperature's reciprocal, as the softmax's <c>Scale</c>.</param>
    /// <param name="gradientFactor">What the row's gradient is multiplied by: the caller passes
    /// <c>scale / countedRows</c> for the gradient of the mean loss.</param>
    /// <param name="zeroMaskedRows">For a row whose every <c>z</c> is -inf: a gradient of 0 when true, NaN when false
    /// (the loss is +inf either way).</param>
    /// <param name="dx">Where the row's gradient goes; may be exactly the same memory as <paramref name="x"/>, never
    /// partly overlapping it.</param>
    /// <returns>The row's loss, computed as <see cref="CrossEntropy(ref float, nuint, int, float)"/> computes it.</returns>
    /// <remarks>Three passes over the logits (the max; the sum of exp; the gradient, exp again) and one write of
    /// <paramref name="dx"/>. Float gradients below the normal range are 0.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float CrossEntropyWithGradient(ref float x, nuint length, int target, float scale, float gradientFactor, bool zeroMaskedRows, ref float dx) =>
        TrainingDispatch.CrossEntropyWithGradient(ref x, (nint)length, target, scale, gradientFactor, zeroMaskedRows, ref dx);

    /// <inheritdoc cref="CrossEntropyWithGradient(ref float, nuint, int, float, float, bool, ref float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double CrossEntropyWithGradient(ref double x, nuint length, int target, double scale, double gradientFactor, bool zeroMaskedRows, ref double dx) =>
        TrainingDispatch.CrossEntropyWithGradient(ref x, (nint)length, target, scale, gradientFactor, zeroMaskedRows, ref dx);

    /// <summary>
    /// Writes <paramref name="count"/> zeros from <paramref name="start"/>: a causal kernel's masked keys. Vector stores of
    /// zeros, the last overlapping the one before it; for the tails of attention rows (at most a row) this is cheaper than
    /// <c>Span.Clear</c>, whose call to the memory-set routine cost 4 to 18 ns a row in a probe.
    /// </summary>
    /// <param name="start">The first element to zero.</param>
    /// <param name="count">How many elements to zero.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Zero(ref float start, nuint count) => ZeroBytes(ref Unsafe.As<float, byte>(ref start), count * sizeof(float));

    /// <inheritdoc cref="Zero(ref float, nuint)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Zero(ref double start, nuint count) => ZeroBytes(ref Unsafe.As<double, byte>(ref start), count * sizeof(double));

    private static void ZeroBytes(ref byte start, nuint bytes)
    {
        nuint i = 0;
        if (Vector256.IsHardwareAccelerated && bytes >= 32)
        {
            for (; i + 32 <= bytes; i += 32) Vector256<byte>.Zero.StoreUnsafe(ref start, i);
            if (i < bytes) Vector256<byte>.Zero.StoreUnsafe(ref start, bytes - 32);
            return;
        }
        if (Vector128.IsHardwareAccelerated && bytes >= 16)
        {
            for (; i + 16 <= bytes; i += 16) Vector128<byte>.Zero.StoreUnsafe(ref start, i);
            if (i < bytes) Vector128<byte>.Zero.StoreUnsafe(ref start, bytes - 16);
            return;
        }
        for (; i < bytes; i++) Unsafe.Add(ref start, i) = 0;
    }
}
