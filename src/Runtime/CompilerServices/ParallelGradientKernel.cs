using System;
using System.ComponentModel;
using System.Threading.Tasks;

namespace KernelGen.CompilerServices;

/// <summary>
/// <see cref="ParallelKernel"/> for the gradient kernels, which read two spans (<c>y</c>, <c>dy</c>) and write a third
/// (<c>dx</c>): the leading dimension split across the machine's cores by the same rule
/// (<see cref="ParallelKernel.Workers"/>), each core running the same specialised code on a contiguous run of leading
/// slices of all three.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ParallelGradientKernel
{
    /// <summary>The kernel, run on one contiguous run of leading slices.</summary>
    public delegate void SliceKernel<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx);

    /// <summary>
    /// Runs <paramref name="kernel"/> over <paramref name="slices"/> slices of <paramref name="sliceElements"/> elements of
    /// each span, on as many cores as pay (inline when that is one).
    /// </summary>
    public static unsafe void Run<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, int slices, int sliceElements, SliceKernel<T> kernel)
        where T : unmanaged
    {
        int workers = ParallelKernel.Workers(slices, sliceElements);
        if (workers <= 1)
        {
            kernel(y, dy, dx);
            return;
        }
        fixed (T* yp = y)
        fixed (T* dyp = dy)
        fixed (T* dxp = dx)
        {
            var work = new Work<T>((nint)yp, (nint)dyp, (nint)dxp, slices, sliceElements, workers, kernel);
            Parallel.For(0, workers, work.Run);
        }
    }

    private sealed unsafe class Work<T>(nint y, nint dy, nint dx, int slices, int sliceElements, int workers, SliceKernel<T> kernel)
        where T : unmanaged
    {
        public void Run(int worker)
        {
            int first = (int)((long)slices * worker / workers), last = (int)((long)slices * (worker + 1) / workers);
            int start = first * sliceElements, length = (last - first) * sliceElements;
            kernel(new ReadOnlySpan<T>((T*)y + start, length), new ReadOnlySpan<T>((T*)dy + start, length), new Span<T>((T*)dx + start, length));
        }
    }
}
