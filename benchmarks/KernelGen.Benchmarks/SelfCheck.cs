using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using KernelGen.Benchmarks.Baselines;
using KernelGen.Benchmarks.Onnx;
using KernelGen.Benchmarks.Suites;
using KernelGen.Internal;

namespace KernelGen.Benchmarks;

/// <summary>
/// Proves the baselines compute what they are compared with before anything is timed: on the benchmark data, every
/// method's output against <see cref="Kernels.Softmax(ReadOnlySpan{float}, Span{float}, ReadOnlySpan{int}, int)"/>,
/// and the managed bytes each allocates per call.
/// </summary>
internal static class SelfCheck
{
    /// <summary>Largest |difference| allowed between ONNX Runtime (or the generated kernel) and Kernels.Softmax.</summary>
    public const double Tolerance = 1e-5;

    public static bool Run(TextWriter log)
    {
        bool ok = true;
        log.WriteLine($"Self-check: max |output - Kernels.Softmax| on the benchmark data (required <= {Tolerance:0e0} for the generated kernel and ONNX Runtime;");
        log.WriteLine("TensorPrimitives and the scalar loop are shown for information: TensorPrimitives.SoftMax does not subtract the max and overflows to NaN above ~88.7).");
        log.WriteLine($"{"shape",-16} {"generated",10} {"ORT Run",10} {"ORT IoBind",10} {"TensorPrim",10} {"scalar",10} | bytes/call: {"gen",5} {"generic",7} {"ORT Run",7} {"ORT IoB",7}");
        foreach (ShapeCase shape in ShapeCase.All)
        {
            float[] x = BenchmarkData.PinnedNormal(shape.Count, stddev: 20);
            float[] y = BenchmarkData.PinnedZeros(shape.Count);
            var reference = new float[shape.Count];
            Kernels.Softmax(x, reference, shape.Shape, shape.Axis);
            int index = SoftmaxBenchmarks.ShapeIndex(shape);
            var tensorPrimitives = new TensorPrimitivesSoftmax(shape);
            using var onnx = new OrtSoftmax(shape.Shape, shape.Axis, x, y);

            double generated = Difference(() => GeneratedKernels.Run(index, x, y), y, reference);
            double onnxRun = Difference(onnx.Run, y, reference);
            double onnxBound = Difference(onnx.RunBound, y, reference);
            double primitives = Difference(() => tensorPrimitives.Run(x, y), y, reference);
            double scalar = Difference(() => ScalarSoftmax.Run(shape, x, y), y, reference);
            bool shapeOk = generated <= Tolerance && onnxRun <= Tolerance && onnxBound <= Tolerance;
            ok &= shapeOk;

            long allocGenerated = BytesPerCall(() => GeneratedKernels.Run(index, x, y));
            long allocGeneric = BytesPerCall(() => Kernels.Softmax(x, y, shape.Shape, shape.Axis));
            long allocRun = BytesPerCall(onnx.Run);
            long allocBound = BytesPerCall(onnx.RunBound);
            log.WriteLine($"{shape.Name,-16} {generated,10:0.0e0} {onnxRun,10:0.0e0} {onnxBound,10:0.0e0} {primitives,10:0.0e0} {scalar,10:0.0e0} | {"",11} {allocGenerated,5} {allocGeneric,7} {allocRun,7} {allocBound,7}{(shapeOk ? "" : "   FAILED")}");
        }

        ok &= CheckExp(log);
        ok &= CheckTwoPass(log);
        log.WriteLine(ok ? "Self-check passed." : "Self-check FAILED.");
        return ok;
    }

    // VectorMath.Exp and Vector256.Exp agree to float precision on both exp data sets.
    private static bool CheckExp(TextWriter log)
    {
        bool ok = true;
        foreach (string data in new[] { "XMinusMax", "Small" })
        {
            var x = new float[ExpBenchmarks.Length];
            ExpBenchmarks.Fill(data, x);
            double worst = 0;
            for (int i = 0; i < x.Length; i += Vector256<float>.Count)
            {
                Vector256<float> v = Vector256.Create(x.AsSpan(i, Vector256<float>.Count));
                Vector256<float> ours = VectorMath.Exp(v), theirs = Vector256.Exp(v);
                for (int j = 0; j < Vector256<float>.Count; j++)
                {
                    double expected = Math.Exp(x[i + j]);
                    if (expected < 1.2e-38) continue; // flushed to 0 by VectorMath below the normal range
                    worst = Math.Max(worst, Math.Abs(ours[j] - theirs[j]) / expected);
                }
            }
            bool good = worst <= 3e-7;
            ok &= good;
            log.WriteLine($"exp {data,-10}: max relative |VectorMath.Exp - Vector256.Exp| = {worst:0.0e0}{(good ? "" : "   FAILED")}");
        }
        return ok;
    }

    // The two-pass row kernel gives what the three-pass one does, at every benchmark length.
    private static bool CheckTwoPass(TextWriter log)
    {
        bool ok = true;
        foreach (int log2 in new[] { 14, 16, 18, 20, 22 })
        {
            float[] x = BenchmarkData.PinnedNormal(1 << log2, stddev: 20);
            var three = new float[x.Length];
            var two = new float[x.Length];
            RowKernel<Simd256<float>, Vector256<float>, float>.Row<SoftmaxOp>(in x[0], ref three[0], x.Length);
            TwoPassRowKernel<Simd256<float>, Vector256<float>, float>.Row(in x[0], ref two[0], x.Length);
            double worst = 0, sum = 0;
            for (int i = 0; i < x.Length; i++)
            {
                sum += two[i];
                if (three[i] > 1e-30f) worst = Math.Max(worst, Math.Abs(two[i] - three[i]) / three[i]);
                else if (two[i] != three[i] && Math.Abs(two[i] - three[i]) > 1e-30) worst = double.PositiveInfinity;
            }
            bool good = worst <= 5e-7 && Math.Abs(sum - 1) <= 1e-6;
            ok &= good;
            log.WriteLine($"two-pass row 2^{log2}: max relative |two-pass - three-pass| = {worst:0.0e0}, row sum - 1 = {sum - 1:0.0e0}{(good ? "" : "   FAILED")}");
        }
        return ok;
    }

    private static double Difference(Action run, float[] y, float[] reference)
    {
        Array.Clear(y);
        run();
        double worst = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double d = Math.Abs((double)y[i] - reference[i]);
            if (float.IsNaN(y[i]) != float.IsNaN(reference[i])) d = double.PositiveInfinity;
            else if (double.IsNaN(d)) d = 0; // both NaN
            worst = Math.Max(worst, d);
        }
        return worst;
    }

    // Managed bytes allocated per call on this thread, over 100 calls after a warm-up call.
    private static long BytesPerCall(Action run)
    {
        run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) run();
        return (GC.GetAllocatedBytesForCurrentThread() - before) / 100;
    }
}
