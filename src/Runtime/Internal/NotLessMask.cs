using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace KernelGen.Internal;

/// <summary>
/// All ones in the lanes where x is not less than the bound (x &gt;= bound, or either is NaN), for a mask used more than
/// once. The exp keeps its result and the error of its argument where x is not below its lower bound: written as
/// <c>AndNot(value, LessThan(x, bound))</c> twice, the JIT shares the compare and then builds its complement (an all-ones
/// register and an xor, or on AVX-512 a mask move and a ternary logic op) before the two ands. x86's "not less than"
/// compare gives the kept lanes in one instruction (NaN included, so a NaN still flows through); elsewhere the
/// complement of LessThan is the same mask.
/// </summary>
internal static class NotLessMask
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Of(Vector512<float> x, Vector512<float> bound) =>
        Avx512F.IsSupported ? Avx512F.CompareNotLessThan(x, bound) : ~Vector512.LessThan(x, bound);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Of(Vector256<float> x, Vector256<float> bound) =>
        Avx.IsSupported ? Avx.CompareNotLessThan(x, bound) : ~Vector256.LessThan(x, bound);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Of(Vector128<float> x, Vector128<float> bound) =>
        Sse.IsSupported ? Sse.CompareNotLessThan(x, bound) : ~Vector128.LessThan(x, bound);
}
