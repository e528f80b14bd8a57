using System;
using System.Numerics.Tensors;

namespace KernelGen.Benchmarks.Baselines;

/// <summary>
/// <see cref="TensorPrimitives.SoftMax(ReadOnlySpan{float}, Span{float})"/> applied along an axis: once per row for
/// the last axis; for another axis, each column is gathered into a buffer, softmaxed and scattered back.
/// </summary>
/// <remarks>
/// TensorPrimitives.SoftMax computes exp(x) / sum(exp(x)) without subtracting the max, so rows with an element above
/// about 88.7 overflow to NaN; it is a speed baseline, not a numerically equivalent kernel.
/// </remarks>
public sealed class TensorPrimitivesSoftmax
{
    private readonly ShapeCase _shape;
    private readonly float[] _column;
    private readonly float[] _columnResult;

    public TensorPrimitivesSoftmax(ShapeCase shape)
    {
        _shape = shape;
        _column = new float[shape.Length];
        _columnResult = new float[shape.Length];
    }

    public void Run(ReadOnlySpan<float> x, Span<float> y)
    {
        int length = _shape.Length, inner = _shape.Inner, outer = _shape.Outer;
        if (inner == 1)
        {
            for (int r = 0; r < outer; r++)
            {
                TensorPrimitives.SoftMax(x.Slice(r * length, length), y.Slice(r * length, length));
            }
            return;
        }
        Span<float> column = _column, result = _columnResult;
        for (int o = 0; o < outer; o++)
        {
            int block = o * length * inner;
            for (int i = 0; i < inner; i++)
            {
                for (int l = 0; l < length; l++) column[l] = x[block + l * inner + i];
                TensorPrimitives.SoftMax(column, result);
                for (int l = 0; l < length; l++) y[block + l * inner + i] = result[l];
            }
        }
    }
}
