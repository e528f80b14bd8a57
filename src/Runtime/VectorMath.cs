using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using KernelGen.Internal;

namespace KernelGen;

/// <summary>
/// Vectorised elementary functions used by the softmax kernels, generic and generated.
/// </summary>
/// <remarks>
/// <para>
/// <b>Single precision <c>exp</c></b> is computed natively in <see cref="float"/> (the .NET 10
/// <c>Vector256.Exp(Vector256&lt;float&gt;)</c> widens to double): Cody-Waite range reduction
/// <c>x = n ln2 + r</c> with ln2 split in two parts, a degree-7 polynomial for <c>e^r</c> on
/// |r| &lt;= ln2/2 (Estrin's scheme), and <c>2^n</c> built directly from the exponent bits.
/// </para>
/// <para>
/// Accuracy, checked over every float in [-104, 0] by the test suite: at most 1 ULP from the correctly
/// rounded result; <c>exp(0) = 1</c> exactly; <c>exp(-inf) = 0</c>; <c>exp(NaN) = NaN</c>. Results below the
/// smallest normal float (x &lt; <see cref="ExpLowerBound"/>) are flushed to 0, and every intermediate stays
/// a normal number, so no input ever takes the processor's slow subnormal path. For x above
/// <see cref="ExpFastUpperBound"/>, where <c>2^n</c> would overflow the exponent, a vector takes a slower,
/// exact path through double; results above <c>float.MaxValue</c> are +inf.
/// </para>
/// <para>The same algorithm serves every width (<see cref="Vector512{T}"/>, <see cref="Vector256{T}"/>,
/// <see cref="Vector128{T}"/> and scalar), written once; every width whose operations are
/// hardware-accelerated gives bit-identical results.</para>
/// <para><b>Double precision <c>exp</c></b> of the kernels (<c>ExpOfDifference</c> and <c>ExpNoOverflow</c> on double
/// vectors) is computed the same way in double: ln2 in two parts, a polynomial of degree 12 for <c>e^r</c> (Chebyshev
/// interpolation, Horner's scheme in r^2 over pairs of terms), 2^n from the exponent bits; within 1 ULP on
/// [-708.39, 709], results below the smallest normal double flushed to 0, 21 vector operations inlined (the BCL's
/// <c>Vector512.Exp</c> it replaced is a call per vector). <c>Exp</c> on double vectors, for any x, forwards to the BCL's <c>Vector512.Exp</c>,
/// <c>Vector256.Exp</c> and <c>Vector128.Exp</c>.</para>
/// </remarks>
public static class VectorMath
{
    /// <summary>The smallest float x whose exp(x) is a normal float; exp of anything below is 0.</summary>
    public const float ExpLowerBound = -87.33654f; // first float >= ln(2^-126) = -87.3365447505...

    /// <summary>Above this (127.5 ln2), <c>2^n</c> no longer fits a float exponent and the exact slow path runs.</summary>
    public const float ExpFastUpperBound = 88.37626f;

    private const float Log2E = 1.44269504088896341f;
    // 1.5 * 2^23 + 127: adding it rounds x*log2(e) to an integer n and leaves n + 127 in the low
    // mantissa bits, so shifting the bits left by 23 gives 2^n directly.
    private const float RoundingBias = 12583039f;
    private const float Ln2Hi = 0.693359375f;       // 8 significant bits: n * Ln2Hi is exact
    private const float Ln2Lo = -2.12194440e-4f;    // ln2 - Ln2Hi
    // Minimax coefficients of (e^r - 1 - r) / r^2 on |r| <= ln2/2 (Cephes expf).
    private const float C0 = 1.9875691500e-4f;
    private const float C1 = 1.3981999507e-3f;
    private const float C2 = 8.3334519073e-3f;
    private const float C3 = 4.1665795894e-2f;
    private const float C4 = 1.6666665459e-1f;
    private const float C5 = 5.0000001201e-1f;

    // The float exp is written once, in ExpCore and ExpReduced below, generic over the width: FloatLanes128<float>,
    // FloatLanes256<float>, FloatLanes512<float> and FloatLanes1 (scalar) supply its few operations. The JIT compiles one copy per
    // width with every call inlined, so each width runs the same instructions it would run if written out by hand,
    // and every width computes bit-identical results (the tests check that on every float in [-104, 0]).

    /// <summary>e^x for each element, at most 1 ULP from the correctly rounded result.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x) => ExpCore<FloatLanes512<float>, Vector512<float>>(x, Vector512<float>.Zero);

    /// <inheritdoc cref="Exp(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x) => ExpCore<FloatLanes256<float>, Vector256<float>>(x, Vector256<float>.Zero);

    /// <inheritdoc cref="Exp(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp(Vector128<float> x) => ExpCore<FloatLanes128<float>, Vector128<float>>(x, Vector128<float>.Zero);

    /// <summary>e^x, the same algorithm as the vector forms (for tails and the scalar path).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Exp(float x) => ExpCore<FloatLanes1, float>(x, 0f);

    /// <summary>
    /// e^(x - y) for each element, with <c>x - y</c> taken exactly rather than rounded to float first: the rounding
    /// error of the subtraction (up to half a unit of |x - y|, which exp turns into a relative error) is recovered with
    /// a branch-free two-sum and folded into the reduced argument. This is what a softmax needs for exp(x - max).
    /// Its domain is x - y &lt;= <see cref="ExpFastUpperBound"/> (a softmax always has x - y &lt;= 0): it has no
    /// overflow path, so that the loops that call it carry no branch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ExpOfDifference(Vector512<float> x, Vector512<float> y) => ExpOfDifference<FloatLanes512<float>, Vector512<float>>(x, y);

    /// <inheritdoc cref="ExpOfDifference(Vector512{float}, Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ExpOfDifference(Vector256<float> x, Vector256<float> y) => ExpOfDifference<FloatLanes256<float>, Vector256<float>>(x, y);

    /// <inheritdoc cref="ExpOfDifference(Vector512{float}, Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ExpOfDifference(Vector128<float> x, Vector128<float> y) => ExpOfDifference<FloatLanes128<float>, Vector128<float>>(x, y);

    /// <summary>e^(x - y), with <c>x - y</c> taken exactly (see the vector forms); the scalar form has the overflow path.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ExpOfDifference(float x, float y)
    {
        (float difference, float error) = TwoDifference<FloatLanes1, float>(x, y);
        return ExpCore<FloatLanes1, float>(difference, error);
    }

    /// <summary>
    /// e^x for x up to <see cref="ExpFastUpperBound"/>, as accurate as <see cref="Exp(Vector512{float})"/> but with no overflow
    /// path, so that the loops that call it carry no branch: what a softmax's x - max (at most 0) needs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ExpNoOverflow(Vector512<float> x) => ExpReduced<FloatLanes512<float>, Vector512<float>>(x, Vector512<float>.Zero);

    /// <inheritdoc cref="ExpNoOverflow(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ExpNoOverflow(Vector256<float> x) => ExpReduced<FloatLanes256<float>, Vector256<float>>(x, Vector256<float>.Zero);

    /// <inheritdoc cref="ExpNoOverflow(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ExpNoOverflow(Vector128<float> x) => ExpReduced<FloatLanes128<float>, Vector128<float>>(x, Vector128<float>.Zero);

    /// <summary>e^x for x up to <see cref="ExpFastUpperBound"/> (the scalar form of the vector methods of that name; it keeps the overflow path).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ExpNoOverflow(float x) => ExpCore<FloatLanes1, float>(x, 0f);

    // e^(x - y) with the difference's rounding error recovered by a branch-free two-sum.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV ExpOfDifference<TL, TV>(TV x, TV y)
        where TL : struct, IFloatLanes<TV>
        where TV : struct => ExpOfDifference<TL, TV>(x, y, ExpConstants<TV>.Create<TL>());

    // x - y = difference + error exactly (Knuth's two-sum on x and -y).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (TV Difference, TV Error) TwoDifference<TL, TV>(TV x, TV y)
        where TL : struct, IFloatLanes<TV>
        where TV : struct
    {
        TV difference = TL.Subtract(x, y);
        TV xPart = TL.Add(difference, y);
        TV yPart = TL.Subtract(xPart, difference);
        TV error = TL.Subtract(TL.Subtract(x, xPart), TL.Subtract(y, yPart));
        return (difference, error);
    }

    // e^(x + error) for any x; error is a tiny correction to x (zero for plain exp). Inputs above ExpFastUpperBound
    // (never a softmax's) take an exact path through double.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV ExpCore<TL, TV>(TV x, TV error)
        where TL : struct, IFloatLanes<TV>
        where TV : struct
    {
        if (TL.AnyGreaterThan(x, ExpFastUpperBound))
        {
            return TL.ExpThroughDouble(x);
        }
        return ExpReduced<TL, TV>(x, error);
    }

    // e^(x + error) for x up to ExpFastUpperBound, with the constants made where they are used.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV ExpReduced<TL, TV>(TV x, TV error)
        where TL : struct, IFloatLanes<TV>
        where TV : struct => ExpReduced<TL, TV>(x, error, ExpConstants<TV>.Create<TL>());

    // e^(x + error) for x up to ExpFastUpperBound: the algorithm itself, for every width. The constants come in k, so
    // that a loop can load them once (see FloatExp512) instead of once per use.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TV ExpReduced<TL, TV>(TV x, TV error, in ExpConstants<TV> k)
        where TL : struct, IFloatLanes<TV>
        where TV : struct
    {
        // MaxNative(lower, x) returns x when x is NaN, so NaN flows through to the result.
        TV xc = TL.MaxNative(k.Lower, x);
        // Where x is clamped (its result is flushed to 0 below), the error of x is dropped too: added to the clamped
        // argument it could take 2^n (1 + p) just below the normal range, and a subnormal result costs Intel
        // processors a microcode assist even though it is then flushed (a [50257] softmax whose max was 94 ran 1.4
        // times slower). The results are unchanged.
        error = TL.ZeroWhereLess(error, x, k.Lower);
        TV t = TL.MultiplyAdd(xc, k.Log2E, k.RoundingBias);
        TV n = TL.Subtract(t, k.RoundingBias);
        // r = x - n ln2 + error: the high part of n ln2 is exact; its low part and the error are added together
        // beside it, so the chain from n to r is one multiply-add and one add.
        TV r = TL.Add(TL.MultiplyAdd(n, k.MinusLn2Hi, xc), TL.MultiplyAdd(n, k.MinusLn2Lo, error));
        // e^r = 1 + r + r^2 q(r), q evaluated by Estrin's scheme (shorter dependency chain than Horner's).
        TV r2 = TL.Multiply(r, r);
        TV q01 = TL.MultiplyAdd(k.C4, r, k.C5);
        TV q23 = TL.MultiplyAdd(k.C2, r, k.C3);
        TV q45 = TL.MultiplyAdd(k.C0, r, k.C1);
        TV q = TL.MultiplyAdd(q45, TL.Multiply(r2, r2), TL.MultiplyAdd(q23, r2, q01));
        TV p = TL.MultiplyAdd(q, r2, r); // e^r - 1
        TV scale = TL.PowerOfTwoFromBiased(t);
        // 2^n (1 + p) as one multiply-add (scale is a power of two, so this rounds once, as (1 + p) alone would).
        // Flush: below the normal range the result is exactly 0 (also for -inf).
        return TL.ZeroWhereLess(TL.MultiplyAdd(scale, p, scale), x, k.Lower);
    }

    // e^(x - y), x - y taken exactly, with the constants in k.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TV ExpOfDifference<TL, TV>(TV x, TV y, in ExpConstants<TV> k)
        where TL : struct, IFloatLanes<TV>
        where TV : struct
    {
        (TV difference, TV error) = TwoDifference<TL, TV>(x, y);
        return ExpReduced<TL, TV>(difference, error, in k);
    }

    /// <summary>
    /// The float exp's constants for Vector256, in memory: <see cref="FloatExp256"/> reads them from here, as instruction
    /// operands, where the machine has only 16 vector registers. Static data in the assembly image (no static field, so
    /// no class-initialization check), each constant 8 times, in <see cref="ExpConstants{TV}"/>'s field order.
    /// </summary>
    internal static ref readonly ExpConstants<Vector256<float>> ExpConstants256InMemory =>
        ref Unsafe.As<float, ExpConstants<Vector256<float>>>(ref MemoryMarshal.GetReference(ExpTable256));

    /// <summary>The float exp's constants for Vector512, in memory (see <see cref="ExpConstants256InMemory"/>).</summary>
    internal static ref readonly ExpConstants<Vector512<float>> ExpConstants512InMemory =>
        ref Unsafe.As<float, ExpConstants<Vector512<float>>>(ref MemoryMarshal.GetReference(ExpTable512));

    /// <summary>The float exp's constants for Vector128, in memory (see <see cref="ExpConstants256InMemory"/>).</summary>
    internal static ref readonly ExpConstants<Vector128<float>> ExpConstants128InMemory =>
        ref Unsafe.As<float, ExpConstants<Vector128<float>>>(ref MemoryMarshal.GetReference(ExpTable128));

    private static ReadOnlySpan<float> ExpTable512 =>
    [
        ExpLowerBound, ExpLowerBound, ExpLowerBound, ExpLowerBound, ExpLowerBound, ExpLowerBound, ExpLowerBound, ExpLowerBound, ExpLowerBound, ExpLowerBound, ExpLowerBound, ExpLowerBound, ExpLowerBound, ExpLowerBound, ExpLowerBound, ExpLowerBound,
        Log2E, Log2E, Log2E, Log2E, Log2E, Log2E, Log2E, Log2E, Log2E, Log2E, Log2E, Log2E, Log2E, Log2E, Log2E, Log2E,
        RoundingBias, RoundingBias, RoundingBias, RoundingBias, RoundingBias, RoundingBias, RoundingBias, RoundingBias, RoundingBias, RoundingBias, RoundingBias, RoundingBias, RoundingBias, RoundingBias, RoundingBias, RoundingBias,
        -Ln2Hi, -Ln2Hi, -Ln2Hi, -Ln2Hi, -Ln2Hi, -Ln2Hi, -Ln2Hi, -Ln2Hi, -Ln2Hi, -Ln2Hi, -Ln2Hi, -Ln2Hi, -Ln2Hi, -Ln2Hi, -Ln2Hi, -Ln2Hi,
        -Ln2Lo, -Ln2Lo, -Ln2Lo, -Ln2Lo, -Ln2Lo, -Ln2Lo, -Ln2Lo, -Ln2Lo, -Ln2Lo, -Ln2Lo, -Ln2Lo, -Ln2Lo, -Ln2Lo, -Ln2Lo, -Ln2Lo, -Ln2Lo,
        C0, C0, C0, C0, C0, C0, C0, C0, C0, C0, C0, C0, C0, C0, C0, C0,
        C1, C1, C1, C1, C1, C1, C1, C1, C1, C1, C1, C1, C1, C1, C1, C1,
        C2, C2, C2, C2, C2, C2, C2, C2, C2, C2, C2, C2, C2, C2, C2, C2,
        C3, C3, C3, C3, C3, C3, C3, C3, C3, C3, C3, C3, C3, C3, C3, C3,
        C4, C4, C4, C4, C4, C4, C4, C4, C4, C4, C4, C4, C4, C4, C4, C4,
        C5, C5, C5, C5, C5, C5, C5, C5, C5, C5, C5, C5, C5, C5, C5, C5,
    ];

    private static ReadOnlySpan<float> ExpTable256 =>
    [
        ExpLowerBound, ExpLowerBound, ExpLowerBound, ExpLowerBound, ExpLowerBound, ExpLowerBound, ExpLowerBound, ExpLowerBound,
        Log2E, Log2E, Log2E, Log2E, Log2E, Log2E, Log2E, Log2E,
        RoundingBias, RoundingBias, RoundingBias, RoundingBias, RoundingBias, RoundingBias, RoundingBias, RoundingBias,
        -Ln2Hi, -Ln2Hi, -Ln2Hi, -Ln2Hi, -Ln2Hi, -Ln2Hi, -Ln2Hi, -Ln2Hi,
        -Ln2Lo, -Ln2Lo, -Ln2Lo, -Ln2Lo, -Ln2Lo, -Ln2Lo, -Ln2Lo, -Ln2Lo,
        C0, C0, C0, C0, C0, C0, C0, C0,
        C1, C1, C1, C1, C1, C1, C1, C1,
        C2, C2, C2, C2, C2, C2, C2, C2,
        C3, C3, C3, C3, C3, C3, C3, C3,
        C4, C4, C4, C4, C4, C4, C4, C4,
        C5, C5, C5, C5, C5, C5, C5, C5,
    ];

    private static ReadOnlySpan<float> ExpTable128 =>
    [
        ExpLowerBound, ExpLowerBound, ExpLowerBound, ExpLowerBound,
        Log2E, Log2E, Log2E, Log2E,
        RoundingBias, RoundingBias, RoundingBias, RoundingBias,
        -Ln2Hi, -Ln2Hi, -Ln2Hi, -Ln2Hi,
        -Ln2Lo, -Ln2Lo, -Ln2Lo, -Ln2Lo,
        C0, C0, C0, C0,
        C1, C1, C1, C1,
        C2, C2, C2, C2,
        C3, C3, C3, C3,
        C4, C4, C4, C4,
        C5, C5, C5, C5,
    ];

    /// <summary>The float exp's constants for one width, splatted.</summary>
    internal readonly struct ExpConstants<TV>
        where TV : struct
    {
        public readonly TV Lower, Log2E, RoundingBias, MinusLn2Hi, MinusLn2Lo, C0, C1, C2, C3, C4, C5;

        private ExpConstants(TV lower, TV log2E, TV roundingBias, TV minusLn2Hi, TV minusLn2Lo, TV c0, TV c1, TV c2, TV c3, TV c4, TV c5)
        {
            Lower = lower; Log2E = log2E; RoundingBias = roundingBias; MinusLn2Hi = minusLn2Hi; MinusLn2Lo = minusLn2Lo;
            C0 = c0; C1 = c1; C2 = c2; C3 = c3; C4 = c4; C5 = c5;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ExpConstants<TV> Create<TL>()
            where TL : struct, IFloatLanes<TV> =>
            new(TL.Create(ExpLowerBound), TL.Create(VectorMath.Log2E), TL.Create(VectorMath.RoundingBias), TL.Create(-Ln2Hi), TL.Create(-Ln2Lo),
                TL.Create(VectorMath.C0), TL.Create(VectorMath.C1), TL.Create(VectorMath.C2), TL.Create(VectorMath.C3), TL.Create(VectorMath.C4), TL.Create(VectorMath.C5));
    }

    /// <summary>e^x for each element (the BCL's double-precision algorithm).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Exp(Vector512<double> x) => Vector512.Exp(x);

    /// <summary>e^x for each element (the BCL's double-precision algorithm).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Exp(Vector256<double> x) => Vector256.Exp(x);

    /// <summary>e^x for each element (the BCL's double-precision algorithm).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Exp(Vector128<double> x) => Vector128.Exp(x);

    /// <summary>
    /// e^(x - y) for each element, for x - y at most 709 (the double subtraction's rounding is far below the result's
    /// precision): KernelGen's double exp, within 1 ULP, results below the smallest normal double flushed to 0 (see the
    /// remarks on <see cref="VectorMath"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> ExpOfDifference(Vector512<double> x, Vector512<double> y) => DoubleExpSteps.Exp(x - y);

    /// <inheritdoc cref="ExpOfDifference(Vector512{double}, Vector512{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> ExpOfDifference(Vector256<double> x, Vector256<double> y) => DoubleExpSteps.Exp(x - y);

    /// <inheritdoc cref="ExpOfDifference(Vector512{double}, Vector512{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> ExpOfDifference(Vector128<double> x, Vector128<double> y) => DoubleExpSteps.Exp(x - y);

    /// <summary>e^(x - y).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ExpOfDifference(double x, double y) => Math.Exp(x - y);

    /// <summary>
    /// <see cref="ExpOfDifference(Vector512{double}, Vector512{double})"/> compiled out of line, for code that runs once
    /// beside a loop (the overlapping period of a narrow-columns kernel). Written when the double exp was the BCL's, a large
    /// method which, inlined at every such site, used up the JIT's inlining budget for the whole kernel, whose other calls
    /// then stayed calls ([2, 23, 3] axis 1, double: 4x slower than [2, 24, 3]).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Vector512<double> ExpOfDifferenceOutOfLine(Vector512<double> x, Vector512<double> y) => DoubleExpSteps.Exp(x - y);

    /// <inheritdoc cref="ExpOfDifferenceOutOfLine(Vector512{double}, Vector512{double})"/>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Vector256<double> ExpOfDifferenceOutOfLine(Vector256<double> x, Vector256<double> y) => DoubleExpSteps.Exp(x - y);

    /// <inheritdoc cref="ExpOfDifferenceOutOfLine(Vector512{double}, Vector512{double})"/>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Vector128<double> ExpOfDifferenceOutOfLine(Vector128<double> x, Vector128<double> y) => DoubleExpSteps.Exp(x - y);

    /// <summary><see cref="ExpNoOverflow(Vector512{double})"/> compiled out of line (see <see cref="ExpOfDifferenceOutOfLine(Vector512{double}, Vector512{double})"/>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Vector512<double> ExpNoOverflowOutOfLine(Vector512<double> x) => DoubleExpSteps.Exp(x);

    /// <inheritdoc cref="ExpNoOverflowOutOfLine(Vector512{double})"/>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Vector256<double> ExpNoOverflowOutOfLine(Vector256<double> x) => DoubleExpSteps.Exp(x);

    /// <inheritdoc cref="ExpNoOverflowOutOfLine(Vector512{double})"/>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Vector128<double> ExpNoOverflowOutOfLine(Vector128<double> x) => DoubleExpSteps.Exp(x);

    /// <summary>e^x for each element for x at most 709: <see cref="ExpOfDifference(Vector512{double}, Vector512{double})"/>'s exp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> ExpNoOverflow(Vector512<double> x) => DoubleExpSteps.Exp(x);

    /// <inheritdoc cref="ExpNoOverflow(Vector512{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> ExpNoOverflow(Vector256<double> x) => DoubleExpSteps.Exp(x);

    /// <inheritdoc cref="ExpNoOverflow(Vector512{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> ExpNoOverflow(Vector128<double> x) => DoubleExpSteps.Exp(x);

    /// <summary>e^x (<see cref="Math.Exp(double)"/>), the scalar double form of the methods of that name.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ExpNoOverflow(double x) => Math.Exp(x);

    /// <summary>e^x (<see cref="Math.Exp(double)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Exp(double x) => Math.Exp(x);
}
