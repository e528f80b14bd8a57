using System;

namespace KernelGen;

/// <summary>
/// Marks a <c>partial</c> method whose body KernelGen generates at compile time: a numerically stable
/// log-softmax, computed as <c>(x - max) - log(sum(exp(x - max)))</c> along <see cref="Axis"/>,
/// specialised for the tensor shape given here. Declared like <see cref="SoftmaxAttribute"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class LogSoftmaxAttribute : Attribute
{
    /// <summary>Declares the tensor's shape, row-major (C order); every dimension at least 1.</summary>
    /// <param name="shape">The dimensions, outermost first.</param>
    public LogSoftmaxAttribute(params int[] shape) => Shape = shape;

    /// <summary>The tensor's dimensions, outermost first.</summary>
    public int[] Shape { get; }

    /// <summary>The axis the log-softmax runs along; negative counts from the end. Default -1 (the last axis).</summary>
    public int Axis { get; set; } = -1;

    /// <summary>
    /// The kernel computes the log-softmax of <c>Scale * x</c>, the multiply fused into its passes: 1/sqrt(head size) for
    /// attention, 1/temperature for sampling. Default 1; a negative or non-finite scale is a compile-time error.
    /// </summary>
    public float Scale { get; set; } = 1f;

    /// <summary>
    /// GPT-2's causal mask over the last two dimensions [..., Q, K] (the axis must be the last): query row i keeps keys
    /// j &lt;= i + (K - Q) and every other key gets exactly 0 (log-softmax: -inf). The kernel does no work on the masked part.
    /// </summary>
    public bool Causal { get; set; }

    /// <summary>What a row whose every element is -inf (or masked) gives; default <see cref="MaskedRowPolicy.NaN"/>.</summary>
    public MaskedRowPolicy MaskedRows { get; set; }

    /// <summary>
    /// Split the leading dimension across the machine's cores when the tensor is large enough for that to pay;
    /// smaller tensors, or a machine with one core, run inline.
    /// </summary>
    public bool Parallel { get; set; }
}
