using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace KernelGen;

/// <summary>Lane selection for the kernels, generic and generated.</summary>
public static class Lanes
{
    /// <summary>
    /// Per lane, <paramref name="ifSet"/> where <paramref name="mask"/> is set (all bits) and <paramref name="ifClear"/>
    /// where it is clear. <c>Vector256.ConditionalSelect</c> is a bitwise select, three instructions on x64 when the mask
    /// is not a comparison's result (a constant tail mask, a transpose's lane mask); this is one <c>vblendvps</c>.
    /// The mask's lanes must be all set or all clear.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Select(Vector256<float> mask, Vector256<float> ifSet, Vector256<float> ifClear) =>
        Avx.IsSupported ? Avx.BlendVariable(ifClear, ifSet, mask) : Vector256.ConditionalSelect(mask, ifSet, ifClear);

    /// <inheritdoc cref="Select(Vector256{float}, Vector256{float}, Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Select(Vector256<double> mask, Vector256<double> ifSet, Vector256<double> ifClear) =>
        Avx.IsSupported ? Avx.BlendVariable(ifClear, ifSet, mask) : Vector256.ConditionalSelect(mask, ifSet, ifClear);

    /// <inheritdoc cref="Select(Vector256{float}, Vector256{float}, Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Select(Vector128<float> mask, Vector128<float> ifSet, Vector128<float> ifClear) =>
        Sse41.IsSupported ? Sse41.BlendVariable(ifClear, ifSet, mask) : Vector128.ConditionalSelect(mask, ifSet, ifClear);

    /// <inheritdoc cref="Select(Vector256{float}, Vector256{float}, Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Select(Vector128<double> mask, Vector128<double> ifSet, Vector128<double> ifClear) =>
        Sse41.IsSupported ? Sse41.BlendVariable(ifClear, ifSet, mask) : Vector128.ConditionalSelect(mask, ifSet, ifClear);
}
