// The two places GPT-2 uses softmax, on GPT-2 small's sizes: attention probabilities over 12 heads of 128 x 128
// (scaled by 1/sqrt(64) and causally masked), and next-token probabilities over the 50257-token vocabulary at a
// temperature, followed by sampling a token.
using System;
using System.Diagnostics;
using System.Linq;
using System.Numerics.Tensors;
using KernelGen;

namespace KernelGen.Samples.Gpt2;

public static partial class Gpt2
{
    public const int Heads = 12, Context = 128, HeadSize = 64, Vocabulary = 50257;

    /// <summary>softmax(mask(q·kᵀ / sqrt(64))) for 12 heads: the scale and the causal mask fused into the kernel.</summary>
    [Softmax(Heads, Context, Context, Scale = 0.125f, Causal = true)]
    public static partial void AttentionProbs(ReadOnlySpan<float> scores, Span<float> probs);

    /// <summary>softmax(logits / temperature) at temperature 0.8 (Scale = 1 / 0.8).</summary>
    [Softmax(Vocabulary, Scale = 1.25f)]
    public static partial void NextTokenProbs(ReadOnlySpan<float> logits, Span<float> probs);
}

public static class Program
{
    public static void Main()
    {
        Console.WriteLine("# KernelGen: GPT-2's softmaxes");
        Console.WriteLine();
        var random = new Random(2019);
        Attention(random);
        NextToken(random);
    }

    private static void Attention(Random random)
    {
        const int n = Gpt2.Heads * Gpt2.Context * Gpt2.Context;
        float[] scores = Normal(random, n, 8); // q·k for head size 64: about 8 times a unit normal
        var probs = new float[n];
        Gpt2.AttentionProbs(scores, probs);

        Console.WriteLine($"## Attention probabilities: [{Gpt2.Heads}, {Gpt2.Context}, {Gpt2.Context}], Scale = 1/sqrt({Gpt2.HeadSize}), Causal");
        double worstSum = 0;
        int maskedNonZero = 0;
        for (int row = 0; row < Gpt2.Heads * Gpt2.Context; row++)
        {
            int query = row % Gpt2.Context;
            ReadOnlySpan<float> p = probs.AsSpan(row * Gpt2.Context, Gpt2.Context);
            worstSum = Math.Max(worstSum, Math.Abs(p.ToArray().Sum(v => (double)v) - 1));
            for (int key = query + 1; key < Gpt2.Context; key++) if (p[key] != 0) maskedNonZero++;
        }
        Console.WriteLine($"query 0 attends to key 0 only: p = {probs[0]}; query 1: [{probs[Gpt2.Context]:F4}, {probs[Gpt2.Context + 1]:F4}, {probs[Gpt2.Context + 2]}]");
        Console.WriteLine($"worst |row sum - 1| = {worstSum:E1}; masked keys that are not exactly 0: {maskedNonZero}");

        // The same work with TensorPrimitives: scale, mask and softmax, one pass each, row by row.
        var scratch = new float[Gpt2.Context];
        void Separate()
        {
            for (int row = 0; row < Gpt2.Heads * Gpt2.Context; row++)
            {
                int query = row % Gpt2.Context;
                TensorPrimitives.Multiply(scores.AsSpan(row * Gpt2.Context, Gpt2.Context), 0.125f, scratch);
                scratch.AsSpan(query + 1).Fill(float.NegativeInfinity);
                TensorPrimitives.SoftMax(scratch, probs.AsSpan(row * Gpt2.Context, Gpt2.Context));
            }
        }
        double fused = Median(() => Gpt2.AttentionProbs(scores, probs));
        double separate = Median(Separate);
        Console.WriteLine($"time: KernelGen {fused / 1000,8:F1} us   TensorPrimitives (multiply, mask, SoftMax per row) {separate / 1000,8:F1} us   ratio {separate / fused:F1}x");
        Console.WriteLine();
    }

    private static void NextToken(Random random)
    {
        Console.WriteLine($"## Next-token probabilities: [{Gpt2.Vocabulary}], temperature 0.8 (Scale = 1.25)");
        // GPT-2's logits sit far below zero (around -100): exp of them underflows to 0 unless the max is subtracted.
        float[] logits = Normal(random, Gpt2.Vocabulary, 3);
        for (int i = 0; i < logits.Length; i++) logits[i] -= 100;
        logits[464] = -85; // a token the model likes
        var probs = new float[logits.Length];
        Gpt2.NextTokenProbs(logits, probs);
        int best = TensorPrimitives.IndexOfMax(probs);
        Console.WriteLine($"most likely token {best} with p = {probs[best]:F4}; probabilities sum to {probs.Sum(v => (double)v):F7}");
        int sampled = Sample(probs, random.NextDouble());
        Console.WriteLine($"sampled token: {sampled} (p = {probs[sampled]:E3})");

        var scaled = new float[logits.Length];
        var naive = new float[logits.Length];
        TensorPrimitives.Multiply(logits, 1.25f, scaled);
        TensorPrimitives.SoftMax(scaled, naive);
        Console.WriteLine($"TensorPrimitives.SoftMax on the same logits: p[{best}] = {naive[best]}, NaN count = {naive.Count(float.IsNaN)} of {naive.Length}");

        double fused = Median(() => Gpt2.NextTokenProbs(logits, probs));
        double separate = Median(() =>
        {
            TensorPrimitives.Multiply(logits, 1.25f, scaled);
            TensorPrimitives.SoftMax(scaled, naive);
        });
        Console.WriteLine($"time: KernelGen {fused / 1000,8:F1} us   TensorPrimitives (multiply, SoftMax) {separate / 1000,8:F1} us   ratio {separate / fused:F1}x");
        Console.WriteLine($"({Environment.ProcessorCount} cores, Vector512 accelerated: {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}, Vector256: {System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated}; Stopwatch, median of 21 runs; benchmarks/ measures properly)");
    }

    // Inverse transform sampling: the first token whose cumulative probability passes u.
    private static int Sample(ReadOnlySpan<float> probs, double u)
    {
        double cumulative = 0;
        for (int i = 0; i < probs.Length; i++)
        {
            cumulative += probs[i];
            if (cumulative > u) return i;
        }
        return probs.Length - 1;
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
        // Warm up for half a second: the JIT replaces its first, quick code with the optimised code only after a method
        // has been called for a while (tiered compilation), and that is the code worth timing.
        var warmUp = Stopwatch.StartNew();
        while (warmUp.ElapsedMilliseconds < 500) action();
        var times = new double[21];
        for (int t = 0; t < times.Length; t++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < 10; i++) action();
            times[t] = Stopwatch.GetElapsedTime(start).TotalNanoseconds / 10;
        }
        Array.Sort(times);
        return times[times.Length / 2];
    }
}
