using System.Numerics;
using System.Runtime.Intrinsics;

namespace KernelGen.Internal;

/// <summary>
/// The width of the training row functions behind <see cref="CompilerServices.TrainingRows"/>: the widest the machine
/// accelerates whose vector fits the row (or, for columns, the slab's width), then narrower ones, then scalar.
/// </summary>
internal static class TrainingDispatch
{
    public static void SoftmaxGradient<T>(ref T y, ref T dy, ref T dx, nint n, T scale)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count) TrainingKernels<Simd512<T>, Vector512<T>, T, Vector512<double>>.SoftmaxGradient(ref y, ref dy, ref dx, n, scale);
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count) TrainingKernels<Simd256<T>, Vector256<T>, T, Vector256<double>>.SoftmaxGradient(ref y, ref dy, ref dx, n, scale);
        else if (Vector128.IsHardwareAccelerated && n >= Vector128<T>.Count) TrainingKernels<Simd128<T>, Vector128<T>, T, Vector128<double>>.SoftmaxGradient(ref y, ref dy, ref dx, n, scale);
        else TrainingKernels<SimdScalar<T>, T, T, double>.SoftmaxGradient(ref y, ref dy, ref dx, n, scale);
    }

    public static void LogSoftmaxGradient<T>(ref T y, ref T dy, ref T dx, nint n, T scale)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count) TrainingKernels<Simd512<T>, Vector512<T>, T, Vector512<double>>.LogSoftmaxGradient(ref y, ref dy, ref dx, n, scale);
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count) TrainingKernels<Simd256<T>, Vector256<T>, T, Vector256<double>>.LogSoftmaxGradient(ref y, ref dy, ref dx, n, scale);
        else if (Vector128.IsHardwareAccelerated && n >= Vector128<T>.Count) TrainingKernels<Simd128<T>, Vector128<T>, T, Vector128<double>>.LogSoftmaxGradient(ref y, ref dy, ref dx, n, scale);
        else TrainingKernels<SimdScalar<T>, T, T, double>.LogSoftmaxGradient(ref y, ref dy, ref dx, n, scale);
    }

    public static void SoftmaxGradientColumns<T>(ref T y, ref T dy, ref T dx, nint n, nint inner, T scale)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (Vector512.IsHardwareAccelerated && inner >= Vector512<T>.Count) TrainingKernels<Simd512<T>, Vector512<T>, T, Vector512<double>>.SoftmaxGradientColumns(ref y, ref dy, ref dx, n, inner, scale);
        else if (Vector256.IsHardwareAccelerated && inner >= Vector256<T>.Count) TrainingKernels<Simd256<T>, Vector256<T>, T, Vector256<double>>.SoftmaxGradientColumns(ref y, ref dy, ref dx, n, inner, scale);
        else if (Vector128.IsHardwareAccelerated && inner >= Vector128<T>.Count) TrainingKernels<Simd128<T>, Vector128<T>, T, Vector128<double>>.SoftmaxGradientColumns(ref y, ref dy, ref dx, n, inner, scale);
        else TrainingKernels<SimdScalar<T>, T, T, double>.SoftmaxGradientColumns(ref y, ref dy, ref dx, n, inner, scale);
    }

    public static void LogSoftmaxGradientColumns<T>(ref T y, ref T dy, ref T dx, nint n, nint inner, T scale)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (Vector512.IsHardwareAccelerated && inner >= Vector512<T>.Count) TrainingKernels<Simd512<T>, Vector512<T>, T, Vector512<double>>.LogSoftmaxGradientColumns(ref y, ref dy, ref dx, n, inner, scale);
        else if (Vector256.IsHardwareAccelerated && inner >= Vector256<T>.Count) TrainingKernels<Simd256<T>, Vector256<T>, T, Vector256<double>>.LogSoftmaxGradientColumns(ref y, ref dy, ref dx, n, inner, scale);
        else if (Vector128.IsHardwareAccelerated && inner >= Vector128<T>.Count) TrainingKernels<Simd128<T>, Vector128<T>, T, Vector128<double>>.LogSoftmaxGradientColumns(ref y, ref dy, ref dx, n, inner, scale);
        else TrainingKernels<SimdScalar<T>, T, T, double>.LogSoftmaxGradientColumns(ref y, ref dy, ref dx, n, inner, scale);
    }

    public static T CrossEntropy<T>(ref T x, nint n, int target, T scale)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        CrossEntropy(ref x, n, target, scale, T.Zero, false, ref x, gradient: false);

    public static T CrossEntropyWithGradient<T>(ref T x, nint n, int target, T scale, T gradientFactor, bool zeroMaskedRows, ref T dx)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        CrossEntropy(ref x, n, target, scale, gradientFactor, zeroMaskedRows, ref dx, gradient: true);

    private static T CrossEntropy<T>(ref T x, nint n, int target, T scale, T gradientFactor, bool zeroMaskedRows, ref T dx, bool gradient)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count) return TrainingKernels<Simd512<T>, Vector512<T>, T, Vector512<double>>.CrossEntropy(ref x, n, target, scale, gradientFactor, zeroMaskedRows, ref dx, gradient);
        if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count) return TrainingKernels<Simd256<T>, Vector256<T>, T, Vector256<double>>.CrossEntropy(ref x, n, target, scale, gradientFactor, zeroMaskedRows, ref dx, gradient);
        if (Vector128.IsHardwareAccelerated && n >= Vector128<T>.Count) return TrainingKernels<Simd128<T>, Vector128<T>, T, Vector128<double>>.CrossEntropy(ref x, n, target, scale, gradientFactor, zeroMaskedRows, ref dx, gradient);
        return TrainingKernels<SimdScalar<T>, T, T, double>.CrossEntropy(ref x, n, target, scale, gradientFactor, zeroMaskedRows, ref dx, gradient);
    }
}
