using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace KernelGen.PlanSweep;

/// <summary>
/// What a user would write instead of a generated kernel, for one point: TensorPrimitives.SoftMax per row (per column,
/// gathered into a buffer and scattered back, for a non-last axis), a scalar three-pass loop, and Kernels.Softmax.
/// </summary>
internal sealed class Alternatives<T>(Point point)
    where T : unmanaged, IExponentialFunctions<T>, IFloatingPointIeee754<T>
{
    private readonly int[] _shape = point.Shape;
    private readonly T[] _column = new T[point.Length];
    private readonly T[] _columnResult = new T[point.Length];

    public (string Name, Kernel<T> Run)[] All =>
    [
        ("TensorPrimitives", TensorPrimitivesPerRow),
        ("scalar loop", ScalarLoop),
        ("Kernels.Softmax", KernelsSoftmax),
    ];

    private void KernelsSoftmax(ReadOnlySpan<T> x, Span<T> y)
    {
        if (typeof(T) == typeof(float))
        {
            Kernels.Softmax(System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(x), System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(y), _shape, point.Axis);
        }
        else
        {
            Kernels.Softmax(System.Runtime.InteropServices.MemoryMarshal.Cast<T, double>(x), System.Runtime.InteropServices.MemoryMarshal.Cast<T, double>(y), _shape, point.Axis);
        }
    }

    private void TensorPrimitivesPerRow(ReadOnlySpan<T> x, Span<T> y)
    {
        int length = point.Length, inner = point.Inner;
        if (inner == 1)
        {
            for (int row = 0; row < point.Outer; row++)
            {
                TensorPrimitives.SoftMax(x.Slice(row * length, length), y.Slice(row * length, length));
            }
            return;
        }
        for (int slab = 0; slab < point.Outer; slab++)
        {
            int start = slab * length * inner;
            for (int k = 0; k < inner; k++)
            {
                for (int i = 0; i < length; i++) _column[i] = x[start + i * inner + k];
                TensorPrimitives.SoftMax<T>(_column, _columnResult);
                for (int i = 0; i < length; i++) y[start + i * inner + k] = _columnResult[i];
            }
        }
    }

    private void ScalarLoop(ReadOnlySpan<T> x, Span<T> y)
    {
        int length = point.Length, inner = point.Inner;
        for (int slab = 0; slab < point.Outer; slab++)
        {
            int start = slab * length * inner;
            for (int k = 0; k < inner; k++)
            {
                int first = start + k;
                T max = T.NegativeInfinity;
                for (int i = 0; i < length; i++) max = T.Max(max, x[first + i * inner]);
                T sum = T.Zero;
                for (int i = 0; i < length; i++)
                {
                    T e = T.Exp(x[first + i * inner] - max);
                    y[first + i * inner] = e;
                    sum += e;
                }
                T factor = T.One / sum;
                for (int i = 0; i < length; i++) y[first + i * inner] *= factor;
            }
        }
    }
}
