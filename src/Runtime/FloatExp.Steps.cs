using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace KernelGen.Internal;

/// <summary>
/// The float exp of <see cref="VectorMath"/> (ExpOfDifference and ExpReduced), written out for each vector type with
/// its operators and <c>VectorNNN</c> methods instead of through the generic lane interfaces, for <see cref="FloatExp512"/>,
/// <see cref="FloatExp256"/> and <see cref="FloatExp128"/>. The generic form is some sixty small inlined methods per
/// exp; a generated method with a few dozen exps (narrow columns of 5 along an axis of 21: [2, 21, 5] axis 1) ran out of
/// the JIT's inlining budget, and its exps became calls, 2.6x slower. The steps and their order are the generic
/// form's, so the results are the same bits (the runtime tests check it). For the same budget the lanes kept above the
/// lower bound are <see cref="NotLessMask"/>'s compare written out: as a call to it, one more inlined method per exp, tiny
/// slabs of 18 exps ([2, 18, 2] axis 1) lost their inlining again and ran 3x slower. On Vector512 the compare is written
/// inside <c>ConditionalSelect</c> instead, so that AVX-512 keeps it in a mask register (see that method).
/// </summary>
internal static class FloatExpSteps
{
    /// <summary>e^(x - y), x - y taken exactly (see <see cref="VectorMath.ExpOfDifference(Vector512{float}, Vector512{float})"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> OfDifference(Vector512<float> x, Vector512<float> y, in VectorMath.ExpConstants<Vector512<float>> k)
    {
        Vector512<float> difference = x - y;
        Vector512<float> xPart = difference + y;
        Vector512<float> yPart = xPart - difference;
        return Reduced(difference, (x - xPart) - (y - yPart), in k);
    }

    /// <summary>e^(x + error) for x up to <see cref="VectorMath.ExpFastUpperBound"/>: VectorMath's ExpReduced, step for step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Reduced(Vector512<float> x, Vector512<float> error, in VectorMath.ExpConstants<Vector512<float>> k)
    {
        // The lanes below the lower bound are zeroed through ConditionalSelect on the compare, written at each of its two
        // uses (the JIT shares it): on AVX-512 the compare stays in a mask register and zeroes by a masked blend, where
        // a mask vector (the other widths' and) costs a move out of the mask register first. A NaN is not below: kept.
        Vector512<float> xc = Vector512.MaxNative(k.Lower, x);
        error = Vector512.ConditionalSelect(Vector512.LessThan(x, k.Lower), Vector512<float>.Zero, error);
        Vector512<float> t = Vector512.MultiplyAddEstimate(xc, k.Log2E, k.RoundingBias);
        Vector512<float> n = t - k.RoundingBias;
        Vector512<float> r = Vector512.MultiplyAddEstimate(n, k.MinusLn2Hi, xc) + Vector512.MultiplyAddEstimate(n, k.MinusLn2Lo, error);
        Vector512<float> r2 = r * r;
        Vector512<float> q01 = Vector512.MultiplyAddEstimate(k.C4, r, k.C5);
        Vector512<float> q23 = Vector512.MultiplyAddEstimate(k.C2, r, k.C3);
        Vector512<float> q45 = Vector512.MultiplyAddEstimate(k.C0, r, k.C1);
        Vector512<float> q = Vector512.MultiplyAddEstimate(q45, r2 * r2, Vector512.MultiplyAddEstimate(q23, r2, q01));
        Vector512<float> p = Vector512.MultiplyAddEstimate(q, r2, r);
        Vector512<float> scale = Vector512.ShiftLeft(t.AsInt32(), 23).AsSingle();
        return Vector512.ConditionalSelect(Vector512.LessThan(x, k.Lower), Vector512<float>.Zero, Vector512.MultiplyAddEstimate(scale, p, scale));
    }

    /// <summary>e^(x - y), x - y taken exactly (see <see cref="VectorMath.ExpOfDifference(Vector256{float}, Vector256{float})"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> OfDifference(Vector256<float> x, Vector256<float> y, in VectorMath.ExpConstants<Vector256<float>> k)
    {
        Vector256<float> difference = x - y;
        Vector256<float> xPart = difference + y;
        Vector256<float> yPart = xPart - difference;
        return Reduced(difference, (x - xPart) - (y - yPart), in k);
    }

    /// <summary>e^(x + error) for x up to <see cref="VectorMath.ExpFastUpperBound"/>: VectorMath's ExpReduced, step for step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Reduced(Vector256<float> x, Vector256<float> error, in VectorMath.ExpConstants<Vector256<float>> k)
    {
        Vector256<float> keep = Avx.IsSupported ? Avx.CompareNotLessThan(x, k.Lower) : ~Vector256.LessThan(x, k.Lower); // NotLessMask, written out
        Vector256<float> xc = Vector256.MaxNative(k.Lower, x);
        error &= keep;
        Vector256<float> t = Vector256.MultiplyAddEstimate(xc, k.Log2E, k.RoundingBias);
        Vector256<float> n = t - k.RoundingBias;
        Vector256<float> r = Vector256.MultiplyAddEstimate(n, k.MinusLn2Hi, xc) + Vector256.MultiplyAddEstimate(n, k.MinusLn2Lo, error);
        Vector256<float> r2 = r * r;
        Vector256<float> q01 = Vector256.MultiplyAddEstimate(k.C4, r, k.C5);
        Vector256<float> q23 = Vector256.MultiplyAddEstimate(k.C2, r, k.C3);
        Vector256<float> q45 = Vector256.MultiplyAddEstimate(k.C0, r, k.C1);
        Vector256<float> q = Vector256.MultiplyAddEstimate(q45, r2 * r2, Vector256.MultiplyAddEstimate(q23, r2, q01));
        Vector256<float> p = Vector256.MultiplyAddEstimate(q, r2, r);
        Vector256<float> scale = Vector256.ShiftLeft(t.AsInt32(), 23).AsSingle();
        return Vector256.MultiplyAddEstimate(scale, p, scale) & keep;
    }

    /// <summary>e^(x - y), x - y taken exactly (see <see cref="VectorMath.ExpOfDifference(Vector128{float}, Vector128{float})"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> OfDifference(Vector128<float> x, Vector128<float> y, in VectorMath.ExpConstants<Vector128<float>> k)
    {
        Vector128<float> difference = x - y;
        Vector128<float> xPart = difference + y;
        Vector128<float> yPart = xPart - difference;
        return Reduced(difference, (x - xPart) - (y - yPart), in k);
    }

    /// <summary>e^(x + error) for x up to <see cref="VectorMath.ExpFastUpperBound"/>: VectorMath's ExpReduced, step for step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Reduced(Vector128<float> x, Vector128<float> error, in VectorMath.ExpConstants<Vector128<float>> k)
    {
        Vector128<float> keep = Sse.IsSupported ? Sse.CompareNotLessThan(x, k.Lower) : ~Vector128.LessThan(x, k.Lower); // NotLessMask, written out
        Vector128<float> xc = Vector128.MaxNative(k.Lower, x);
        error &= keep;
        Vector128<float> t = Vector128.MultiplyAddEstimate(xc, k.Log2E, k.RoundingBias);
        Vector128<float> n = t - k.RoundingBias;
        Vector128<float> r = Vector128.MultiplyAddEstimate(n, k.MinusLn2Hi, xc) + Vector128.MultiplyAddEstimate(n, k.MinusLn2Lo, error);
        Vector128<float> r2 = r * r;
        Vector128<float> q01 = Vector128.MultiplyAddEstimate(k.C4, r, k.C5);
        Vector128<float> q23 = Vector128.MultiplyAddEstimate(k.C2, r, k.C3);
        Vector128<float> q45 = Vector128.MultiplyAddEstimate(k.C0, r, k.C1);
        Vector128<float> q = Vector128.MultiplyAddEstimate(q45, r2 * r2, Vector128.MultiplyAddEstimate(q23, r2, q01));
        Vector128<float> p = Vector128.MultiplyAddEstimate(q, r2, r);
        Vector128<float> scale = Vector128.ShiftLeft(t.AsInt32(), 23).AsSingle();
        return Vector128.MultiplyAddEstimate(scale, p, scale) & keep;
    }
}
