// One training step's loss and gradients for GPT-2 small in .NET: the cross-entropy of [4 x 64, 50257] logits
// against the next tokens, with the gradient of the mean loss in the same passes, checked against central finite
// differences in double and timed against the straightforward loop of the .NET port of llm.c; and the backward pass
// of causal attention's softmax over 12 heads of 64 x 64.
using System;
using System.Diagnostics;
using System.Linq;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using KernelGen;

namespace KernelGen.Samples.Gpt2Training;

public static partial class Gpt2Training
{
    public const int Batch = 4, Tokens = 64, Vocabulary = 50257, Heads = 12, HeadSize = 64;

    /// <summary>Per row: loss = log(sum(exp(x - max))) - (x[target] - max); the gradient of the mean loss in the same passes.</summary>
    [SoftmaxCrossEntropy(-1, Vocabulary)]
    public static partial void LossAndGradient(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> losses, Span<float> logitsGradient);

    /// <summary>The same loss in double, for the finite differences.</summary>
    [SoftmaxCrossEntropy(-1, Vocabulary)]
    public static partial void Loss(ReadOnlySpan<double> logits, ReadOnlySpan<int> targets, Span<double> losses);

    /// <summary>Causal attention's probabilities, softmax(mask(q·kᵀ / sqrt(64))), as in the forward pass.</summary>
    [Softmax(Heads, Tokens, Tokens, Scale = 0.125f, Causal = true)]
    public static partial void AttentionProbs(ReadOnlySpan<float> scores, Span<float> probs);

    /// <summary>Its backward pass: the gradient with respect to the scores; the masked keys get exactly 0.</summary>
    [SoftmaxGradient(Heads, Tokens, Tokens, Scale = 0.125f, Causal = true)]
    public static partial void AttentionBackward(ReadOnlySpan<float> probs, ReadOnlySpan<float> probsGradient, Span<float> scoresGradient);
}

public static class Program
{
    public static int Main()
    {
        Console.WriteLine("# KernelGen: one GPT-2 training step's loss and gradients");
        Console.WriteLine();
        var random = new Random(2019);
        bool ok = CrossEntropy(random);
        Attention(random);
        Console.WriteLine($"({Environment.ProcessorCount} cores, Vector512 accelerated: {Vector512.IsHardwareAccelerated}, Vector256: {Vector256.IsHardwareAccelerated}, Vector128: {Vector128.IsHardwareAccelerated}; Stopwatch, median of 21 runs)");
        return ok ? 0 : 1;
    }

    private static bool CrossEntropy(Random random)
    {
        const int rows = Gpt2Training.Batch * Gpt2Training.Tokens, classes = Gpt2Training.Vocabulary;
        Console.WriteLine($"## Cross-entropy: [{Gpt2Training.Batch} x {Gpt2Training.Tokens}, {classes}] logits, the gradient of the mean loss");
        float[] logits = Normal(random, rows * classes, 2);
        int[] targets = Enumerable.Range(0, rows).Select(_ => random.Next(classes)).ToArray();
        targets[rows - 1] = -100; // a padding position: IgnoreIndex, loss 0, gradient 0, not counted
        var losses = new float[rows];
        var gradient = new float[rows * classes];
        Gpt2Training.LossAndGradient(logits, targets, losses, gradient);
        int counted = targets.Count(t => t != -100);
        double mean = losses.Sum(v => (double)v) / counted;
        Console.WriteLine($"mean loss over {counted} rows: {mean:F4} (ln {classes} = {Math.Log(classes):F4} for a uniform guess)");

        // Central finite differences of the mean loss in double, on a few entries: the target, the largest logit and
        // another class of some rows, and a class of the ignored row.
        bool ok = true;
        var row = new double[classes];
        var single = new double[1];
        foreach (int r in new[] { 0, 77, 200, rows - 1 })
        {
            int largest = TensorPrimitives.IndexOfMax(logits.AsSpan(r * classes, classes));
            foreach (int c in new[] { Math.Max(targets[r], 0), largest, (r * 7919) % classes })
            {
                for (int i = 0; i < classes; i++) row[i] = logits[r * classes + i];
                const double h = 1e-2;
                row[c] += h;
                double plus = RowLoss(row, targets[r], single);
                row[c] -= 2 * h;
                double minus = RowLoss(row, targets[r], single);
                double numeric = (plus - minus) / (2 * h) / counted;
                double kernel = gradient[r * classes + c];
                bool agrees = Math.Abs(kernel - numeric) <= 1e-9 + 1e-3 * Math.Abs(numeric);
                ok &= agrees;
                Console.WriteLine($"  row {r,3} class {c,5}: kernel {kernel,14:E6}  finite difference {numeric,14:E6}  {(agrees ? "agree" : "DISAGREE")}");
            }
        }

        // The straightforward loop of the .NET port of llm.c: softmax in three passes with MathF.Exp, the loss, then the
        // backward loop.
        var probs = new float[rows * classes];
        var naiveLosses = new float[rows];
        var naiveGradient = new float[rows * classes];
        void Straightforward()
        {
            float dloss = 1f / counted;
            for (int r = 0; r < rows; r++)
            {
                Span<float> x = logits.AsSpan(r * classes, classes), p = probs.AsSpan(r * classes, classes), d = naiveGradient.AsSpan(r * classes, classes);
                float max = float.NegativeInfinity;
                for (int i = 0; i < classes; i++) if (x[i] > max) max = x[i];
                float sum = 0;
                for (int i = 0; i < classes; i++)
                {
                    p[i] = MathF.Exp(x[i] - max);
                    sum += p[i];
                }
                for (int i = 0; i < classes; i++) p[i] /= sum;
                int t = targets[r];
                if (t == -100)
                {
                    naiveLosses[r] = 0;
                    d.Clear();
                    continue;
                }
                naiveLosses[r] = -MathF.Log(p[t]);
                for (int i = 0; i < classes; i++) d[i] = (p[i] - (i == t ? 1f : 0f)) * dloss;
            }
        }
        Straightforward();
        double naiveMean = naiveLosses.Sum(v => (double)v) / counted;
        Console.WriteLine($"the straightforward loop's mean loss: {naiveMean:F4}; largest gradient difference {MaxDifference(gradient, naiveGradient):E2}");
        double fused = Median(() => Gpt2Training.LossAndGradient(logits, targets, losses, gradient));
        double loop = Median(Straightforward);
        Console.WriteLine($"time: KernelGen {fused / 1000,9:F1} us   straightforward loop {loop / 1000,9:F1} us   ratio {loop / fused:F1}x");
        Console.WriteLine(ok ? "the gradient agrees with finite differences" : "the gradient DISAGREES with finite differences");
        Console.WriteLine();
        return ok;
    }

    private static double RowLoss(double[] row, int target, double[] loss)
    {
        if (target == -100) return 0; // an ignored row's loss is 0 whatever its logits
        Gpt2Training.Loss(row, [target], loss);
        return loss[0];
    }

    private static void Attention(Random random)
    {
        const int t = Gpt2Training.Tokens, n = Gpt2Training.Heads * t * t;
        Console.WriteLine($"## Causal attention's softmax backward: [{Gpt2Training.Heads}, {t}, {t}], Scale = 1/sqrt({Gpt2Training.HeadSize})");
        float[] scores = Normal(random, n, 8);
        var probs = new float[n];
        Gpt2Training.AttentionProbs(scores, probs);
        float[] probsGradient = Normal(random, n, 1);
        var scoresGradient = new float[n];
        Gpt2Training.AttentionBackward(probs, probsGradient, scoresGradient);
        int maskedNonZero = 0;
        double worstRowSum = 0;
        for (int r = 0; r < Gpt2Training.Heads * t; r++)
        {
            int query = r % t;
            ReadOnlySpan<float> d = scoresGradient.AsSpan(r * t, t);
            for (int key = query + 1; key < t; key++) if (d[key] != 0) maskedNonZero++;
            worstRowSum = Math.Max(worstRowSum, Math.Abs(d.ToArray().Sum(v => (double)v))); // a softmax's gradient sums to 0
        }
        Console.WriteLine($"masked keys whose gradient is not exactly 0: {maskedNonZero}; worst |row sum| {worstRowSum:E1} (0 in exact arithmetic)");

        // The same per row with TensorPrimitives: dx = 0.125 * y * (dy - sum(dy * y)).
        var scratch = new float[t];
        void PerRow()
        {
            for (int r = 0; r < Gpt2Training.Heads * t; r++)
            {
                int keys = r % t + 1;
                ReadOnlySpan<float> y = probs.AsSpan(r * t, keys), dy = probsGradient.AsSpan(r * t, keys);
                Span<float> dx = scoresGradient.AsSpan(r * t, t);
                float dot = TensorPrimitives.Dot(y, dy);
                TensorPrimitives.Subtract(dy, dot, scratch.AsSpan(0, keys));
                TensorPrimitives.Multiply(scratch.AsSpan(0, keys), y, dx[..keys]);
                TensorPrimitives.Multiply(dx[..keys], 0.125f, dx[..keys]);
                dx[keys..].Clear();
            }
        }
        double fused = Median(() => Gpt2Training.AttentionBackward(probs, probsGradient, scoresGradient));
        double separate = Median(PerRow);
        Console.WriteLine($"time: KernelGen {fused / 1000,9:F1} us   TensorPrimitives per row (Dot, Subtract, Multiply, Multiply) {separate / 1000,9:F1} us   ratio {separate / fused:F1}x");
        Console.WriteLine();
    }

    private static double MaxDifference(float[] a, float[] b)
    {
        double worst = 0;
        for (int i = 0; i < a.Length; i++) worst = Math.Max(worst, Math.Abs((double)a[i] - b[i]));
        return worst;
    }

    private static float[] Normal(Random random, int count, double stddev)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            values[i] = (float)(stddev * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return values;
    }

    private static double Median(Action action)
    {
        // Warm up for half a second, so that the optimised code (tiered compilation) is the code timed.
        var warmUp = Stopwatch.StartNew();
        while (warmUp.ElapsedMilliseconds < 500) action();
        var times = new double[21];
        for (int t = 0; t < times.Length; t++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            times[t] = Stopwatch.GetElapsedTime(start).TotalNanoseconds;
        }
        Array.Sort(times);
        return times[times.Length / 2];
    }
}
