// The client's GPT-2 softmax notebook (shared/seed/gpt2-softmax-notebook.txt), reproduced with KernelGen.
using System;
using System.Diagnostics;
using System.Linq;
using System.Numerics.Tensors;
using KernelGen;

namespace KernelGen.Samples.Notebook;

public static partial class Program
{
    // The kernels: KernelGen writes their bodies at compile time, specialised for each shape.
    [Softmax(3, 3)]
    private static partial void Softmax3x3(ReadOnlySpan<float> x, Span<float> y);

    [Softmax(3, 2)]
    private static partial void Softmax3x2(ReadOnlySpan<float> x, Span<float> y);

    [Softmax(4, 3, 2)]
    private static partial void Softmax4x3x2(ReadOnlySpan<float> x, Span<float> y);

    [Softmax(36, 10, 4, 3, 2, Axis = -1)]
    private static partial void Softmax36x10x4x3x2(ReadOnlySpan<float> x, Span<float> y);

    [Softmax(3)]
    private static partial void Softmax3(ReadOnlySpan<float> x, Span<float> y);

    public static void Main()
    {
        Console.WriteLine("# KernelGen: the GPT-2 softmax notebook");
        Console.WriteLine();
        StepByStep("x", [1, 2, 3, 4, 5, 6, 7, 8, 9], rows: 3, cols: 3, Softmax3x3);
        StepByStep("y", [1, 1, 3, 2, 5, 9], rows: 3, cols: 2, Softmax3x2);
        LargeValues();
        Timing();
    }

    private delegate void Kernel(ReadOnlySpan<float> x, Span<float> y);

    // In [4] and In [5] of the notebook: max, x - max, exp, and the result, row by row.
    private static void StepByStep(string name, float[] x, int rows, int cols, Kernel kernel)
    {
        float[] max = new float[rows], shifted = new float[x.Length], ex = new float[x.Length], result = new float[x.Length];
        for (int r = 0; r < rows; r++)
        {
            max[r] = Reductions.Max(x.AsSpan(r * cols, cols));
            for (int c = 0; c < cols; c++)
            {
                shifted[r * cols + c] = x[r * cols + c] - max[r];
                ex[r * cols + c] = VectorMath.Exp(shifted[r * cols + c]);
            }
        }
        kernel(x, result);
        Print(name, x, cols);
        Print("innermost max", max, 1);
        Print($"{name}2: {name} - max", shifted, cols);
        Print($"ex: exp({name}2)", ex, cols);
        Print("softmax (generated kernel)", result, cols);
        var reference = new float[x.Length];
        for (int r = 0; r < rows; r++)
        {
            float sum = ex.AsSpan(r * cols, cols).ToArray().Sum();
            for (int c = 0; c < cols; c++) reference[r * cols + c] = ex[r * cols + c] / sum;
        }
        bool same = result.Zip(reference).All(p => MathF.Abs(p.First - p.Second) <= 1e-7f);
        Console.WriteLine($"equal to ex / sum(ex) within 1e-7? {same}");
        Console.WriteLine();
    }

    // The reason for subtracting the max: exp overflows float past 88.7.
    private static void LargeValues()
    {
        Console.WriteLine("## Large values");
        foreach (float[] row in new[] { new float[] { 1000, 1001, 1002 }, new float[] { 89, 90, 88 } })
        {
            var stable = new float[3];
            var naive = new float[3];
            Softmax3(row, stable);
            TensorPrimitives.SoftMax(row, naive);
            Console.WriteLine($"x = [{string.Join(", ", row)}]");
            Console.WriteLine($"  KernelGen (subtracts the max):         [{string.Join(", ", stable.Select(v => v.ToString("G7")))}]");
            Console.WriteLine($"  TensorPrimitives.SoftMax (does not):   [{string.Join(", ", naive.Select(v => v.ToString("G7")))}]");
        }
        Console.WriteLine();
    }

    // In [6] to In [13]: the notebook timed tf.nn.softmax; here the generated kernel against TensorPrimitives.SoftMax,
    // which has no axis, so it is called once per row.
    private static void Timing()
    {
        Console.WriteLine("## Timing (Stopwatch, median of 31 runs; the benchmarks/ project measures properly)");
        Time("[4, 3, 2]", 24, 2, Softmax4x3x2);
        Time("[36, 10, 4, 3, 2]", 8640, 2, Softmax36x10x4x3x2);
        Console.WriteLine($"({Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}, Vector512 accelerated: {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}, Vector256: {System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated})");
    }

    private static void Time(string shape, int count, int rowLength, Kernel kernel)
    {
        var random = new Random(1);
        float[] x = Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 40 - 20)).ToArray();
        var y = new float[count];
        double generated = Median(() => kernel(x, y));
        double perRow = Median(() =>
        {
            for (int row = 0; row < count; row += rowLength)
            {
                TensorPrimitives.SoftMax(x.AsSpan(row, rowLength), y.AsSpan(row, rowLength));
            }
        });
        Console.WriteLine($"{shape,-18} KernelGen {generated,10:F0} ns   TensorPrimitives.SoftMax per row {perRow,10:F0} ns   ratio {perRow / generated,5:F1}x");
    }

    private static double Median(Action action)
    {
        // Warm up for half a second: the JIT replaces its first, quick code with the optimised code only after a method
        // has been called for a while (tiered compilation), and that is the code worth timing.
        var warmUp = Stopwatch.StartNew();
        while (warmUp.ElapsedMilliseconds < 500) action();
        var times = new double[31];
        for (int t = 0; t < times.Length; t++)
        {
            int reps = 200;
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < reps; i++) action();
            times[t] = Stopwatch.GetElapsedTime(start).TotalNanoseconds / reps;
        }
        Array.Sort(times);
        return times[times.Length / 2];
    }

    private static void Print(string title, float[] values, int cols)
    {
        Console.WriteLine(title);
        for (int r = 0; r < values.Length / cols; r++)
        {
            Console.WriteLine(" [" + string.Join(" ", values.Skip(r * cols).Take(cols).Select(v => v.ToString("0.########").PadLeft(11))) + "]");
        }
        Console.WriteLine("----------");
    }
}
