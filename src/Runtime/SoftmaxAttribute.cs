using System;

namespace KernelGen;

/// <summary>
/// Marks a <c>partial</c> method whose body KernelGen generates at compile time: a numerically stable
/// softmax, <c>exp(x - max) / sum(exp(x - max))</c> along <see cref="Axis"/>, specialised for the tensor
/// shape given here.
/// </summary>
/// <remarks>
/// <para>
/// A leading dimension of -1 means "as many as the span holds" (like NumPy's reshape), so one kernel serves every
/// batch size: <c>[Softmax(-1, 12, 128, 128)]</c>.
/// </para>
/// <para>
/// The method must be declared with an explicit accessibility, return <see langword="void"/> and take
/// <c>(ReadOnlySpan&lt;T&gt; input, Span&lt;T&gt; output)</c> or <c>(Span&lt;T&gt; data)</c> (in place), with
/// <c>T</c> being <see cref="float"/> or <see cref="double"/>; or the same with <c>ReadOnlyTensorSpan&lt;T&gt;</c> and
/// <c>TensorSpan&lt;T&gt;</c> (dense, row-major). The shape is row-major (C order).
/// </para>
/// <code>
/// [Softmax(12, 128, 128)]
/// public static partial void AttentionProbs(ReadOnlySpan&lt;float&gt; scores, Span&lt;float&gt; probs);
/// </code>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class SoftmaxAttribute : Attribute
{
    /// <summary>Declares the tensor's shape, row-major (C order); every dimension at least 1.</summary>
    /// <param name="shape">The dimensions, outermost first.</param>
    public SoftmaxAttribute(params int[] shape) => Shape = shape;

    /// <summary>The tensor's dimensions, outermost first.</summary>
    public int[] Shape { get; }

    /// <summary>The axis the softmax runs along; negative counts from the end. Default -1 (the last axis).</summary>
    public int Axis { get; set; } = -1;

    /// <summary>
    /// The kernel computes the softmax of <c>Scale * x</c>, the multiply fused into its passes: 1/sqrt(head size) for
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
