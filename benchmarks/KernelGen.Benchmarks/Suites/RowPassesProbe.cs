using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using KernelGen.Internal;

namespace KernelGen.Benchmarks.Suites;

/// <summary>
/// <c>--probe-row-passes</c>: a quick, noise-tolerant look at three-pass vs two-pass rows for every length from 2^12
/// to 2^22. The two kernels run in alternating short batches and each keeps its fastest batch: on a shared machine
/// the fastest batch is the one least disturbed, and alternating gives both the same conditions. It complements
/// <see cref="RowPassesBenchmarks"/> (means, BenchmarkDotNet's statistics); it does not replace it.
/// </summary>
internal static class RowPassesProbe
{
    public static void Run(TextWriter log)
    {
        log.WriteLine("Row length | three-pass ns/elem | two-pass ns/elem | two/three (fastest batch of each, alternating)");
        for (int log2 = 12; log2 <= 22; log2++)
        {
            int n = 1 << log2;
            float[] x = BenchmarkData.PinnedNormal(n, stddev: 20);
            float[] y = BenchmarkData.PinnedZeros(n);
            int batch = Math.Max(1, (1 << 18) >> log2);           // about 2^18 elements a batch
            int rounds = Math.Clamp((1 << 27) >> log2, 15, 300);
            double three = double.MaxValue, two = double.MaxValue;
            for (int round = -2; round < rounds; round++)         // two rounds of warm-up
            {
                double t3 = Time(ThreePass, x, y, batch), t2 = Time(TwoPass, x, y, batch);
                if (round < 0) continue;
                three = Math.Min(three, t3);
                two = Math.Min(two, t2);
            }
            log.WriteLine($"2^{log2,-8} | {three / n,18:0.000} | {two / n,16:0.000} | {two / three:0.00}");
        }
    }

    private static double Time(Action<float[], float[]> kernel, float[] x, float[] y, int batch)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < batch; i++) kernel(x, y);
        return Stopwatch.GetElapsedTime(start).TotalNanoseconds / batch;
    }

    private static void ThreePass(float[] x, float[] y) =>
        RowKernel<Simd256<float>, Vector256<float>, float>.Row<SoftmaxOp>(
            in MemoryMarshal.GetArrayDataReference(x), ref MemoryMarshal.GetArrayDataReference(y), x.Length);

    private static void TwoPass(float[] x, float[] y) =>
        TwoPassRowKernel<Simd256<float>, Vector256<float>, float>.Row(
            in MemoryMarshal.GetArrayDataReference(x), ref MemoryMarshal.GetArrayDataReference(y), x.Length);
}
