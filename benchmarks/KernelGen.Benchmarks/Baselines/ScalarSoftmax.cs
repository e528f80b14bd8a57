using System;

namespace KernelGen.Benchmarks.Baselines;

/// <summary>
/// The plain scalar loop a person writes first, per row along the axis: max, y = MathF.Exp(x - max) summed in float,
/// then y /= sum. No vectors, no compensated sum.
/// </summary>
public static class ScalarSoftmax
{
    public static void Run(ShapeCase shape, ReadOnlySpan<float> x, Span<float> y)
    {
        int length = shape.Length, inner = shape.Inner, outer = shape.Outer;
        if (inner == 1)
        {
            for (int r = 0; r < outer; r++)
            {
                Row(x.Slice(r * length, length), y.Slice(r * length, length));
            }
            return;
        }
        for (int o = 0; o < outer; o++)
        {
            int block = o * length * inner;
            for (int i = 0; i < inner; i++)
            {
                Strided(x, y, block + i, length, inner);
            }
        }
    }

    private static void Row(ReadOnlySpan<float> x, Span<float> y)
    {
        float max = float.NegativeInfinity;
        for (int i = 0; i < x.Length; i++) max = Math.Max(max, x[i]);
        float sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            float e = MathF.Exp(x[i] - max);
            y[i] = e;
            sum += e;
        }
        for (int i = 0; i < y.Length; i++) y[i] /= sum;
    }

    private static void Strided(ReadOnlySpan<float> x, Span<float> y, int start, int length, int stride)
    {
        float max = float.NegativeInfinity;
        for (int l = 0; l < length; l++) max = Math.Max(max, x[start + l * stride]);
        float sum = 0;
        for (int l = 0; l < length; l++)
        {
            float e = MathF.Exp(x[start + l * stride] - max);
            y[start + l * stride] = e;
            sum += e;
        }
        for (int l = 0; l < length; l++) y[start + l * stride] /= sum;
    }
}
