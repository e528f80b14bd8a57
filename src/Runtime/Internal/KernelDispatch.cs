using System.Numerics;
using System.Runtime.Intrinsics;
using KernelGen.Shared;

namespace KernelGen.Internal;

/// <summary>Chooses the hardware path once (the JIT folds the checks) and then the kernel for the layout.</summary>
internal static class KernelDispatch
{
    public static void Run<T, TOp>(ref readonly T x, ref T y, in ShapeLayout layout)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TOp : IKernelOp
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Run<Simd512<T>, Vector512<T>, T, TOp>(in x, ref y, layout);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Run<Simd256<T>, Vector256<T>, T, TOp>(in x, ref y, layout);
        }
        else if (Vector128.IsHardwareAccelerated)
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
