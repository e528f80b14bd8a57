using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using KernelGen.Internal;

namespace KernelGen;

/// <summary>
/// <see cref="VectorMath"/>'s float exp on <c>Vector512&lt;float&gt;</c> with its eleven constants loaded once: make one
/// before a loop and call it inside, and the JIT keeps the constants in registers across the loop instead of loading
/// each from memory at every use (measured 12 % faster on the exp pass of a [50257] softmax with Vector512 on a
/// 2-core Intel Xeon with AVX-512). The results are bit for bit those of <see cref="VectorMath"/>'s methods.
/// </summary>
public readonly struct FloatExp512
{
    private readonly VectorMath.ExpConstants<Vector512<float>> _constants;

    /// <summary>Loads the constants.</summary>
    public FloatExp512() => _constants = VectorMath.ExpConstants<Vector512<float>>.Create<FloatLanes512<float>>();

    /// <summary>e^(x - y), x - y taken exactly: <see cref="VectorMath.ExpOfDifference(Vector512{float}, Vector512{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> OfDifference(Vector512<float> x, Vector512<float> y) => FloatExpSteps.OfDifference(x, y, in _constants);

    /// <summary>e^x for x up to <see cref="VectorMath.ExpFastUpperBound"/>: <see cref="VectorMath.ExpNoOverflow(Vector512{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> NoOverflow(Vector512<float> x) => FloatExpSteps.Reduced(x, Vector512<float>.Zero, in _constants);
}

/// <summary>
/// <see cref="VectorMath"/>'s float exp on <c>Vector256&lt;float&gt;</c> for loops: make one before the loop and call it
/// inside. Where the machine has 32 vector registers (x64 with AVX-512, ARM64), its eleven constants are loaded once and
/// kept in registers across the loop, as <see cref="FloatExp512"/>'s are. With AVX2 alone there are 16, and a loop with
/// two or more vectors in flight then spilled and reloaded them at every iteration; there every use reads its constant
/// from a table in the assembly's static data, as an operand of the instruction (a [2, 31, 25] axis-1 softmax, two
/// vectors per iteration, ran 1.13x faster and [32, 7] 1.23x; on AVX-512 hardware keeping them in registers was up to
/// 1.10x faster than memory; 2-core Intel Xeon, Vector256 path, interleaved A/B). Not a static field: a method compiled
/// before the field's class is initialized checks it at every call, which cost single-row kernels such as [1, 8] 1.6x.
/// The results are bit for bit those of <see cref="VectorMath"/>'s methods.
/// </summary>
public readonly struct FloatExp256
{
    private readonly VectorMath.ExpConstants<Vector256<float>> _constants;

    /// <summary>Makes the constants where they are kept in registers (32 of them); with 16 the table is used instead.</summary>
    public FloatExp256() => _constants = VectorRegisters.Many ? VectorMath.ExpConstants<Vector256<float>>.Create<FloatLanes256<float>>() : default;

    /// <summary>e^(x - y), x - y taken exactly: <see cref="VectorMath.ExpOfDifference(Vector256{float}, Vector256{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> OfDifference(Vector256<float> x, Vector256<float> y) => (Avx512F.IsSupported || AdvSimd.Arm64.IsSupported) // VectorRegisters.Many, written out
        ? FloatExpSteps.OfDifference(x, y, in _constants)
        : FloatExpSteps.OfDifference(x, y, in VectorMath.ExpConstants256InMemory);

    /// <summary>e^x for x up to <see cref="VectorMath.ExpFastUpperBound"/>: <see cref="VectorMath.ExpNoOverflow(Vector256{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> NoOverflow(Vector256<float> x) => (Avx512F.IsSupported || AdvSimd.Arm64.IsSupported) // VectorRegisters.Many, written out
        ? FloatExpSteps.Reduced(x, Vector256<float>.Zero, in _constants)
        : FloatExpSteps.Reduced(x, Vector256<float>.Zero, in VectorMath.ExpConstants256InMemory);
}

/// <summary>
/// <see cref="VectorMath"/>'s float exp on <c>Vector128&lt;float&gt;</c> for loops, its constants in registers where the
/// machine has 32 vector registers and read from memory at each use where it has 16: see <see cref="FloatExp256"/>.
/// The results are bit for bit those of <see cref="VectorMath"/>'s methods.
/// </summary>
public readonly struct FloatExp128
{
    private readonly VectorMath.ExpConstants<Vector128<float>> _constants;

    /// <summary>Makes the constants where they are kept in registers (32 of them); with 16 the table is used instead.</summary>
    public FloatExp128() => _constants = VectorRegisters.Many ? VectorMath.ExpConstants<Vector128<float>>.Create<FloatLanes128<float>>() : default;

    /// <summary>e^(x - y), x - y taken exactly: <see cref="VectorMath.ExpOfDifference(Vector128{float}, Vector128{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> OfDifference(Vector128<float> x, Vector128<float> y) => (Avx512F.IsSupported || AdvSimd.Arm64.IsSupported) // VectorRegisters.Many, written out
        ? FloatExpSteps.OfDifference(x, y, in _constants)
        : FloatExpSteps.OfDifference(x, y, in VectorMath.ExpConstants128InMemory);

    /// <summary>e^x for x up to <see cref="VectorMath.ExpFastUpperBound"/>: <see cref="VectorMath.ExpNoOverflow(Vector128{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> NoOverflow(Vector128<float> x) => (Avx512F.IsSupported || AdvSimd.Arm64.IsSupported) // VectorRegisters.Many, written out
        ? FloatExpSteps.Reduced(x, Vector128<float>.Zero, in _constants)
        : FloatExpSteps.Reduced(x, Vector128<float>.Zero, in VectorMath.ExpConstants128InMemory);
}

/// <summary>
/// <see cref="FloatExp512"/> with its constants read from memory at every use: for a method that keeps more vectors
/// live than the 32 registers hold beside the eleven constants (see <see cref="FloatExp256InMemory"/>).
/// The same bits as <see cref="VectorMath"/>'s methods.
/// </summary>
public readonly struct FloatExp512InMemory
{
    /// <summary>e^(x - y), x - y taken exactly: <see cref="VectorMath.ExpOfDifference(Vector512{float}, Vector512{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> OfDifference(Vector512<float> x, Vector512<float> y) =>
        FloatExpSteps.OfDifference(x, y, in VectorMath.ExpConstants512InMemory);

    /// <summary>e^x for x up to <see cref="VectorMath.ExpFastUpperBound"/>: <see cref="VectorMath.ExpNoOverflow(Vector512{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> NoOverflow(Vector512<float> x) =>
        FloatExpSteps.Reduced(x, Vector512<float>.Zero, in VectorMath.ExpConstants512InMemory);
}

/// <summary>
/// <see cref="FloatExp256"/> with its constants read from memory at every use, on every machine: for a method that keeps
/// more vectors live than the registers hold beside the eleven constants. A tiny-slab group of 21 vectors ([2, 7, 3]
/// axis 1) ran 1.47x faster with it on the Xeon with AVX-512, whose 32 registers otherwise keep the constants and spill
/// the group (plan sweep, 21 rounds; groups of 18 vectors or fewer within 0.96x to 1.07x). The same bits as
/// <see cref="VectorMath"/>'s methods.
/// </summary>
public readonly struct FloatExp256InMemory
{
    /// <summary>e^(x - y), x - y taken exactly: <see cref="VectorMath.ExpOfDifference(Vector256{float}, Vector256{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> OfDifference(Vector256<float> x, Vector256<float> y) =>
        FloatExpSteps.OfDifference(x, y, in VectorMath.ExpConstants256InMemory);

    /// <summary>e^x for x up to <see cref="VectorMath.ExpFastUpperBound"/>: <see cref="VectorMath.ExpNoOverflow(Vector256{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> NoOverflow(Vector256<float> x) =>
        FloatExpSteps.Reduced(x, Vector256<float>.Zero, in VectorMath.ExpConstants256InMemory);
}

/// <summary><see cref="FloatExp128"/> with its constants read from memory at every use: see <see cref="FloatExp256InMemory"/>.</summary>
public readonly struct FloatExp128InMemory
{
    /// <summary>e^(x - y), x - y taken exactly: <see cref="VectorMath.ExpOfDifference(Vector128{float}, Vector128{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> OfDifference(Vector128<float> x, Vector128<float> y) =>
        FloatExpSteps.OfDifference(x, y, in VectorMath.ExpConstants128InMemory);

    /// <summary>e^x for x up to <see cref="VectorMath.ExpFastUpperBound"/>: <see cref="VectorMath.ExpNoOverflow(Vector128{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> NoOverflow(Vector128<float> x) =>
        FloatExpSteps.Reduced(x, Vector128<float>.Zero, in VectorMath.ExpConstants128InMemory);
}

/// <summary>How many vector registers the JIT can allocate: 32 on x64 with AVX-512 and on ARM64, 16 on x64 without AVX-512.</summary>
internal static class VectorRegisters
{
    /// <summary>
    /// True where there are 32 (a JIT-time constant, so the branches on it are folded away). The exps' methods spell the
    /// condition out instead of reading this property: one more inlined method per exp took a tiny slab of 18 exps
    /// ([2, 18, 2] axis 1, 282 inlinees) over the JIT's inlining budget, and 14 of its selects became calls.
    /// </summary>
    public static bool Many => System.Runtime.Intrinsics.X86.Avx512F.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.IsSupported;

}
