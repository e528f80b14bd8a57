using System;
using System.Runtime.CompilerServices;

namespace KernelGen.Benchmarks;

/// <summary>
/// One generated kernel per benchmark shape, declared as a user would; KernelGen writes the bodies at compile time
/// (see obj/Release/net10.0/generated/), each with the plan the generator chooses for that shape (docs/plans.md).
/// </summary>
public static partial class GeneratedKernels
{
    [Softmax(1024)]
    public static partial void Softmax_1024(ReadOnlySpan<float> input, Span<float> output);

    [Softmax(50257)]
    public static partial void Softmax_50257(ReadOnlySpan<float> input, Span<float> output);

    [Softmax(12, 128, 128)]
    public static partial void Softmax_12x128x128(ReadOnlySpan<float> input, Span<float> output);

    [Softmax(64, 512, Axis = 0)]
    public static partial void Softmax_64x512_axis0(ReadOnlySpan<float> input, Span<float> output);

    [Softmax(4, 3, 2)]
    public static partial void Softmax_4x3x2(ReadOnlySpan<float> input, Span<float> output);

    [Softmax(36, 10, 4, 3, 2)]
    public static partial void Softmax_36x10x4x3x2(ReadOnlySpan<float> input, Span<float> output);

    [Softmax(3, 3)]
    public static partial void Softmax_3x3(ReadOnlySpan<float> input, Span<float> output);

    [Softmax(2, 3, 5, 7, Axis = 1)]
    public static partial void Softmax_2x3x5x7_axis1(ReadOnlySpan<float> input, Span<float> output);

    [Softmax(8, 512, 512)]
    public static partial void Softmax_8x512x512(ReadOnlySpan<float> input, Span<float> output);

    [Softmax(12, 1024, 1024)]
    public static partial void Softmax_12x1024x1024(ReadOnlySpan<float> input, Span<float> output);

    /// <summary>The generated kernel of a shape, by its index in <see cref="ShapeCase.All"/> (a switch of direct calls, no delegate).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run(int shapeIndex, ReadOnlySpan<float> input, Span<float> output)
    {
        switch (shapeIndex)
        {
            case 0: Softmax_1024(input, output); break;
            case 1: Softmax_50257(input, output); break;
            case 2: Softmax_12x128x128(input, output); break;
            case 3: Softmax_64x512_axis0(input, output); break;
            case 4: Softmax_4x3x2(input, output); break;
            case 5: Softmax_36x10x4x3x2(input, output); break;
            case 6: Softmax_3x3(input, output); break;
            case 7: Softmax_2x3x5x7_axis1(input, output); break;
            case 8: Softmax_8x512x512(input, output); break;
            case 9: Softmax_12x1024x1024(input, output); break;
            default: throw new ArgumentOutOfRangeException(nameof(shapeIndex), shapeIndex, "No generated kernel for this shape.");
        }
    }
}
