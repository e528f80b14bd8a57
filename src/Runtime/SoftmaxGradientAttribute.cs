using System;

namespace KernelGen;

/// <summary>
/// Marks a <c>partial</c> method whose body KernelGen generates at compile time: the gradient of a softmax (the
/// backward pass), <c>dx = Scale * y * (dy - sum(dy * y))</c> along <see cref="Axis"/>, where <c>y</c> is the softmax's
/// output and <c>dy</c> the gradient flowing into it, specialised for the tensor shape given here.
/// </summary>
/// <remarks>
/// <para>
/// The method must be declared with an explicit accessibility, return <see langword="void"/> and take
/// <c>(ReadOnlySpan&lt;T&gt; y, ReadOnlySpan&lt;T&gt; dy, Span&lt;T&gt; dx)</c>, with <c>T</c> being <see cref="float"/> or
/// <see cref="double"/>; or the same with <c>ReadOnlyTensorSpan&lt;T&gt;</c> and <c>TensorSpan&lt;T&gt;</c> (dense,
/// row-major). <c>dx</c> may be the same memory as <c>y</c> or <c>dy</c>, never partly overlapping either. Declare it
/// with the forward kernel's shape and options: a leading -1, <see cref="Axis"/>, <see cref="Scale"/> and
/// <see cref="Causal"/> mean what they mean for <see cref="SoftmaxAttribute"/>.
/// </para>
/// <code>
/// [SoftmaxGradient(12, 128, 128, Scale = 0.125f, Causal = true)]
/// public static partial void AttentionBackward(ReadOnlySpan&lt;float&gt; probs, ReadOnlySpan&lt;float&gt; probsGradient, Span&lt;float&gt; scoresGradient);
/// </code>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class SoftmaxGradientAttribute : Attribute
{
    /// <summary>Declares the tensor's shape, row-major (C order); every dimension at least 1, the first possibly -1.</summary>
    /// <param name="shape">The dimensions, outermost first.</param>
    public SoftmaxGradientAttribute(params int[] shape) => Shape = shape;

    /// <summary>The tensor's dimensions, outermost first.</summary>
    public int[] Shape { get; }

    /// <summary>The axis the softmax ran along; negative counts from the end. Default -1 (the last axis).</summary>
    public int Axis { get; set; } = -1;

    /// <summary>
    /// The forward kernel's scale: it computed <c>softmax(Scale * x)</c>, so the gradient with respect to <c>x</c> is
    /// multiplied by <c>Scale</c>. Default 1; a negative or non-finite scale is a compile-time error.
    /// </summary>
    public float Scale { get; set; } = 1f;

    /// <summary>
    /// GPT-2's causal mask over the last two dimensions [..., Q, K] (the axis must be the last): query row i kept keys
    /// j &lt;= i + (K - Q); the gradient of every other key is exactly 0, and neither input is read there.
    /// </summary>
    public bool Causal { get; set; }

    /// <summary>
    /// Split the leading dimension across the machine's cores when the tensor is large enough for that to pay;
    /// smaller tensors, or a machine with one core, run inline.
    /// </summary>
    public bool Parallel { get; set; }
}
