using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
/// <para><b>Double precision <c>exp</c></b> forwards to the BCL's <c>Vector256.Exp(Vector256&lt;double&gt;)</c>.</para>
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

    /// <summary>e^x for each element, at most 1 ULP from the correctly rounded result.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x) => ExpCore(x, Vector256<float>.Zero);

    /// <summary>
    /// e^(x - y) for each element, with <c>x - y</c> taken exactly rather than rounded to float first: the rounding
    /// error of the subtraction (up to half a unit of |x - y|, which exp turns into a relative error) is recovered with
    /// a branch-free two-sum and folded into the reduced argument. This is what a softmax needs for exp(x - max).
    /// Its domain is x - y &lt;= <see cref="ExpFastUpperBound"/> (a softmax always has x - y &lt;= 0): it has no
    /// overflow path, so that the loops that call it carry no branch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ExpOfDifference(Vector256<float> x, Vector256<float> y)
    {
        Vector256<float> difference = x - y;
        Vector256<float> xPart = difference + y;              // two-sum: difference = x - y + error exactly
        Vector256<float> yPart = xPart - difference;
        Vector256<float> error = (x - xPart) - (y - yPart);
        return ExpReduced(difference, error);
    }

    /// <summary>
    /// e^x for x up to <see cref="ExpFastUpperBound"/>, as accurate as <see cref="Exp(Vector256{float})"/> but with no overflow
    /// path, so that the loops that call it carry no branch: what a softmax's x - max (at most 0) needs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ExpNoOverflow(Vector256<float> x) => ExpReduced(x, Vector256<float>.Zero);

    // e^(x + error) for x up to ExpFastUpperBound; error is a tiny correction to x (zero for plain exp).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ExpCore(Vector256<float> x, Vector256<float> error)
    {
        if (Vector256.GreaterThanAny(x, Vector256.Create(ExpFastUpperBound)))
        {
            return ExpWide(x);
        }
        return ExpReduced(x, error);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ExpReduced(Vector256<float> x, Vector256<float> error)
    {

        Vector256<float> lower = Vector256.Create(ExpLowerBound);
        // MaxNative(lower, x) returns x when x is NaN, so NaN flows through to the result.
        Vector256<float> xc = Vector256.MaxNative(lower, x);
        Vector256<float> t = Vector256.MultiplyAddEstimate(xc, Vector256.Create(Log2E), Vector256.Create(RoundingBias));
        Vector256<float> n = t - Vector256.Create(RoundingBias);
        // r = x - n ln2 + error: the high part of n ln2 is exact; its low part and the error are added together
        // beside it, so the chain from n to r is one multiply-add and one add.
        Vector256<float> r = Vector256.MultiplyAddEstimate(n, Vector256.Create(-Ln2Hi), xc) + Vector256.MultiplyAddEstimate(n, Vector256.Create(-Ln2Lo), error);
        // e^r = 1 + r + r^2 q(r), q evaluated by Estrin's scheme (shorter dependency chain than Horner's).
        Vector256<float> r2 = r * r;
        Vector256<float> q01 = Vector256.MultiplyAddEstimate(Vector256.Create(C4), r, Vector256.Create(C5));
        Vector256<float> q23 = Vector256.MultiplyAddEstimate(Vector256.Create(C2), r, Vector256.Create(C3));
        Vector256<float> q45 = Vector256.MultiplyAddEstimate(Vector256.Create(C0), r, Vector256.Create(C1));
        Vector256<float> q = Vector256.MultiplyAddEstimate(q45, r2 * r2, Vector256.MultiplyAddEstimate(q23, r2, q01));
        Vector256<float> p = Vector256.MultiplyAddEstimate(q, r2, r); // e^r - 1
        Vector256<float> scale = Vector256.ShiftLeft(t.AsInt32(), 23).AsSingle();
        // 2^n (1 + p) as one multiply-add (scale is a power of two, so this rounds once, as (1 + p) alone would).
        // Flush: below the normal range the result is exactly 0 (also for -inf).
        return Vector256.AndNot(Vector256.MultiplyAddEstimate(scale, p, scale), Vector256.LessThan(x, lower));
    }

    /// <summary>e^x for each element, at most 1 ULP from the correctly rounded result.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp(Vector128<float> x) => ExpCore(x, Vector128<float>.Zero);

    /// <summary>
    /// e^(x - y) for each element, with <c>x - y</c> taken exactly rather than rounded to float first: the rounding
    /// error of the subtraction (up to half a unit of |x - y|, which exp turns into a relative error) is recovered with
    /// a branch-free two-sum and folded into the reduced argument. This is what a softmax needs for exp(x - max).
    /// Its domain is x - y &lt;= <see cref="ExpFastUpperBound"/> (a softmax always has x - y &lt;= 0): it has no
    /// overflow path, so that the loops that call it carry no branch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ExpOfDifference(Vector128<float> x, Vector128<float> y)
    {
        Vector128<float> difference = x - y;
        Vector128<float> xPart = difference + y;              // two-sum: difference = x - y + error exactly
        Vector128<float> yPart = xPart - difference;
        Vector128<float> error = (x - xPart) - (y - yPart);
        return ExpReduced(difference, error);
    }

    /// <summary>
    /// e^x for x up to <see cref="ExpFastUpperBound"/>, as accurate as <see cref="Exp(Vector128{float})"/> but with no overflow
    /// path, so that the loops that call it carry no branch: what a softmax's x - max (at most 0) needs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ExpNoOverflow(Vector128<float> x) => ExpReduced(x, Vector128<float>.Zero);

    // e^(x + error) for x up to ExpFastUpperBound; error is a tiny correction to x (zero for plain exp).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> ExpCore(Vector128<float> x, Vector128<float> error)
    {
        if (Vector128.GreaterThanAny(x, Vector128.Create(ExpFastUpperBound)))
        {
            return ExpWide(x);
        }
        return ExpReduced(x, error);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> ExpReduced(Vector128<float> x, Vector128<float> error)
    {

        Vector128<float> lower = Vector128.Create(ExpLowerBound);
        Vector128<float> xc = Vector128.MaxNative(lower, x);
        Vector128<float> t = Vector128.MultiplyAddEstimate(xc, Vector128.Create(Log2E), Vector128.Create(RoundingBias));
        Vector128<float> n = t - Vector128.Create(RoundingBias);
        // r = x - n ln2 + error: the high part of n ln2 is exact; its low part and the error are added together
        // beside it, so the chain from n to r is one multiply-add and one add.
        Vector128<float> r = Vector128.MultiplyAddEstimate(n, Vector128.Create(-Ln2Hi), xc) + Vector128.MultiplyAddEstimate(n, Vector128.Create(-Ln2Lo), error);
        // e^r = 1 + r + r^2 q(r), q evaluated by Estrin's scheme (shorter dependency chain than Horner's).
        Vector128<float> r2 = r * r;
        Vector128<float> q01 = Vector128.MultiplyAddEstimate(Vector128.Create(C4), r, Vector128.Create(C5));
        Vector128<float> q23 = Vector128.MultiplyAddEstimate(Vector128.Create(C2), r, Vector128.Create(C3));
        Vector128<float> q45 = Vector128.MultiplyAddEstimate(Vector128.Create(C0), r, Vector128.Create(C1));
        Vector128<float> q = Vector128.MultiplyAddEstimate(q45, r2 * r2, Vector128.MultiplyAddEstimate(q23, r2, q01));
        Vector128<float> p = Vector128.MultiplyAddEstimate(q, r2, r); // e^r - 1
        Vector128<float> scale = Vector128.ShiftLeft(t.AsInt32(), 23).AsSingle();
        // 2^n (1 + p) as one multiply-add (scale is a power of two, so this rounds once, as (1 + p) alone would).
        // Flush: below the normal range the result is exactly 0 (also for -inf).
        return Vector128.AndNot(Vector128.MultiplyAddEstimate(scale, p, scale), Vector128.LessThan(x, lower));
    }

    /// <summary>e^x, the same algorithm as the vector forms (for tails and the scalar path).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Exp(float x) => ExpCore(x, 0f);

    /// <summary>e^x for x up to <see cref="ExpFastUpperBound"/> (the scalar form of the vector methods of that name).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ExpNoOverflow(float x) => ExpCore(x, 0f);

    /// <summary>e^(x - y), with <c>x - y</c> taken exactly (see the vector form).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ExpOfDifference(float x, float y)
    {
        float difference = x - y;
        float xPart = difference + y;
        float yPart = xPart - difference;
        float error = (x - xPart) - (y - yPart);
        return ExpCore(difference, error);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float ExpCore(float x, float error)
    {
        if (x > ExpFastUpperBound)
        {
            return (float)Math.Exp(x);
        }

        float xc = x < ExpLowerBound ? ExpLowerBound : x; // NaN compares false and stays NaN
        float t = float.MultiplyAddEstimate(xc, Log2E, RoundingBias);
        float n = t - RoundingBias;
        float r = float.MultiplyAddEstimate(n, -Ln2Hi, xc) + float.MultiplyAddEstimate(n, -Ln2Lo, error);
        float r2 = r * r;
        float q01 = float.MultiplyAddEstimate(C4, r, C5);
        float q23 = float.MultiplyAddEstimate(C2, r, C3);
        float q45 = float.MultiplyAddEstimate(C0, r, C1);
        float q = float.MultiplyAddEstimate(q45, r2 * r2, float.MultiplyAddEstimate(q23, r2, q01));
        float p = float.MultiplyAddEstimate(q, r2, r);
        float scale = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(t) << 23);
        return x < ExpLowerBound ? 0f : float.MultiplyAddEstimate(scale, p, scale);
    }

    /// <summary>e^x for each element (the BCL's double-precision algorithm).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Exp(Vector256<double> x) => Vector256.Exp(x);

    /// <summary>e^x for each element (the BCL's double-precision algorithm).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Exp(Vector128<double> x) => Vector128.Exp(x);

    /// <summary>e^(x - y) for each element (the double subtraction's rounding is far below the result's precision).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> ExpOfDifference(Vector256<double> x, Vector256<double> y) => Vector256.Exp(x - y);

    /// <inheritdoc cref="ExpOfDifference(Vector256{double}, Vector256{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> ExpOfDifference(Vector128<double> x, Vector128<double> y) => Vector128.Exp(x - y);

    /// <summary>e^(x - y).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ExpOfDifference(double x, double y) => Math.Exp(x - y);

    /// <summary>e^x for each element (double needs no separate no-overflow form; this is <see cref="Exp(Vector256{double})"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> ExpNoOverflow(Vector256<double> x) => Vector256.Exp(x);

    /// <inheritdoc cref="ExpNoOverflow(Vector256{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> ExpNoOverflow(Vector128<double> x) => Vector128.Exp(x);

    /// <summary>e^x (<see cref="Math.Exp(double)"/>), the scalar double form of the methods of that name.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ExpNoOverflow(double x) => Math.Exp(x);

    /// <summary>e^x (<see cref="Math.Exp(double)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Exp(double x) => Math.Exp(x);

    // Rare inputs above ExpFastUpperBound: exact through double, overflowing to +inf past float.MaxValue.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector256<float> ExpWide(Vector256<float> x)
    {
        (Vector256<double> lo, Vector256<double> hi) = Vector256.Widen(x);
        Vector256<float> result = Vector256.Narrow(Vector256.Exp(lo), Vector256.Exp(hi));
        return Vector256.AndNot(result, Vector256.LessThan(x, Vector256.Create(ExpLowerBound)));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector128<float> ExpWide(Vector128<float> x)
    {
        (Vector128<double> lo, Vector128<double> hi) = Vector128.Widen(x);
        Vector128<float> result = Vector128.Narrow(Vector128.Exp(lo), Vector128.Exp(hi));
        return Vector128.AndNot(result, Vector128.LessThan(x, Vector128.Create(ExpLowerBound)));
    }
}
