using System;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;

namespace KernelGen.Benchmarks.Suites;

/// <summary>
/// KernelGen's native float exp (<see cref="VectorMath.Exp(Vector256{float})"/>) against .NET's
/// <see cref="Vector256.Exp(Vector256{float})"/> (which widens to double), over a 16 KiB buffer that stays in L1:
/// this measures the arithmetic, not memory.
/// </summary>
[MemoryDiagnoser]
public class ExpBenchmarks
{
    /// <summary>Elements per call: 4096 floats in, 4096 out.</summary>
    public const int Length = 4096;

    private float[] _x = null!;
    private float[] _y = null!;

    /// <summary>
    /// <c>XMinusMax</c>: normal(0, 20) clamped to &lt;= 0, like the x - max a softmax feeds to exp (about half the
    /// values are exactly 0, the rest spread over [-90, 0)). <c>Small</c>: uniform in [-1, 0].
    /// </summary>
    [Params("XMinusMax", "Small")]
    public string Data { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _x = BenchmarkData.PinnedZeros(Length);
        _y = BenchmarkData.PinnedZeros(Length);
        Fill(Data, _x);
    }

    /// <summary>The data set by name, for the self-check too.</summary>
    public static void Fill(string data, Span<float> x)
    {
        switch (data)
        {
            case "XMinusMax":
                BenchmarkData.FillNormal(x, stddev: 20);
                for (int i = 0; i < x.Length; i++) x[i] = Math.Min(x[i], 0f);
                break;
            case "Small":
                var random = new Random(BenchmarkData.Seed);
                for (int i = 0; i < x.Length; i++) x[i] = -(float)random.NextDouble();
                break;
            default:
                throw new ArgumentException($"Unknown data set '{data}'.", nameof(data));
        }
    }

    /// <summary>.NET 10's Vector256.Exp(Vector256&lt;float&gt;).</summary>
    [Benchmark(Baseline = true)]
    public void DotNetVector256Exp()
    {
        ref float x = ref MemoryMarshal.GetArrayDataReference(_x);
        ref float y = ref MemoryMarshal.GetArrayDataReference(_y);
        for (nuint i = 0; i < Length; i += (nuint)Vector256<float>.Count)
        {
            Vector256.Exp(Vector256.LoadUnsafe(ref x, i)).StoreUnsafe(ref y, i);
        }
    }

    /// <summary>KernelGen's VectorMath.Exp(Vector256&lt;float&gt;).</summary>
    [Benchmark]
    public void KernelGenExp()
    {
        ref float x = ref MemoryMarshal.GetArrayDataReference(_x);
        ref float y = ref MemoryMarshal.GetArrayDataReference(_y);
        for (nuint i = 0; i < Length; i += (nuint)Vector256<float>.Count)
        {
            VectorMath.Exp(Vector256.LoadUnsafe(ref x, i)).StoreUnsafe(ref y, i);
        }
    }
}
