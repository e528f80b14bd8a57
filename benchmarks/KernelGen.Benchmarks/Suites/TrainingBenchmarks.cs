using System;
using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using KernelGen.CompilerServices;

namespace KernelGen.Benchmarks.Suites;

/// <summary>
/// Issue #14's training kernels. (a) The softmax cross-entropy of GPT-2's logits with its gradient, [256, 50257] floats:
/// KernelGen's fused kernel; the time-equivalent composition of KernelGen's own forward kernels (log-softmax, pick the
/// target, softmax, subtract the one-hot, scale); and a straightforward C# loop of the kind the .NET port of llm.c uses
/// (SoftmaxForward with MathF.Exp in three passes, CrossEntropyForward, CrossEntropySoftmaxBackward). (b) The softmax's
/// gradient over attention scores [12, 128, 128], causal (each query row q has q + 1 keys; the masked keys' gradient is
/// 0), through <see cref="TrainingRows.SoftmaxGradient(ref float, ref float, ref float, nuint, float)"/> per row (what
/// the generated kernel does) and through TensorPrimitives per row (Multiply, Sum, Subtract, Multiply, and the scale's
/// Multiply); and the same on full rows.
/// Run with <c>--filter *TrainingBenchmarks*</c>. The setup checks that the three cross-entropy methods agree.
/// </summary>
[MemoryDiagnoser]
public partial class TrainingBenchmarks
{
    [SoftmaxCrossEntropy(Rows, Vocabulary)]
    private static partial void GeneratedLossAndGradient(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> losses, Span<float> logitsGradient);

    [SoftmaxGradient(Heads, Queries, Queries, Scale = AttentionScale, Causal = true)]
    private static partial void GeneratedCausalGradient(ReadOnlySpan<float> probs, ReadOnlySpan<float> probsGradient, Span<float> scoresGradient);

    [SoftmaxGradient(Heads, Queries, Queries, Scale = AttentionScale)]
    private static partial void GeneratedFullGradient(ReadOnlySpan<float> probs, ReadOnlySpan<float> probsGradient, Span<float> scoresGradient);

    public const int Rows = 256, Vocabulary = 50257, Heads = 12, Queries = 128;
    private const float AttentionScale = 0.125f;

    private float[] _logits = null!, _gradient = null!, _losses = null!, _scratch = null!;
    private int[] _targets = null!;
    private float[] _probs = null!, _probsGradient = null!, _scoresGradient = null!, _rowScratch = null!;

    [GlobalSetup]
    public void Setup()
    {
        _logits = BenchmarkData.PinnedNormal(Rows * Vocabulary, stddev: 3);
        _gradient = BenchmarkData.PinnedZeros(_logits.Length);
        _scratch = BenchmarkData.PinnedZeros(_logits.Length);
        _losses = new float[Rows];
        var random = new Random(BenchmarkData.Seed);
        _targets = new int[Rows];
        for (int r = 0; r < Rows; r++) _targets[r] = random.Next(Vocabulary);

        // Attention probabilities: the causal softmax of normal(0, 8) scores / 8, and a normal(0, 1) gradient.
        int count = Heads * Queries * Queries;
        float[] scores = BenchmarkData.PinnedNormal(count, stddev: 8);
        _probs = BenchmarkData.PinnedZeros(count);
        for (int r = 0; r < Heads * Queries; r++)
        {
            int keys = r % Queries + 1;
            Span<float> row = scores.AsSpan(r * Queries, Queries);
            TensorPrimitives.Multiply(row, AttentionScale, row);
            Kernels.Softmax(row[..keys], _probs.AsSpan(r * Queries, keys), [keys]);
        }
        _probsGradient = BenchmarkData.PinnedNormal(count, stddev: 1, seed: BenchmarkData.Seed + 1);
        _scoresGradient = BenchmarkData.PinnedZeros(count);
        _rowScratch = new float[Queries];

        Check();
    }

    /// <summary>The cross-entropy methods give the same mean loss (within 1e-5 relative) and gradients (within 1e-6); the generated kernel the fused one's exactly.</summary>
    private void Check()
    {
        CrossEntropy_KernelGen_fused();
        float fused = Mean(_losses);
        float[] fusedGradient = (float[])_gradient.Clone();
        CrossEntropy_KernelGen_composed();
        float composed = Mean(_losses);
        float composedError = MaxDifference(fusedGradient, _gradient);
        Array.Clear(_gradient);
        CrossEntropy_llmc_loop();
        float loop = Mean(_losses);
        float loopError = MaxDifference(fusedGradient, _gradient);
        Array.Clear(_gradient);
        CrossEntropy_generated();
        float generated = Mean(_losses);
        float generatedError = MaxDifference(fusedGradient, _gradient);
        Array.Clear(_gradient);
        Console.WriteLine($"// TrainingBenchmarks check: mean loss fused {fused:R}, generated {generated:R}, composed {composed:R}, llm.c loop {loop:R}; largest gradient difference from the fused kernel: generated {generatedError:E2}, composed {composedError:E2}, loop {loopError:E2}");
        if (Math.Abs(composed - fused) > 1e-5 * Math.Abs(fused) || Math.Abs(loop - fused) > 1e-5 * Math.Abs(fused) || composedError > 1e-6f || loopError > 1e-6f
            || generated != fused || generatedError != 0)
        {
            throw new InvalidOperationException("The cross-entropy methods disagree: not benchmarking.");
        }
    }

    private static float Mean(float[] values)
    {
        double sum = 0;
        foreach (float v in values) sum += v;
        return (float)(sum / values.Length);
    }

    private static float MaxDifference(float[] a, float[] b)
    {
        float max = 0;
        for (int i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }

    /// <summary>KernelGen's fused loss and gradient of the mean loss: three passes over the logits, one write.</summary>
    /// <summary>The generated [SoftmaxCrossEntropy(256, 50257)] loss-and-gradient kernel.</summary>
    [Benchmark]
    public void CrossEntropy_generated() => GeneratedLossAndGradient(_logits, _targets, _losses, _gradient);

    /// <summary>The generated causal [SoftmaxGradient(12, 128, 128, Scale = 0.125f, Causal = true)] kernel.</summary>
    [Benchmark]
    public void AttentionGradient_causal_generated() => GeneratedCausalGradient(_probs, _probsGradient, _scoresGradient);

    /// <summary>The generated [SoftmaxGradient(12, 128, 128, Scale = 0.125f)] kernel, full rows.</summary>
    [Benchmark]
    public void AttentionGradient_full_generated() => GeneratedFullGradient(_probs, _probsGradient, _scoresGradient);

    [Benchmark]
    public void CrossEntropy_KernelGen_fused() => Kernels.SoftmaxCrossEntropy(_logits, Vocabulary, _targets, _losses, _gradient);

    /// <summary>
    /// The same from KernelGen's forward kernels: log-softmax (for the loss, -logProbs[target]), softmax (for the
    /// gradient), subtract the one-hot, multiply by 1 / rows.
    /// </summary>
    [Benchmark]
    public void CrossEntropy_KernelGen_composed()
    {
        Kernels.LogSoftmax(_logits, _scratch, [Rows, Vocabulary]);
        for (int r = 0; r < Rows; r++) _losses[r] = -_scratch[r * Vocabulary + _targets[r]];
        Kernels.Softmax(_logits, _gradient, [Rows, Vocabulary]);
        for (int r = 0; r < Rows; r++) _gradient[r * Vocabulary + _targets[r]] -= 1;
        TensorPrimitives.Multiply(_gradient, 1f / Rows, _gradient);
    }

    /// <summary>
    /// A straightforward loop as in the .NET port of llm.c: SoftmaxForward (max, exp with MathF.Exp and sum, normalise),
    /// CrossEntropyForward (-log of the target's probability), CrossEntropySoftmaxBackward (dlogits += (p - indicator) * dloss).
    /// </summary>
    [Benchmark]
    public void CrossEntropy_llmc_loop()
    {
        float[] probs = _scratch, logits = _logits, dlogits = _gradient;
        // SoftmaxForward
        for (int r = 0; r < Rows; r++)
        {
            int offset = r * Vocabulary;
            float max = float.NegativeInfinity;
            for (int i = 0; i < Vocabulary; i++)
            {
                if (logits[offset + i] > max) max = logits[offset + i];
            }
            float sum = 0;
            for (int i = 0; i < Vocabulary; i++)
            {
                probs[offset + i] = MathF.Exp(logits[offset + i] - max);
                sum += probs[offset + i];
            }
            for (int i = 0; i < Vocabulary; i++)
            {
                probs[offset + i] /= sum;
            }
        }
        // CrossEntropyForward
        for (int r = 0; r < Rows; r++)
        {
            _losses[r] = -MathF.Log(probs[r * Vocabulary + _targets[r]]);
        }
        // CrossEntropySoftmaxBackward: the mean loss's gradient, dloss = 1 / rows (dlogits starts at zero in llm.c; here
        // it is overwritten, as the fused kernel overwrites it).
        float dloss = 1f / Rows;
        for (int r = 0; r < Rows; r++)
        {
            int offset = r * Vocabulary, target = _targets[r];
            for (int i = 0; i < Vocabulary; i++)
            {
                float indicator = i == target ? 1f : 0f;
                dlogits[offset + i] = (probs[offset + i] - indicator) * dloss;
            }
        }
    }

    /// <summary>The causal attention gradient, [12, 128, 128], one TrainingRows call per query row of q + 1 keys.</summary>
    [Benchmark]
    public void AttentionGradient_causal_TrainingRows()
    {
        for (int r = 0; r < Heads * Queries; r++)
        {
            int keys = r % Queries + 1, at = r * Queries;
            TrainingRows.SoftmaxGradient(ref _probs[at], ref _probsGradient[at], ref _scoresGradient[at], (nuint)keys, AttentionScale);
            if (keys < Queries) TrainingRows.Zero(ref _scoresGradient[at + keys], (nuint)(Queries - keys));
        }
    }

    /// <summary>The same with TensorPrimitives per row: Multiply, Sum, Subtract, Multiply, and Multiply by the scale.</summary>
    [Benchmark]
    public void AttentionGradient_causal_TensorPrimitives()
    {
        for (int r = 0; r < Heads * Queries; r++)
        {
            int keys = r % Queries + 1, at = r * Queries;
            TensorPrimitivesRow(keys, at);
            _scoresGradient.AsSpan(at + keys, Queries - keys).Clear();
        }
    }

    /// <summary>Full rows of 128 (not causal), one TrainingRows call per row.</summary>
    [Benchmark]
    public void AttentionGradient_full_TrainingRows()
    {
        for (int r = 0; r < Heads * Queries; r++)
        {
            int at = r * Queries;
            TrainingRows.SoftmaxGradient(ref _probs[at], ref _probsGradient[at], ref _scoresGradient[at], Queries, AttentionScale);
        }
    }

    /// <summary>Full rows through the run-time-shape kernel, one call for [12, 128, 128].</summary>
    [Benchmark]
    public void AttentionGradient_full_Kernels() =>
        Kernels.SoftmaxGradient(_probs, _probsGradient, _scoresGradient, [Heads, Queries, Queries], -1, AttentionScale);

    /// <summary>Full rows of 128 with TensorPrimitives per row.</summary>
    [Benchmark]
    public void AttentionGradient_full_TensorPrimitives()
    {
        for (int r = 0; r < Heads * Queries; r++) TensorPrimitivesRow(Queries, r * Queries);
    }

    private void TensorPrimitivesRow(int keys, int at)
    {
        ReadOnlySpan<float> y = _probs.AsSpan(at, keys), dy = _probsGradient.AsSpan(at, keys);
        Span<float> dx = _scoresGradient.AsSpan(at, keys), t = _rowScratch.AsSpan(0, keys);
        TensorPrimitives.Multiply(dy, y, t);
        float s = TensorPrimitives.Sum(t);
        TensorPrimitives.Subtract(dy, s, t);
        TensorPrimitives.Multiply(t, y, dx);
        TensorPrimitives.Multiply(dx, AttentionScale, dx);
    }
}
