using System;
using System.ComponentModel;
using System.Threading.Tasks;

namespace KernelGen.CompilerServices;

/// <summary>
/// Splits a kernel's work along the tensor's leading dimension across the machine's cores. Generated kernels
/// declared with <c>Parallel = true</c> call this; each core runs the same specialised code on a contiguous
/// run of leading slices.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ParallelKernel
{
    /// <summary>
    /// Below this many elements per core a split costs more than it saves (the task hand-off is a few
    /// microseconds; softmax runs at about one element per nanosecond here), so the work runs inline.
    /// </summary>
    public const int MinimumElementsPerCore = 32 * 1024;

    /// <summary>The kernel, run on one contiguous run of leading slices.</summary>
    public delegate void SliceKernel<T>(ReadOnlySpan<T> input, Span<T> output);

    /// <summary>
    /// Runs <paramref name="kernel"/> over <paramref name="slices"/> slices of <paramref name="sliceElements"/> elements,
    /// on as many cores as pay (inline when that is one).
    /// </summary>
    public static unsafe void Run<T>(ReadOnlySpan<T> input, Span<T> output, int slices, int sliceElements, SliceKernel<T> kernel)
        where T : unmanaged
    {
        int workers = Workers(slices, sliceElements);
        if (workers <= 1)
        {
            kernel(input, output);
            return;
        }
        fixed (T* x = input)
        fixed (T* y = output)
        {
            var work = new Work<T>((nint)x, (nint)y, slices, sliceElements, workers, kernel);
            Parallel.For(0, workers, work.Run);
        }
    }

    /// <summary>How many cores the split uses: at most one per slice and per <see cref="MinimumElementsPerCore"/> elements.</summary>
    public static int Workers(int slices, int sliceElements)
    {
        long elements = (long)slices * sliceElements;
        long byWork = elements / MinimumElementsPerCore;
        return (int)Math.Max(1, Math.Min(Math.Min(Environment.ProcessorCount, slices), byWork));
    }

    private sealed unsafe class Work<T>(nint input, nint output, int slices, int sliceElements, int workers, SliceKernel<T> kernel)
        where T : unmanaged
    {
        public void Run(int worker)
        {
            int first = (int)((long)slices * worker / workers), last = (int)((long)slices * (worker + 1) / workers);
            int start = first * sliceElements, length = (last - first) * sliceElements;
            kernel(new ReadOnlySpan<T>((T*)input + start, length), new Span<T>((T*)output + start, length));
        }
    }
}
