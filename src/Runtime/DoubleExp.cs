using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace KernelGen.Internal;

/// <summary>
/// The double exp of the softmax kernels (<see cref="VectorMath.ExpOfDifference(Vector512{double}, Vector512{double})"/>
/// and <see cref="VectorMath.ExpNoOverflow(Vector512{double})"/>), written out for each width as
/// <see cref="FloatExpSteps"/> is for float: Cody-Waite range reduction x = n ln2 + r with ln2 in two parts (fdlibm's
/// split: n ln2hi is exact for any n this domain gives), e^r - 1 = r + r^2 q(r) with q of degree 10 on |r| &lt;= ln2/2
/// (an interpolation at Chebyshev nodes, see its coefficients; it replaced the Taylor polynomial, one multiply-add more,
/// in the seventh round of issue #12), and 2^n from the exponent bits. The polynomial runs as Horner's scheme in r^2 over
/// pairs of terms: a chain of 5 multiply-adds with at most four vectors live. Estrin's scheme
/// (a chain of 4) keeps nine live, and on AVX2's 16 registers the kernels around it ran far slower: in the plan sweep (Xeon,
/// AVX-512 off, 2026-12-01) rows of 10 to 16 Vector256s ran 1.6x to 1.8x slower in registers than in cache, [256, 40]
/// 30.8 us against 18.5 with this form, and columns of 15 along an axis of 48 ([2, 48, 15] axis 1) 4.95 against 3.00 us.
/// Within 1 ULP of the correctly rounded e^x on [-708.39, 709] (the runtime tests check it on every width, and that the
/// widths agree bit for bit where multiply-add is fused); results below the smallest normal double are flushed to 0, as
/// the float exp's are, and every intermediate is a normal number. NaN gives NaN and -inf gives 0.
/// </summary>
/// <remarks>
/// The kernels called .NET's <c>Vector512.Exp</c> before (about 80 instructions, not inlined: a call per vector), whose
/// code also depended on the process: with tiered compilation off, <c>Vector128.Exp(Vector128&lt;double&gt;)</c> ran from
/// System.Private.CoreLib's ahead-of-time code at about 200 ns a call against 6.5 ns jitted (2-core Xeon). This one is
/// 21 vector operations, inlined.
/// </remarks>
internal static class DoubleExpSteps
{
    /// <summary>The first double whose exp is a normal double (&gt;= ln 2^-1022); exp of anything below is 0.</summary>
    public const double LowerBound = -708.3964185322641;

    private const double Log2E = 1.4426950408889634;
    // 1.5 * 2^52 + 1023: adding it rounds x log2(e) to an integer n and leaves n + 1023 in the low mantissa bits, so
    // shifting the bits left by 52 gives 2^n directly.
    private const double RoundingBias = 6755399441056767.0;
    private const double MinusLn2Hi = -0.6931471803691238;     // 0x3FE62E42FEE00000: 32 significant bits
    private const double MinusLn2Lo = -1.9082149292705877e-10; // ln2 - Ln2Hi
    // (e^r - 1 - r) / r^2 = C0 + C1 r + ... + C10 r^10 on |r| <= 1.0005 ln2/2: the polynomial of degree 10 that
    // interpolates it at the 11 Chebyshev nodes of that interval, solved in exact rational arithmetic from 80-digit values
    // and rounded to double. Its error, times r^2 and relative to e^r, is below 0.003 * 2^-53 on the interval, where the
    // Taylor polynomial it replaces (degree 11, 12 coefficients) left 0.05 * 2^-53: one multiply-add fewer per exp, and
    // no less accurate. (Degree 9 saves two, but its 0.15 * 2^-53 took the worst error from 0.91 to 1.01 ULP of the exact
    // exp on 20000 sampled arguments.)
    private const double C0 = 0.5, C1 = 0.1666666666666667, C2 = 0.04166666666666667, C3 = 0.008333333333326112,
        C4 = 0.001388888888888373, C5 = 0.0001984126987490126, C6 = 2.4801587325605324e-05, C7 = 2.7557255297969643e-06,
        C8 = 2.755727357010214e-07, C9 = 2.5105259538448494e-08, C10 = 2.0914717341716378e-09;

    /// <summary>e^x for x up to 709.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Exp(Vector512<double> x)
    {
        Vector512<double> keep = Avx512F.IsSupported ? Avx512F.CompareNotLessThan(x, Vector512.Create(LowerBound)) : ~Vector512.LessThan(x, Vector512.Create(LowerBound));
        Vector512<double> xc = Vector512.MaxNative(Vector512.Create(LowerBound), x); // keeps a NaN
        Vector512<double> t = Vector512.MultiplyAddEstimate(xc, Vector512.Create(Log2E), Vector512.Create(RoundingBias));
        Vector512<double> n = t - Vector512.Create(RoundingBias);
        Vector512<double> r = Vector512.MultiplyAddEstimate(n, Vector512.Create(MinusLn2Lo), Vector512.MultiplyAddEstimate(n, Vector512.Create(MinusLn2Hi), xc));
        Vector512<double> r2 = r * r;
        Vector512<double> q = Vector512.MultiplyAddEstimate(Vector512.Create(C10), r2, Vector512.MultiplyAddEstimate(Vector512.Create(C9), r, Vector512.Create(C8)));
        q = Vector512.MultiplyAddEstimate(q, r2, Vector512.MultiplyAddEstimate(Vector512.Create(C7), r, Vector512.Create(C6)));
        q = Vector512.MultiplyAddEstimate(q, r2, Vector512.MultiplyAddEstimate(Vector512.Create(C5), r, Vector512.Create(C4)));
        q = Vector512.MultiplyAddEstimate(q, r2, Vector512.MultiplyAddEstimate(Vector512.Create(C3), r, Vector512.Create(C2)));
        q = Vector512.MultiplyAddEstimate(q, r2, Vector512.MultiplyAddEstimate(Vector512.Create(C1), r, Vector512.Create(C0)));
        Vector512<double> p = Vector512.MultiplyAddEstimate(q, r2, r); // e^r - 1
        Vector512<double> scale = Vector512.ShiftLeft(t.AsInt64(), 52).AsDouble();
        return Vector512.MultiplyAddEstimate(scale, p, scale) & keep; // 2^n (1 + p), rounded once
    }

    /// <inheritdoc cref="Exp(Vector512{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Exp(Vector256<double> x)
    {
        ref readonly Constants<Vector256<double>> k = ref Constants256;
        Vector256<double> keep = Avx.IsSupported ? Avx.CompareNotLessThan(x, k.Lower) : ~Vector256.LessThan(x, k.Lower);
        Vector256<double> xc = Vector256.MaxNative(k.Lower, x); // keeps a NaN
        Vector256<double> t = Vector256.MultiplyAddEstimate(xc, k.Log2E, k.RoundingBias);
        Vector256<double> n = t - k.RoundingBias;
        Vector256<double> r = Vector256.MultiplyAddEstimate(n, k.MinusLn2Lo, Vector256.MultiplyAddEstimate(n, k.MinusLn2Hi, xc));
        Vector256<double> r2 = r * r;
        Vector256<double> q = Vector256.MultiplyAddEstimate(k.C10, r2, Vector256.MultiplyAddEstimate(k.C9, r, k.C8));
        q = Vector256.MultiplyAddEstimate(q, r2, Vector256.MultiplyAddEstimate(k.C7, r, k.C6));
        q = Vector256.MultiplyAddEstimate(q, r2, Vector256.MultiplyAddEstimate(k.C5, r, k.C4));
        q = Vector256.MultiplyAddEstimate(q, r2, Vector256.MultiplyAddEstimate(k.C3, r, k.C2));
        q = Vector256.MultiplyAddEstimate(q, r2, Vector256.MultiplyAddEstimate(k.C1, r, k.C0));
        Vector256<double> p = Vector256.MultiplyAddEstimate(q, r2, r); // e^r - 1
        Vector256<double> scale = Vector256.ShiftLeft(t.AsInt64(), 52).AsDouble();
        return Vector256.MultiplyAddEstimate(scale, p, scale) & keep; // 2^n (1 + p), rounded once
    }

    /// <inheritdoc cref="Exp(Vector512{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Exp(Vector128<double> x)
    {
        ref readonly Constants<Vector128<double>> k = ref Constants128;
        Vector128<double> keep = Sse2.IsSupported ? Sse2.CompareNotLessThan(x, k.Lower) : ~Vector128.LessThan(x, k.Lower);
        Vector128<double> xc = Vector128.MaxNative(k.Lower, x); // keeps a NaN
        Vector128<double> t = Vector128.MultiplyAddEstimate(xc, k.Log2E, k.RoundingBias);
        Vector128<double> n = t - k.RoundingBias;
        Vector128<double> r = Vector128.MultiplyAddEstimate(n, k.MinusLn2Lo, Vector128.MultiplyAddEstimate(n, k.MinusLn2Hi, xc));
        Vector128<double> r2 = r * r;
        Vector128<double> q = Vector128.MultiplyAddEstimate(k.C10, r2, Vector128.MultiplyAddEstimate(k.C9, r, k.C8));
        q = Vector128.MultiplyAddEstimate(q, r2, Vector128.MultiplyAddEstimate(k.C7, r, k.C6));
        q = Vector128.MultiplyAddEstimate(q, r2, Vector128.MultiplyAddEstimate(k.C5, r, k.C4));
        q = Vector128.MultiplyAddEstimate(q, r2, Vector128.MultiplyAddEstimate(k.C3, r, k.C2));
        q = Vector128.MultiplyAddEstimate(q, r2, Vector128.MultiplyAddEstimate(k.C1, r, k.C0));
        Vector128<double> p = Vector128.MultiplyAddEstimate(q, r2, r); // e^r - 1
        Vector128<double> scale = Vector128.ShiftLeft(t.AsInt64(), 52).AsDouble();
        return Vector128.MultiplyAddEstimate(scale, p, scale) & keep; // 2^n (1 + p), rounded once
    }

    /// <summary>The constants, each splatted, in the order of <see cref="Table256"/>.</summary>
    internal readonly struct Constants<TV>
        where TV : struct
    {
        public readonly TV Lower, Log2E, RoundingBias, MinusLn2Hi, MinusLn2Lo, C0, C1, C2, C3, C4, C5, C6, C7, C8, C9, C10;
    }

    // The Vector256 and Vector128 forms read their constants from these tables, as instruction operands: written as
    // Vector256.Create constants, the JIT hoisted them out of the kernels' loops into registers, and with AVX2's 16
    // registers spilled them and reloaded six of them at every iteration ([2, 29, 13] axis 1, JIT disassembly).
    // Static data in the assembly image: no static field, so no class-initialization check.
    private static ref readonly Constants<Vector256<double>> Constants256 =>
        ref Unsafe.As<double, Constants<Vector256<double>>>(ref MemoryMarshal.GetReference(Table256));

    private static ref readonly Constants<Vector128<double>> Constants128 =>
        ref Unsafe.As<double, Constants<Vector128<double>>>(ref MemoryMarshal.GetReference(Table128));

    private static ReadOnlySpan<double> Table256 =>
    [
        LowerBound, LowerBound, LowerBound, LowerBound, Log2E, Log2E, Log2E, Log2E,
        RoundingBias, RoundingBias, RoundingBias, RoundingBias, MinusLn2Hi, MinusLn2Hi, MinusLn2Hi, MinusLn2Hi,
        MinusLn2Lo, MinusLn2Lo, MinusLn2Lo, MinusLn2Lo, C0, C0, C0, C0, C1, C1, C1, C1, C2, C2, C2, C2, C3, C3, C3, C3,
        C4, C4, C4, C4, C5, C5, C5, C5, C6, C6, C6, C6, C7, C7, C7, C7, C8, C8, C8, C8, C9, C9, C9, C9, C10, C10, C10, C10,
    ];

    private static ReadOnlySpan<double> Table128 =>
    [
        LowerBound, LowerBound, Log2E, Log2E, RoundingBias, RoundingBias, MinusLn2Hi, MinusLn2Hi, MinusLn2Lo, MinusLn2Lo,
        C0, C0, C1, C1, C2, C2, C3, C3, C4, C4, C5, C5, C6, C6, C7, C7, C8, C8, C9, C9, C10, C10,
    ];
}
