using System;
using BenchmarkDotNet.Attributes;

namespace KernelGen.Benchmarks.Suites;

/// <summary>
/// Issue #7's options: a kernel with Scale and Causal fused into its passes against the same work done in separate
/// TensorPrimitives passes (multiply, mask, SoftMax per row); the causal kernel against the unmasked one; and
/// Parallel against one core. ONNX Runtime's standard Softmax operator has no fused scale or mask, so it is not here.
/// </summary>
[MemoryDiagnoser]
public partial class OptionBenchmarks
{
    [Softmax(12, 128, 128, Scale = 0.125f, Causal = true)]
    private static partial void AttentionFused(ReadOnlySpan<float> scores, Span<float> probs);

    [Softmax(50257, Scale = 1.25f)]
    private static partial void TemperatureFused(ReadOnlySpan<float> logits, Span<float> probs);

    [Softmax(12, 1024, 1024, Scale = 0.125f)]
    private static partial void LongAttention(ReadOnlySpan<float> scores, Span<float> probs);

    [Softmax(12, 1024, 1024, Scale = 0.125f, Causal = true)]
    private static partial void LongAttentionCausal(ReadOnlySpan<float> scores, Span<float> probs);

    [Softmax(12, 1024, 1024, Scale = 0.125f, Parallel = true)]
    private static partial void LongAttentionParallel(ReadOnlySpan<float> scores, Span<float> probs);

    [Softmax(-1, 12, 128, 128, Scale = 0.125f)]
    private static partial void Batch(ReadOnlySpan<float> scores, Span<float> probs);

    [Softmax(-1, 12, 128, 128, Scale = 0.125f, Parallel = true)]
    private static partial void BatchParallel(ReadOnlySpan<float> scores, Span<float> probs);

    private float[] _attention = null!, _attentionOut = null!, _logits = null!, _logitsOut = null!, _scratch = null!;
    private float[] _long = null!, _longOut = null!, _batch = null!, _batchOut = null!;

    [GlobalSetup]
    public void Setup()
    {
        _attention = BenchmarkData.PinnedNormal(12 * 128 * 128, stddev: 8);
        _attentionOut = BenchmarkData.PinnedZeros(_attention.Length);
        _logits = BenchmarkData.PinnedNormal(50257, stddev: 20);
        _logitsOut = BenchmarkData.PinnedZeros(_logits.Length);
        _scratch = BenchmarkData.PinnedZeros(50257);
        _long = BenchmarkData.PinnedNormal(12 * 1024 * 1024, stddev: 8);
        _longOut = BenchmarkData.PinnedZeros(_long.Length);
        _batch = BenchmarkData.PinnedNormal(8 * 12 * 128 * 128, stddev: 8);
        _batchOut = BenchmarkData.PinnedZeros(_batch.Length);
    }

    /// <summary>softmax(mask(scores / 8)) over [12, 128, 128]: Scale and Causal fused into the generated kernel.</summary>
    [Benchmark]
    public void Attention_KernelGen_fused() => AttentionFused(_attention, _attentionOut);

    /// <summary>The same with TensorPrimitives, row by row: Multiply, fill the masked keys with -inf, SoftMax.</summary>
    [Benchmark]
    public void Attention_TensorPrimitives_separate()
    {
        Span<float> row = _scratch.AsSpan(0, 128);
        for (int r = 0; r < 12 * 128; r++)
        {
            int query = r % 128;
            System.Numerics.Tensors.TensorPrimitives.Multiply(_attention.AsSpan(r * 128, 128), 0.125f, row);
            row[(query + 1)..].Fill(float.NegativeInfinity);
            System.Numerics.Tensors.TensorPrimitives.SoftMax(row, _attentionOut.AsSpan(r * 128, 128));
        }
    }

    /// <summary>softmax(logits / 0.8) over the GPT-2 vocabulary: Scale fused.</summary>
    [Benchmark]
    public void Temperature_KernelGen_fused() => TemperatureFused(_logits, _logitsOut);

    /// <summary>The same with TensorPrimitives: Multiply, then SoftMax.</summary>
    [Benchmark]
    public void Temperature_TensorPrimitives_separate()
    {
        System.Numerics.Tensors.TensorPrimitives.Multiply(_logits, 1.25f, _scratch);
        System.Numerics.Tensors.TensorPrimitives.SoftMax(_scratch, _logitsOut);
    }

    /// <summary>[12, 1024, 1024], scaled, unmasked.</summary>
    [Benchmark]
    public void Long_unmasked() => LongAttention(_long, _longOut);

    /// <summary>[12, 1024, 1024], scaled, causal: about half the work.</summary>
    [Benchmark]
    public void Long_causal() => LongAttentionCausal(_long, _longOut);

    /// <summary>[12, 1024, 1024], scaled, split across the machine's cores.</summary>
    [Benchmark]
    public void Long_parallel() => LongAttentionParallel(_long, _longOut);

    /// <summary>[-1, 12, 128, 128] with a batch of 8, one core.</summary>
    [Benchmark]
    public void Batch8_one_core() => Batch(_batch, _batchOut);

    /// <summary>[-1, 12, 128, 128] with a batch of 8, split across the machine's cores.</summary>
    [Benchmark]
    public void Batch8_parallel() => BatchParallel(_batch, _batchOut);
}
