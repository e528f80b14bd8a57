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
}
