using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace KernelGen.Internal;

/// <summary>
/// Softmax where a vector of contiguous elements holds more than one row: short last-axis rows
/// (length below the vector width) and non-last axes whose inner dimension is below the vector width.
/// Each lane takes one row, i.e. one (outer, inner) pair; a block of rows is read with gathers that walk
/// down the axis with stride <c>inner</c> and written back lane by lane. No scalar fallback, no transpose.
/// </summary>
internal static class GatherKernel<TS, TV, T>
    where TS : ISimd<TV, T>
    where TV : struct
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static unsafe void Run<TOp>(ref readonly T x, ref T y, nint outer, nint length, nint inner)
        where TOp : IKernelOp
    {
        int c = TS.Count;
        nint rows = outer * inner;
        Span<int> offsets = stackalloc int[c];
        // Hardware gathers need fixed addresses: pin both tensors for the whole kernel.
        fixed (T* pinnedInput = &Unsafe.AsRef(in x))
        fixed (T* pinnedOutput = &y)
        {
            for (nint first = 0; first < rows; first += c)
            {
                int lanes = (int)nint.Min(c, rows - first);
                for (int j = 0; j < c; j++)
                {
                    // Missing lanes of the last block repeat its last row; they are never written.
                    nint row = first + int.Min(j, lanes - 1);
                    offsets[j] = (int)((row / inner) * length * inner + row % inner);
                }
                Block<TOp>(in x, ref y, length, inner, offsets, lanes);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block<TOp>(ref readonly T x, ref T y, nint length, nint stride, ReadOnlySpan<int> offsets, int lanes)
        where TOp : IKernelOp
    {
        TV m = TS.Create(T.NegativeInfinity);
        for (nint l = 0, at = 0; l < length; l++, at += stride)
        {
            m = TS.MaxNative(m, TS.Gather(in x, offsets, at));
        }
        TV s = TS.Create(T.Zero), lost = s, k = s;
        for (nint l = 0, at = 0; l < length; l++, at += stride)
        {
            TV e = LaneSums<TS, TV, T>.Add<TOp>(TS.Gather(in x, offsets, at), m, ref s, ref lost, ref k);
            if (!TOp.IsLog)
            {
                TS.Scatter(e, ref y, offsets, at, lanes);
            }
        }
        TV f = LaneSums<TS, TV, T>.Finish<TOp>(s, lost, k), floor = TS.NormalFloor(f);
        for (nint l = 0, at = 0; l < length; l++, at += stride)
        {
            TV v = TOp.IsLog
                ? TS.Subtract(TS.Subtract(TS.Gather(in x, offsets, at), m), f)
                : TS.ScaleAboveFloor(TS.Gather(in y, offsets, at), f, floor);
            TS.Scatter(v, ref y, offsets, at, lanes);
        }
    }
}
