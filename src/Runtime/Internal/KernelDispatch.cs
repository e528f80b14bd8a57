using System.Numerics;
using System.Runtime.Intrinsics;
using KernelGen.Shared;

namespace KernelGen.Internal;

/// <summary>Chooses the hardware path (the JIT folds the accelerated checks) and then the kernel for the layout.</summary>
internal static class KernelDispatch
{
    public static void Run<T, TOp>(ref readonly T x, ref T y, in ShapeLayout layout)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TOp : IKernelOp
    {
        // The widest accelerated vector that the rows (last axis) or the columns (another axis) fill at least once, so
        // that its row or column kernel serves them. Narrower than every vector: the gather kernel on the widest, when
        // there is a full vector of rows; otherwise scalar code. (Gathers of a few rows cost a fixed 170 ns or so on the
        // Intel Xeon of the plan sweep, where [1, 1] took 212 ns against 11 for a scalar loop.)
        // Double skips Vector128 where a wider vector is accelerated: the BCL's Vector128<double> exp ran 10 to 14x slower
        // than scalar code on AVX2 and AVX-512 hardware (the plan sweep: [2, 60, 3] axis 1 took 42 us here against 1.7 us
        // for TensorPrimitives per gathered column), so such columns are gathered on the wider vector instead.
        bool narrow = typeof(T) != typeof(double) || !Vector256.IsHardwareAccelerated;
        nint span = layout.Inner == 1 ? layout.AxisLength : (nint)layout.Inner;
        nint rows = (nint)(layout.Outer * layout.Inner);
        if (Vector512.IsHardwareAccelerated && span >= Vector512<T>.Count)
        {
            Run<Simd512<T>, Vector512<T>, T, TOp>(in x, ref y, layout);
        }
        else if (Vector256.IsHardwareAccelerated && span >= Vector256<T>.Count)
        {
            Run<Simd256<T>, Vector256<T>, T, TOp>(in x, ref y, layout);
        }
        else if (Vector128.IsHardwareAccelerated && narrow && span >= Vector128<T>.Count)
        {
            Run<Simd128<T>, Vector128<T>, T, TOp>(in x, ref y, layout);
        }
        else if (Vector512.IsHardwareAccelerated && rows >= Vector512<T>.Count)
        {
            Run<Simd512<T>, Vector512<T>, T, TOp>(in x, ref y, layout);
        }
        else if (Vector256.IsHardwareAccelerated && rows >= Vector256<T>.Count)
        {
            Run<Simd256<T>, Vector256<T>, T, TOp>(in x, ref y, layout);
        }
        else if (Vector128.IsHardwareAccelerated && narrow && rows >= Vector128<T>.Count)
        {
            Run<Simd128<T>, Vector128<T>, T, TOp>(in x, ref y, layout);
        }
        else
        {
            Run<SimdScalar<T>, T, T, TOp>(in x, ref y, layout);
        }
    }

    /// <summary>
    /// The kernel for the layout on one width, whatever the hardware: the tests run every width this way (a width the
    /// machine does not accelerate runs in software).
    /// </summary>
    internal static void Run<TS, TV, T, TOp>(ref readonly T x, ref T y, in ShapeLayout layout)
        where TS : ISimd<TV, T>
        where TV : struct
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TOp : IKernelOp
    {
        nint outer = (nint)layout.Outer, length = layout.AxisLength, inner = (nint)layout.Inner;
        if (inner == 1 && length >= TS.Count)
        {
            RowKernel<TS, TV, T>.Run<TOp>(in x, ref y, outer, length);
        }
        else if (inner >= TS.Count)
        {
            ColumnKernel<TS, TV, T>.Run<TOp>(in x, ref y, outer, length, inner);
        }
        else
        {
            GatherKernel<TS, TV, T>.Run<TOp>(in x, ref y, outer, length, inner);
        }
    }
}
