using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using KernelGen.Internal;

namespace KernelGen.Benchmarks.Suites;

/// <summary>
/// One float row of 2^14 .. 2^22 elements (64 KiB .. 16 MiB, input and output each): the runtime's three-pass row
/// kernel (max; exp stored and summed; scale) against the two-pass one (online max and sum in L1-sized chunks;
/// exp(x - max) / sum). Both on the Vector256 path. Rows past L2 (512 KiB a core here) are where two passes over
/// memory instead of three may pay for computing exp twice.
/// </summary>
[MemoryDiagnoser]
public class RowPassesBenchmarks
{
    private float[] _x = null!;
    private float[] _y = null!;

    /// <summary>log2 of the row length.</summary>
    [Params(14, 16, 18, 20, 22)]
    public int Log2Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _x = BenchmarkData.PinnedNormal(1 << Log2Length, stddev: 20);
        _y = BenchmarkData.PinnedZeros(1 << Log2Length);
    }

    /// <summary>RowKernel: three passes over the row.</summary>
    [Benchmark(Baseline = true)]
    public void ThreePass() =>
        RowKernel<Simd256<float>, Vector256<float>, float>.Row<SoftmaxOp>(
            in MemoryMarshal.GetArrayDataReference(_x), ref MemoryMarshal.GetArrayDataReference(_y), _x.Length);

    /// <summary>TwoPassRowKernel: online max and sum, then exp(x - max) / sum.</summary>
    [Benchmark]
    public void TwoPass() =>
        TwoPassRowKernel<Simd256<float>, Vector256<float>, float>.Row(
            in MemoryMarshal.GetArrayDataReference(_x), ref MemoryMarshal.GetArrayDataReference(_y), _x.Length);
}
