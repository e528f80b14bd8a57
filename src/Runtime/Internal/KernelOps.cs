namespace KernelGen.Internal;

/// <summary>Selects what a kernel writes once it has a row's max and sum: softmax or log-softmax.</summary>
internal interface IKernelOp
{
    /// <summary>True for log-softmax, <c>(x - max) - log(sum)</c>; false for softmax, <c>exp(x - max) / sum</c>.</summary>
    static abstract bool IsLog { get; }
}

internal readonly struct SoftmaxOp : IKernelOp
{
    public static bool IsLog => false;
}

internal readonly struct LogSoftmaxOp : IKernelOp
{
    public static bool IsLog => true;
}
