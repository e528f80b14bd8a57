using System;
using System.ComponentModel;
using System.Threading.Tasks;

namespace KernelGen.CompilerServices;

/// <summary>
/// <see cref="ParallelKernel"/> for the cross-entropy kernels, which read the logits and the targets and write the losses
/// (and the gradient): the rows split across the machine's cores by the same rule (<see cref="ParallelKernel.Workers"/>),
/// each core running the same specialised code on a contiguous run of rows. The targets are checked, and the counted
/// rows counted, before the split: every core gets the same gradient factor.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ParallelCrossEntropyKernel
{
    /// <summary>The kernel, run on one contiguous run of rows (<paramref name="gradient"/> is empty for the losses alone).</summary>
    public delegate void SliceKernel<T>(ReadOnlySpan<T> logits, ReadOnlySpan<int> targets, Span<T> losses, Span<T> gradient, T gradientFactor);

    /// <summary>
    /// Runs <paramref name="kernel"/> over <paramref name="rows"/> rows of <paramref name="classes"/> logits, on as many
    /// cores as pay (inline when that is one). <paramref name="gradient"/> is empty when the kernel writes no gradient.
    /// </summary>
    public static unsafe void Run<T>(ReadOnlySpan<T> logits, ReadOnlySpan<int> targets, Span<T> losses, Span<T> gradient, int rows, int classes, T gradientFactor, SliceKernel<T> kernel)
        where T : unmanaged
    {
        int workers = ParallelKernel.Workers(rows, classes);
        if (workers <= 1)
        {
            kernel(logits, targets, losses, gradient, gradientFactor);
            return;
        }
        fixed (T* x = logits)
        fixed (int* t = targets)
        fixed (T* l = losses)
        fixed (T* g = gradient)
        {
            var work = new Work<T>((nint)x, (nint)t, (nint)l, gradient.IsEmpty ? 0 : (nint)g, rows, classes, workers, gradientFactor, kernel);
            Parallel.For(0, workers, work.Run);
        }
    }

    private sealed unsafe class Work<T>(nint logits, nint targets, nint losses, nint gradient, int rows, int classes, int workers, T gradientFactor, SliceKernel<T> kernel)
        where T : unmanaged
    {
        public void Run(int worker)
        {
            int first = (int)((long)rows * worker / workers), last = (int)((long)rows * (worker + 1) / workers);
            int count = last - first, start = first * classes, length = count * classes;
            kernel(
                new ReadOnlySpan<T>((T*)logits + start, length),
                new ReadOnlySpan<int>((int*)targets + first, count),
                new Span<T>((T*)losses + first, count),
                gradient == 0 ? default : new Span<T>((T*)gradient + start, length),
                gradientFactor);
        }
    }
}
