using System;

namespace KernelGen;

/// <summary>
/// Marks a <c>partial</c> method whose body KernelGen generates at compile time: a numerically stable
/// softmax, <c>exp(x - max) / sum(exp(x - max))</c> along <see cref="Axis"/>, specialised for the tensor
/// shape given here.
/// </summary>
/// <remarks>
/// The method must be declared with an explicit accessibility, return <see langword="void"/> and take
/// <c>(ReadOnlySpan&lt;T&gt; input, Span&lt;T&gt; output)</c> or <c>(Span&lt;T&gt; data)</c> (in place), with
/// <c>T</c> being <see cref="float"/> or <see cref="double"/>. The shape is row-major (C order).
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
}
