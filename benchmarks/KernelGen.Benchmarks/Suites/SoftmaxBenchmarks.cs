using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using KernelGen.Benchmarks.Baselines;
using KernelGen.Benchmarks.Onnx;

namespace KernelGen.Benchmarks.Suites;

/// <summary>
/// Softmax of one float tensor per call, normal(0, 20) data from a fixed seed, every method reading the same pinned
/// input and writing the same pinned output: the generated kernel for the shape (the baseline of the ratio column),
/// the runtime's generic kernel, TensorPrimitives.SoftMax per row (or gathered per column), a plain scalar loop, and
/// ONNX Runtime on one thread (two ways of calling it).
/// </summary>
[MemoryDiagnoser]
public class SoftmaxBenchmarks
{
    private ShapeCase _shape = null!;
    private int _shapeIndex;
    private float[] _x = null!;
    private float[] _y = null!;
    private TensorPrimitivesSoftmax _tensorPrimitives = null!;
    private OrtSoftmax _onnx = null!;

    public static IEnumerable<string> Shapes => ShapeCase.Names;

    /// <summary>The tensor shape (and axis when it is not the last), e.g. <c>12x128x128</c>, <c>64x512_axis0</c>.</summary>
    [ParamsSource(nameof(Shapes))]
    public string Shape { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _shape = ShapeCase.Get(Shape);
        _shapeIndex = ShapeIndex(_shape);
        _x = BenchmarkData.PinnedNormal(_shape.Count, stddev: 20);
        _y = BenchmarkData.PinnedZeros(_shape.Count);
        _tensorPrimitives = new TensorPrimitivesSoftmax(_shape);
        _onnx = new OrtSoftmax(_shape.Shape, _shape.Axis, _x, _y);
    }

    [GlobalCleanup]
    public void Cleanup() => _onnx.Dispose();

    /// <summary>The kernel KernelGen generated for this shape.</summary>
    [Benchmark(Baseline = true)]
    public void Generated() => GeneratedKernels.Run(_shapeIndex, _x, _y);

    /// <summary>The runtime's generic kernel (shape checked and dispatched at run time).</summary>
    [Benchmark]
    public void Generic() => Kernels.Softmax(_x, _y, _shape.Shape, _shape.Axis);

    /// <summary>TensorPrimitives.SoftMax per row (last axis) or per gathered column (other axes).</summary>
    [Benchmark]
    public void TensorPrimitives() => _tensorPrimitives.Run(_x, _y);

    /// <summary>max, MathF.Exp, float sum, divide: one scalar loop per row.</summary>
    [Benchmark]
    public void ScalarLoop() => ScalarSoftmax.Run(_shape, _x, _y);

    /// <summary>ONNX Runtime, one thread, InferenceSession.Run(RunOptions, names, OrtValues, names, OrtValues).</summary>
    [Benchmark]
    public void OnnxRuntime() => _onnx.Run();

    /// <summary>ONNX Runtime, one thread, through an OrtIoBinding bound once (no managed allocation per call).</summary>
    [Benchmark]
    public void OnnxRuntimeIoBinding() => _onnx.RunBound();

    internal static int ShapeIndex(ShapeCase shape)
    {
        for (int i = 0; i < ShapeCase.All.Count; i++)
        {
            if (ReferenceEquals(ShapeCase.All[i], shape)) return i;
        }
        return -1;
    }
}
