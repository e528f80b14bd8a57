using System;

namespace KernelGen;

/// <summary>
/// Marks a <c>partial</c> method whose body KernelGen generates at compile time: the softmax cross-entropy loss of each
/// row of logits against its target class, <c>log(sum(exp(x - max))) - (x[target] - max)</c>, computed stably, and
/// optionally in the same passes the gradient of the mean loss, <c>(softmax(x) - onehot(target)) / countedRows</c>.
/// The shape is <c>(rows, classes)</c>, the loss over the last axis; <c>rows</c> may be -1 (as many as the span holds).
/// </summary>
/// <remarks>
/// <para>
/// The method must be declared with an explicit accessibility, return <see langword="void"/> and take
/// <c>(ReadOnlySpan&lt;T&gt; logits, ReadOnlySpan&lt;int&gt; targets, Span&lt;T&gt; losses)</c> for the losses alone, or
/// <c>(ReadOnlySpan&lt;T&gt; logits, ReadOnlySpan&lt;int&gt; targets, Span&lt;T&gt; losses, Span&lt;T&gt; logitsGradient)</c>
/// for the losses and the gradient, with <c>T</c> being <see cref="float"/> or <see cref="double"/>. The gradient may
/// be the same memory as the logits; the losses overlap neither.
/// </para>
/// <para>
/// A target equal to <see cref="IgnoreIndex"/> gives its row loss 0 and gradient 0 and does not count; any other
/// target outside <c>[0, classes)</c> throws <see cref="ArgumentOutOfRangeException"/> naming the row and the value,
/// before anything is written.
/// </para>
/// <code>
/// [SoftmaxCrossEntropy(-1, 50257)]
/// public static partial void LossAndGradient(ReadOnlySpan&lt;float&gt; logits, ReadOnlySpan&lt;int&gt; targets, Span&lt;float&gt; losses, Span&lt;float&gt; logitsGradient);
/// </code>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class SoftmaxCrossEntropyAttribute : Attribute
{
    /// <summary>Declares the logits' shape: <c>(rows, classes)</c>, each at least 1; <c>rows</c> may be -1.</summary>
    /// <param name="shape">The rows and the classes.</param>
    public SoftmaxCrossEntropyAttribute(params int[] shape) => Shape = shape;

    /// <summary>The logits' dimensions: rows, then classes.</summary>
    public int[] Shape { get; }

    /// <summary>
    /// The target that marks a row to leave out: its loss and gradient are 0 and it is not counted in the mean.
    /// Default -100, as PyTorch's <c>ignore_index</c>.
    /// </summary>
    public int IgnoreIndex { get; set; } = -100;

    /// <summary>
    /// The loss is taken of <c>softmax(Scale * x)</c>: 1/temperature. The gradient is with respect to <c>x</c> (so it is
    /// multiplied by <c>Scale</c>). Default 1; a negative or non-finite scale is a compile-time error.
    /// </summary>
    public float Scale { get; set; } = 1f;

    /// <summary>
    /// The gradient of a row whose every logit is -inf: NaN (the default, what the softmax's 0 / 0 gives) or 0
    /// (<see cref="MaskedRowPolicy.Zero"/>). Its loss is +inf either way. Only for a kernel that writes the gradient.
    /// </summary>
    public MaskedRowPolicy MaskedRows { get; set; }

    /// <summary>
    /// Split the rows across the machine's cores when there are enough logits for that to pay; fewer, or a machine with
    /// one core, run inline. The targets are all checked first, on the calling thread.
    /// </summary>
    public bool Parallel { get; set; }
}
