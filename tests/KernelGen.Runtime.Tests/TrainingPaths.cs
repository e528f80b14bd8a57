using System;
using System.Runtime.InteropServices;
using KernelGen.CompilerServices;

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
