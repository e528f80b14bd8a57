using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using KernelGen.Benchmarks.Baselines;
using KernelGen.CompilerServices;

namespace KernelGen.Benchmarks.Suites;

/// <summary>
/// Issue #12's headline shapes, where a call's fixed work matters: the notebook's [3, 3] and [3, 2], a [1, 8] kernel
/// (also in place), [32, 7] (short rows transposed in groups) and [2, 7, 5] axis 1 (columns of 5, run on the
/// Vector128 path); against TensorPrimitives.SoftMax per row, a scalar loop and Kernels.Softmax. <see cref="ChecksOnly"/>
/// times a call's argument checks alone (two lengths and the overlap check, as a generated Run makes them), and
/// <see cref="RowOfOne"/> a whole generated call that computes almost nothing ([1, 1]: no exp): the fixed cost.
/// </summary>
[MemoryDiagnoser]
public partial class SmallTensorBenchmarks
{
    private float[] _x = null!;
    private float[] _y = null!;
    private int[] _shape = null!;
    private int _axis;
    private ShapeCase _case = null!;
    private TensorPrimitivesSoftmax _tensorPrimitives = null!;

    public static IEnumerable<string> Shapes => ["3x3", "3x2", "1x8", "1x8_inplace", "32x7", "2x7x5_axis1"];

    [ParamsSource(nameof(Shapes))]
    public string Shape { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        (_shape, _axis) = Shape switch
        {
            "3x3" => (new[] { 3, 3 }, 1),
            "3x2" => ([3, 2], 1),
            "1x8" or "1x8_inplace" => ([1, 8], 1),
            "32x7" => ([32, 7], 1),
            "2x7x5_axis1" => ([2, 7, 5], 1),
            _ => throw new ArgumentException($"Unknown shape {Shape}."),
        };
        _case = new ShapeCase(Shape, _shape, _axis);
        _tensorPrimitives = new TensorPrimitivesSoftmax(_case);
        _x = BenchmarkData.PinnedNormal(_case.Count, stddev: 20);
        _y = Shape.EndsWith("inplace", StringComparison.Ordinal) ? _x : BenchmarkData.PinnedZeros(_case.Count);
    }

    [Softmax(3, 3)] private static partial void Softmax3x3(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(3, 2)] private static partial void Softmax3x2(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(1, 8)] private static partial void Softmax1x8(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(1, 8)] private static partial void Softmax1x8InPlace(Span<float> x);
    [Softmax(32, 7)] private static partial void Softmax32x7(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(2, 7, 5, Axis = 1)] private static partial void Softmax2x7x5Axis1(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(1, 1)] private static partial void Softmax1x1(ReadOnlySpan<float> x, Span<float> y);

    /// <summary>The kernel KernelGen generated for the shape.</summary>
    [Benchmark(Baseline = true)]
    public void Generated()
    {
        switch (Shape)
        {
            case "3x3": Softmax3x3(_x, _y); break;
            case "3x2": Softmax3x2(_x, _y); break;
            case "1x8": Softmax1x8(_x, _y); break;
            case "1x8_inplace": Softmax1x8InPlace(_x); break;
            case "32x7": Softmax32x7(_x, _y); break;
            default: Softmax2x7x5Axis1(_x, _y); break;
        }
    }

    /// <summary>TensorPrimitives.SoftMax per row (per gathered column for [2, 7, 5] axis 1), as in the softmax suite.</summary>
    [Benchmark]
    public void TensorPrimitivesPerRow() => _tensorPrimitives.Run(_x, _y);

    /// <summary>max, MathF.Exp, float sum, divide: the softmax suite's scalar loop per row (strided for a non-last axis).</summary>
    [Benchmark]
    public void ScalarLoop() => ScalarSoftmax.Run(_case, _x, _y);

    /// <summary>The runtime's generic kernel.</summary>
    [Benchmark]
    public void GenericKernel() => Kernels.Softmax(_x, _y, _shape, _axis);

    /// <summary>A generated [1, 1] kernel (rows of one: (x - x) + 1, no exp): a whole call with almost no work.</summary>
    [Benchmark]
    public void RowOfOne() => Softmax1x1(_x.AsSpan(0, 1), _y.AsSpan(0, 1));

    /// <summary>A generated call's checks alone: two span lengths and the overlap check.</summary>
    [Benchmark]
    public void ChecksOnly() => Checks(_x, _y, _x.Length);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Checks(ReadOnlySpan<float> x, Span<float> y, int count)
    {
        KernelArguments.CheckLength(x.Length, count, "[n]", "x");
        KernelArguments.CheckLength(y.Length, count, "[n]", "y");
        KernelArguments.CheckOverlap(x, y, "x", "y");
    }
}
