using System;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using KernelGen.CompilerServices;
using KernelGen.Internal;

namespace KernelGen.Runtime.Tests;

/// <summary>One way of running the training row functions: the public <see cref="TrainingRows"/>, or one SIMD width.</summary>
public interface ITrainingPath
{
    string Name { get; }

    /// <summary>The softmax (or log-softmax) gradient of a row (<paramref name="inner"/> = 0) or of a slab of columns.</summary>
    void Gradient<T>(bool log, Span<T> y, Span<T> dy, Span<T> dx, int length, int inner, T scale)
        where T : unmanaged;

    T CrossEntropy<T>(Span<T> x, int target, T scale)
        where T : unmanaged;

    T CrossEntropyWithGradient<T>(Span<T> x, int target, T scale, T factor, bool zeroMaskedRows, Span<T> dx)
        where T : unmanaged;
}

/// <summary>The public row functions (the widest accelerated width that fits).</summary>
public sealed class PublicTrainingPath : ITrainingPath
{
    public string Name => "TrainingRows";

    public override string ToString() => Name;

    public void Gradient<T>(bool log, Span<T> y, Span<T> dy, Span<T> dx, int length, int inner, T scale)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            ref float yr = ref MemoryMarshal.GetReference(MemoryMarshal.Cast<T, float>(y));
            ref float dyr = ref MemoryMarshal.GetReference(MemoryMarshal.Cast<T, float>(dy));
            ref float dxr = ref MemoryMarshal.GetReference(MemoryMarshal.Cast<T, float>(dx));
            float s = (float)(object)scale;
            if (inner == 0 && log) TrainingRows.LogSoftmaxGradient(ref yr, ref dyr, ref dxr, (nuint)length, s);
            else if (inner == 0) TrainingRows.SoftmaxGradient(ref yr, ref dyr, ref dxr, (nuint)length, s);
            else if (log) TrainingRows.LogSoftmaxGradientColumns(ref yr, ref dyr, ref dxr, (nuint)length, (nuint)inner, s);
            else TrainingRows.SoftmaxGradientColumns(ref yr, ref dyr, ref dxr, (nuint)length, (nuint)inner, s);
        }
        else
        {
            ref double yr = ref MemoryMarshal.GetReference(MemoryMarshal.Cast<T, double>(y));
            ref double dyr = ref MemoryMarshal.GetReference(MemoryMarshal.Cast<T, double>(dy));
            ref double dxr = ref MemoryMarshal.GetReference(MemoryMarshal.Cast<T, double>(dx));
            double s = (double)(object)scale;
            if (inner == 0 && log) TrainingRows.LogSoftmaxGradient(ref yr, ref dyr, ref dxr, (nuint)length, s);
            else if (inner == 0) TrainingRows.SoftmaxGradient(ref yr, ref dyr, ref dxr, (nuint)length, s);
            else if (log) TrainingRows.LogSoftmaxGradientColumns(ref yr, ref dyr, ref dxr, (nuint)length, (nuint)inner, s);
            else TrainingRows.SoftmaxGradientColumns(ref yr, ref dyr, ref dxr, (nuint)length, (nuint)inner, s);
        }
    }

    public T CrossEntropy<T>(Span<T> x, int target, T scale)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            float loss = TrainingRows.CrossEntropy(ref MemoryMarshal.GetReference(MemoryMarshal.Cast<T, float>(x)), (nuint)x.Length, target, (float)(object)scale);
            return (T)(object)loss;
        }
        double d = TrainingRows.CrossEntropy(ref MemoryMarshal.GetReference(MemoryMarshal.Cast<T, double>(x)), (nuint)x.Length, target, (double)(object)scale);
        return (T)(object)d;
    }

    public T CrossEntropyWithGradient<T>(Span<T> x, int target, T scale, T factor, bool zeroMaskedRows, Span<T> dx)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            float loss = TrainingRows.CrossEntropyWithGradient(ref MemoryMarshal.GetReference(MemoryMarshal.Cast<T, float>(x)), (nuint)x.Length, target,
                (float)(object)scale, (float)(object)factor, zeroMaskedRows, ref MemoryMarshal.GetReference(MemoryMarshal.Cast<T, float>(dx)));
            return (T)(object)loss;
        }
        double d = TrainingRows.CrossEntropyWithGradient(ref MemoryMarshal.GetReference(MemoryMarshal.Cast<T, double>(x)), (nuint)x.Length, target,
            (double)(object)scale, (double)(object)factor, zeroMaskedRows, ref MemoryMarshal.GetReference(MemoryMarshal.Cast<T, double>(dx)));
        return (T)(object)d;
    }
}

/// <summary>
/// One SIMD width of the training kernels, called directly whatever the hardware (a width the machine does not
/// accelerate runs in software), as <see cref="WidthTests"/> does for the forward kernels.
/// </summary>
public sealed class WidthTrainingPath(string width) : ITrainingPath
{
    public string Name => width;

    public override string ToString() => Name;

    public void Gradient<T>(bool log, Span<T> y, Span<T> dy, Span<T> dx, int length, int inner, T scale)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            Typed<float>(log, MemoryMarshal.Cast<T, float>(y), MemoryMarshal.Cast<T, float>(dy), MemoryMarshal.Cast<T, float>(dx), length, inner, (float)(object)scale);
        }
        else
        {
            Typed<double>(log, MemoryMarshal.Cast<T, double>(y), MemoryMarshal.Cast<T, double>(dy), MemoryMarshal.Cast<T, double>(dx), length, inner, (double)(object)scale);
        }
    }

    private void Typed<T>(bool log, Span<T> ys, Span<T> dys, Span<T> dxs, int length, int inner, T scale)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        ref T y = ref MemoryMarshal.GetReference(ys);
        ref T dy = ref MemoryMarshal.GetReference(dys);
        ref T dx = ref MemoryMarshal.GetReference(dxs);
        switch (width)
        {
            case "Vector512": Run<Simd512<T>, Vector512<T>, T, Vector512<double>>(log, ref y, ref dy, ref dx, length, inner, scale); break;
            case "Vector256": Run<Simd256<T>, Vector256<T>, T, Vector256<double>>(log, ref y, ref dy, ref dx, length, inner, scale); break;
            case "Vector128": Run<Simd128<T>, Vector128<T>, T, Vector128<double>>(log, ref y, ref dy, ref dx, length, inner, scale); break;
            default: Run<SimdScalar<T>, T, T, double>(log, ref y, ref dy, ref dx, length, inner, scale); break;
        }
    }

    private static void Run<TS, TV, T, TW>(bool log, ref T y, ref T dy, ref T dx, int length, int inner, T scale)
        where TS : ITrainingSimd<TV, T, TW>
        where TV : struct
        where TW : struct
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        if (inner == 0 && log) TrainingKernels<TS, TV, T, TW>.LogSoftmaxGradient(ref y, ref dy, ref dx, length, scale);
        else if (inner == 0) TrainingKernels<TS, TV, T, TW>.SoftmaxGradient(ref y, ref dy, ref dx, length, scale);
        else if (log) TrainingKernels<TS, TV, T, TW>.LogSoftmaxGradientColumns(ref y, ref dy, ref dx, length, inner, scale);
        else TrainingKernels<TS, TV, T, TW>.SoftmaxGradientColumns(ref y, ref dy, ref dx, length, inner, scale);
    }

    public T CrossEntropy<T>(Span<T> x, int target, T scale)
        where T : unmanaged
    {
        T unused = default;
        return CrossEntropyCore(x, target, scale, scale, false, MemoryMarshal.CreateSpan(ref unused, 1), gradient: false);
    }

    public T CrossEntropyWithGradient<T>(Span<T> x, int target, T scale, T factor, bool zeroMaskedRows, Span<T> dx)
        where T : unmanaged => CrossEntropyCore(x, target, scale, factor, zeroMaskedRows, dx, gradient: true);

    private T CrossEntropyCore<T>(Span<T> x, int target, T scale, T factor, bool zeroMaskedRows, Span<T> dx, bool gradient)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            float loss = Typed<float>(MemoryMarshal.Cast<T, float>(x), target, (float)(object)scale, (float)(object)factor, zeroMaskedRows, MemoryMarshal.Cast<T, float>(dx), gradient);
            return (T)(object)loss;
        }
        double d = Typed<double>(MemoryMarshal.Cast<T, double>(x), target, (double)(object)scale, (double)(object)factor, zeroMaskedRows, MemoryMarshal.Cast<T, double>(dx), gradient);
        return (T)(object)d;
    }

    private T Typed<T>(Span<T> xs, int target, T scale, T factor, bool zeroMaskedRows, Span<T> dxs, bool gradient)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        ref T x = ref MemoryMarshal.GetReference(xs);
        ref T dx = ref MemoryMarshal.GetReference(dxs);
        return width switch
        {
            "Vector512" => TrainingKernels<Simd512<T>, Vector512<T>, T, Vector512<double>>.CrossEntropy(ref x, xs.Length, target, scale, factor, zeroMaskedRows, ref dx, gradient),
            "Vector256" => TrainingKernels<Simd256<T>, Vector256<T>, T, Vector256<double>>.CrossEntropy(ref x, xs.Length, target, scale, factor, zeroMaskedRows, ref dx, gradient),
            "Vector128" => TrainingKernels<Simd128<T>, Vector128<T>, T, Vector128<double>>.CrossEntropy(ref x, xs.Length, target, scale, factor, zeroMaskedRows, ref dx, gradient),
            _ => TrainingKernels<SimdScalar<T>, T, T, double>.CrossEntropy(ref x, xs.Length, target, scale, factor, zeroMaskedRows, ref dx, gradient),
        };
    }
}
