using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace KernelGen.Internal;

/// <summary>
/// Per-lane double-double accumulators of the training kernels (<see cref="ITrainingSimd{TV, T, TW}"/>): lane j holds
/// <c>S + E</c>, a sum and the rounding errors it lost. For float vectors the lanes are doubles, the first half of a
/// vector's lanes in <see cref="S0"/> and <see cref="E0"/>, the second half in <see cref="S1"/> and <see cref="E1"/>;
/// for double vectors and the scalar path only <see cref="S0"/> and <see cref="E0"/> are used. default is zero.
/// </summary>
internal struct Wide<TW>
    where TW : struct
{
    public TW S0, E0, S1, E1;
}

/// <summary>
/// What the training kernels need beyond <see cref="ISimd{TV, T}"/>: sums and dot products carried per lane in
/// double-double (float lanes widened to double, whose products of two floats are exact; double lanes with the
/// two-product of a fused multiply-add), and the gradient formulas evaluated from them in double. <typeparamref name="TW"/>
/// is the vector of doubles as wide as <typeparamref name="TV"/> (double for the scalar path).
/// </summary>
internal interface ITrainingSimd<TV, T, TW> : ISimd<TV, T>
    where TV : struct
    where TW : struct
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>A vector of doubles, every lane <paramref name="value"/>.</summary>
    static abstract TW CreateWide(double value);
    /// <summary>Per lane, |x|.</summary>
    static abstract TV Abs(TV x);
    /// <summary>Per lane, the smaller of a and b (the hardware min: unspecified for NaN).</summary>
    static abstract TV MinNative(TV a, TV b);
    /// <summary>
    /// Per lane, adds <c>a * b</c> (float lanes) into double accumulators, the first half of the lanes into
    /// <paramref name="sum0"/>, the second into <paramref name="sum1"/>; returns the product rounded to float. Where the
    /// hardware fuses multiply-adds, the product p is rounded to float, p goes into the doubles and its exact rounding
    /// error <c>fma(a, b, -p)</c> into the float <paramref name="error"/> (one conversion instead of two); elsewhere both
    /// operands are widened and their exact product added. Each double add rounds once; <paramref name="error"/>'s
    /// float sum is off by at most 2^-24 of the sum of |errors| per add, that is 2^-48 of the products' magnitude.
    /// </summary>
    static abstract TV AddProductDouble(ref TW sum0, ref TW sum1, ref TV error, TV a, TV b);
    /// <summary>The sum of every lane of two double accumulators.</summary>
    static abstract double SumDouble(TW sum0, TW sum1);
    /// <summary>True if any lane of <paramref name="x"/> is below the same lane of <paramref name="bound"/>.</summary>
    static abstract bool AnyLessThan(TV x, TV bound);
    /// <summary>Per lane, adds <c>a * b</c> to the accumulator, exactly up to the final sum's rounding (Ogita, Rump and Oishi's Dot2).</summary>
    static abstract void AddProduct(ref Wide<TW> sum, TV a, TV b);
    /// <summary>Per lane, adds <paramref name="a"/> to the accumulator with its rounding error kept (two-sum).</summary>
    static abstract void AddValue(ref Wide<TW> sum, TV a);
    /// <summary>The total of every lane of an accumulator, as a double-double (hi, lo).</summary>
    static abstract (double Hi, double Lo) Total(in Wide<TW> sum);
    /// <summary>An accumulator whose every lane holds hi + lo.</summary>
    static abstract Wide<TW> Broadcast(double hi, double lo);
    /// <summary>Per lane, <c>scale * y * (dy - dot)</c> in double (dot = S + E), rounded once to the element type.</summary>
    static abstract TV SoftmaxGradient(TV y, TV dy, in Wide<TW> dot, TW scale);
    /// <summary>
    /// Per lane, <c>scale * (dy - exp(y) * sum)</c> in double (sum = S + E), rounded once to the element type; for y
    /// above -0.5 as <c>(dy - sum) - sum * expm1(y)</c>, which keeps its precision where exp(y) is close to 1.
    /// </summary>
    static abstract TV LogSoftmaxGradient(TV y, TV dy, in Wide<TW> sum, TW scale);
}

/// <summary>The double arithmetic of <see cref="ITrainingSimd{TV, T, TW}"/>, per width.</summary>
internal static class WideMath
{
    /// <summary>Above this, the log-softmax gradient goes through expm1.</summary>
    public const double ExpM1Threshold = -0.5;

    /// <summary>s + x with its rounding error added to e (Knuth's branch-free two-sum).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddTwoSum(ref double s, ref double e, double x)
    {
        double t = s + x;
        double bb = t - s;
        e += (s - (t - bb)) + (x - bb);
        s = t;
    }

    /// <summary>dy - exp(y) * (s + e), as <see cref="ITrainingSimd{TV, T, TW}.LogSoftmaxGradient"/> describes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double LogGradient(double y, double dy, double s, double e)
    {
        double u = Math.Exp(y);
        if (y > ExpM1Threshold)
        {
            // Kahan's expm1: the rounding of u cancels in (u - 1) y / log(u).
            double em1 = u == 1 ? y : (u - 1) * y / Math.Log(u);
            return ((dy - s) - e) - (s + e) * em1;
        }
        double p = u * s;
        double pe = Math.FusedMultiplyAdd(u, s, -p);
        return ((dy - p) - pe) - u * e;
    }

    /// <summary>Adds the double-double b to a, normalised.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (double Hi, double Lo) Add((double Hi, double Lo) a, (double Hi, double Lo) b)
    {
        double hi = a.Hi, lo = a.Lo + b.Lo;
        AddTwoSum(ref hi, ref lo, b.Hi);
        return Normalize(hi, lo);
    }

    /// <summary>(hi, lo) with hi = hi + lo rounded (two-sum).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (double Hi, double Lo) Normalize(double hi, double lo)
    {
        double s = hi, e = 0;
        AddTwoSum(ref s, ref e, lo);
        return double.IsFinite(s) ? (s, e) : (s, 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddTwoSum(ref Vector256<double> s, ref Vector256<double> e, Vector256<double> x)
    {
        Vector256<double> t = s + x;
        Vector256<double> bb = t - s;
        e += (s - (t - bb)) + (x - bb);
        s = t;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> LogGradient(Vector256<double> y, Vector256<double> dy, Vector256<double> s, Vector256<double> e)
    {
        Vector256<double> u = DoubleExpSteps.Exp(y);
        Vector256<double> p = u * s;
        Vector256<double> pe = Vector256.FusedMultiplyAdd(u, s, -p);
        Vector256<double> result = ((dy - p) - pe) - u * e;
        Vector256<double> near = Vector256.GreaterThan(y, Vector256.Create(ExpM1Threshold));
        if (near != Vector256<double>.Zero)
        {
            Vector256<double> one = Vector256<double>.One;
            Vector256<double> em1 = Vector256.ConditionalSelect(Vector256.Equals(u, one), y, (u - one) * y / Vector256.Log(u));
            result = Vector256.ConditionalSelect(near, ((dy - s) - e) - (s + e) * em1, result);
        }
        return result;
    }

    public static (double Hi, double Lo) Total(Vector256<double> s, Vector256<double> e, (double Hi, double Lo) total)
    {
        double hi = total.Hi, lo = total.Lo;
        for (int j = 0; j < Vector256<double>.Count; j++)
        {
            AddTwoSum(ref hi, ref lo, s.GetElement(j));
            lo += e.GetElement(j);
        }
        return (hi, lo);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddTwoSum(ref Vector512<double> s, ref Vector512<double> e, Vector512<double> x)
    {
        Vector512<double> t = s + x;
        Vector512<double> bb = t - s;
        e += (s - (t - bb)) + (x - bb);
        s = t;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> LogGradient(Vector512<double> y, Vector512<double> dy, Vector512<double> s, Vector512<double> e)
    {
        Vector512<double> u = DoubleExpSteps.Exp(y);
        Vector512<double> p = u * s;
        Vector512<double> pe = Vector512.FusedMultiplyAdd(u, s, -p);
        Vector512<double> result = ((dy - p) - pe) - u * e;
        Vector512<double> near = Vector512.GreaterThan(y, Vector512.Create(ExpM1Threshold));
        if (near != Vector512<double>.Zero)
        {
            Vector512<double> one = Vector512<double>.One;
            Vector512<double> em1 = Vector512.ConditionalSelect(Vector512.Equals(u, one), y, (u - one) * y / Vector512.Log(u));
            result = Vector512.ConditionalSelect(near, ((dy - s) - e) - (s + e) * em1, result);
        }
        return result;
    }

    public static (double Hi, double Lo) Total(Vector512<double> s, Vector512<double> e, (double Hi, double Lo) total)
    {
        double hi = total.Hi, lo = total.Lo;
        for (int j = 0; j < Vector512<double>.Count; j++)
        {
            AddTwoSum(ref hi, ref lo, s.GetElement(j));
            lo += e.GetElement(j);
        }
        return (hi, lo);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddTwoSum(ref Vector128<double> s, ref Vector128<double> e, Vector128<double> x)
    {
        Vector128<double> t = s + x;
        Vector128<double> bb = t - s;
        e += (s - (t - bb)) + (x - bb);
        s = t;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> LogGradient(Vector128<double> y, Vector128<double> dy, Vector128<double> s, Vector128<double> e)
    {
        Vector128<double> u = DoubleExpSteps.Exp(y);
        Vector128<double> p = u * s;
        Vector128<double> pe = Vector128.FusedMultiplyAdd(u, s, -p);
        Vector128<double> result = ((dy - p) - pe) - u * e;
        Vector128<double> near = Vector128.GreaterThan(y, Vector128.Create(ExpM1Threshold));
        if (near != Vector128<double>.Zero)
        {
            Vector128<double> one = Vector128<double>.One;
            Vector128<double> em1 = Vector128.ConditionalSelect(Vector128.Equals(u, one), y, (u - one) * y / Vector128.Log(u));
            result = Vector128.ConditionalSelect(near, ((dy - s) - e) - (s + e) * em1, result);
        }
        return result;
    }

    public static (double Hi, double Lo) Total(Vector128<double> s, Vector128<double> e, (double Hi, double Lo) total)
    {
        double hi = total.Hi, lo = total.Lo;
        for (int j = 0; j < Vector128<double>.Count; j++)
        {
            AddTwoSum(ref hi, ref lo, s.GetElement(j));
            lo += e.GetElement(j);
        }
        return (hi, lo);
    }
}

internal readonly partial struct Simd256<T> : ITrainingSimd<Vector256<T>, T, Vector256<double>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> CreateWide(double value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Abs(Vector256<T> x) => Vector256.Abs(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MinNative(Vector256<T> a, Vector256<T> b) => Vector256.MinNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> AddProductDouble(ref Vector256<double> sum0, ref Vector256<double> sum1, ref Vector256<T> error, Vector256<T> a, Vector256<T> b)
    {
        if (typeof(T) == typeof(float) && (Fma.IsSupported || AdvSimd.IsSupported))
        {
            Vector256<float> af = a.AsSingle(), bf = b.AsSingle();
            Vector256<float> p = af * bf;
            error += Vector256.FusedMultiplyAdd(af, bf, -p).As<float, T>();
            (Vector256<double> p0, Vector256<double> p1) = Vector256.Widen(p);
            sum0 += p0;
            sum1 += p1;
            return p.As<float, T>();
        }
        if (typeof(T) == typeof(float))
        {
            (Vector256<double> a0, Vector256<double> a1) = Vector256.Widen(a.AsSingle());
            (Vector256<double> b0, Vector256<double> b1) = Vector256.Widen(b.AsSingle());
            sum0 += a0 * b0; // exact products
            sum1 += a1 * b1;
            return a * b;
        }
        Vector256<double> product = a.AsDouble() * b.AsDouble(); // double lanes: not exact (no double kernel uses this)
        sum0 += product;
        return product.As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumDouble(Vector256<double> sum0, Vector256<double> sum1) => Vector256.Sum(sum0 + sum1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AnyLessThan(Vector256<T> x, Vector256<T> bound) => Vector256.LessThanAny(x, bound);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddProduct(ref Wide<Vector256<double>> sum, Vector256<T> a, Vector256<T> b)
    {
        if (typeof(T) == typeof(float))
        {
            (Vector256<double> a0, Vector256<double> a1) = Vector256.Widen(a.AsSingle());
            (Vector256<double> b0, Vector256<double> b1) = Vector256.Widen(b.AsSingle());
            WideMath.AddTwoSum(ref sum.S0, ref sum.E0, a0 * b0); // products of floats are exact in double
            WideMath.AddTwoSum(ref sum.S1, ref sum.E1, a1 * b1);
        }
        else
        {
            Vector256<double> ad = a.AsDouble(), bd = b.AsDouble();
            Vector256<double> p = ad * bd;
            sum.E0 += Vector256.FusedMultiplyAdd(ad, bd, -p);
            WideMath.AddTwoSum(ref sum.S0, ref sum.E0, p);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddValue(ref Wide<Vector256<double>> sum, Vector256<T> a)
    {
        if (typeof(T) == typeof(float))
        {
            (Vector256<double> a0, Vector256<double> a1) = Vector256.Widen(a.AsSingle());
            WideMath.AddTwoSum(ref sum.S0, ref sum.E0, a0);
            WideMath.AddTwoSum(ref sum.S1, ref sum.E1, a1);
        }
        else
        {
            WideMath.AddTwoSum(ref sum.S0, ref sum.E0, a.AsDouble());
        }
    }

    public static (double Hi, double Lo) Total(in Wide<Vector256<double>> sum)
    {
        (double Hi, double Lo) total = WideMath.Total(sum.S0, sum.E0, (0, 0));
        if (typeof(T) == typeof(float)) total = WideMath.Total(sum.S1, sum.E1, total);
        return WideMath.Normalize(total.Hi, total.Lo);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Wide<Vector256<double>> Broadcast(double hi, double lo)
    {
        Wide<Vector256<double>> w;
        w.S0 = w.S1 = Vector256.Create(hi);
        w.E0 = w.E1 = Vector256.Create(lo);
        return w;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> SoftmaxGradient(Vector256<T> y, Vector256<T> dy, in Wide<Vector256<double>> dot, Vector256<double> scale)
    {
        if (typeof(T) == typeof(float))
        {
            (Vector256<double> y0, Vector256<double> y1) = Vector256.Widen(y.AsSingle());
            (Vector256<double> d0, Vector256<double> d1) = Vector256.Widen(dy.AsSingle());
            return Vector256.Narrow(((d0 - dot.S0) - dot.E0) * y0 * scale, ((d1 - dot.S1) - dot.E1) * y1 * scale).As<float, T>();
        }
        return (((dy.AsDouble() - dot.S0) - dot.E0) * y.AsDouble() * scale).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> LogSoftmaxGradient(Vector256<T> y, Vector256<T> dy, in Wide<Vector256<double>> sum, Vector256<double> scale)
    {
        if (typeof(T) == typeof(float))
        {
            (Vector256<double> y0, Vector256<double> y1) = Vector256.Widen(y.AsSingle());
            (Vector256<double> d0, Vector256<double> d1) = Vector256.Widen(dy.AsSingle());
            return Vector256.Narrow(WideMath.LogGradient(y0, d0, sum.S0, sum.E0) * scale, WideMath.LogGradient(y1, d1, sum.S1, sum.E1) * scale).As<float, T>();
        }
        return (WideMath.LogGradient(y.AsDouble(), dy.AsDouble(), sum.S0, sum.E0) * scale).As<double, T>();
    }
}

internal readonly partial struct Simd512<T> : ITrainingSimd<Vector512<T>, T, Vector512<double>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> CreateWide(double value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Abs(Vector512<T> x) => Vector512.Abs(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MinNative(Vector512<T> a, Vector512<T> b) => Vector512.MinNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> AddProductDouble(ref Vector512<double> sum0, ref Vector512<double> sum1, ref Vector512<T> error, Vector512<T> a, Vector512<T> b)
    {
        if (typeof(T) == typeof(float) && (Fma.IsSupported || AdvSimd.IsSupported))
        {
            Vector512<float> af = a.AsSingle(), bf = b.AsSingle();
            Vector512<float> p = af * bf;
            error += Vector512.FusedMultiplyAdd(af, bf, -p).As<float, T>();
            (Vector512<double> p0, Vector512<double> p1) = Vector512.Widen(p);
            sum0 += p0;
            sum1 += p1;
            return p.As<float, T>();
        }
        if (typeof(T) == typeof(float))
        {
            (Vector512<double> a0, Vector512<double> a1) = Vector512.Widen(a.AsSingle());
            (Vector512<double> b0, Vector512<double> b1) = Vector512.Widen(b.AsSingle());
            sum0 += a0 * b0; // exact products
            sum1 += a1 * b1;
            return a * b;
        }
        Vector512<double> product = a.AsDouble() * b.AsDouble(); // double lanes: not exact (no double kernel uses this)
        sum0 += product;
        return product.As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumDouble(Vector512<double> sum0, Vector512<double> sum1) => Vector512.Sum(sum0 + sum1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AnyLessThan(Vector512<T> x, Vector512<T> bound) => Vector512.LessThanAny(x, bound);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddProduct(ref Wide<Vector512<double>> sum, Vector512<T> a, Vector512<T> b)
    {
        if (typeof(T) == typeof(float))
        {
            (Vector512<double> a0, Vector512<double> a1) = Vector512.Widen(a.AsSingle());
            (Vector512<double> b0, Vector512<double> b1) = Vector512.Widen(b.AsSingle());
            WideMath.AddTwoSum(ref sum.S0, ref sum.E0, a0 * b0); // products of floats are exact in double
            WideMath.AddTwoSum(ref sum.S1, ref sum.E1, a1 * b1);
        }
        else
        {
            Vector512<double> ad = a.AsDouble(), bd = b.AsDouble();
            Vector512<double> p = ad * bd;
            sum.E0 += Vector512.FusedMultiplyAdd(ad, bd, -p);
            WideMath.AddTwoSum(ref sum.S0, ref sum.E0, p);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddValue(ref Wide<Vector512<double>> sum, Vector512<T> a)
    {
        if (typeof(T) == typeof(float))
        {
            (Vector512<double> a0, Vector512<double> a1) = Vector512.Widen(a.AsSingle());
            WideMath.AddTwoSum(ref sum.S0, ref sum.E0, a0);
            WideMath.AddTwoSum(ref sum.S1, ref sum.E1, a1);
        }
        else
        {
            WideMath.AddTwoSum(ref sum.S0, ref sum.E0, a.AsDouble());
        }
    }

    public static (double Hi, double Lo) Total(in Wide<Vector512<double>> sum)
    {
        (double Hi, double Lo) total = WideMath.Total(sum.S0, sum.E0, (0, 0));
        if (typeof(T) == typeof(float)) total = WideMath.Total(sum.S1, sum.E1, total);
        return WideMath.Normalize(total.Hi, total.Lo);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Wide<Vector512<double>> Broadcast(double hi, double lo)
    {
        Wide<Vector512<double>> w;
        w.S0 = w.S1 = Vector512.Create(hi);
        w.E0 = w.E1 = Vector512.Create(lo);
        return w;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> SoftmaxGradient(Vector512<T> y, Vector512<T> dy, in Wide<Vector512<double>> dot, Vector512<double> scale)
    {
        if (typeof(T) == typeof(float))
        {
            (Vector512<double> y0, Vector512<double> y1) = Vector512.Widen(y.AsSingle());
            (Vector512<double> d0, Vector512<double> d1) = Vector512.Widen(dy.AsSingle());
            return Vector512.Narrow(((d0 - dot.S0) - dot.E0) * y0 * scale, ((d1 - dot.S1) - dot.E1) * y1 * scale).As<float, T>();
        }
        return (((dy.AsDouble() - dot.S0) - dot.E0) * y.AsDouble() * scale).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> LogSoftmaxGradient(Vector512<T> y, Vector512<T> dy, in Wide<Vector512<double>> sum, Vector512<double> scale)
    {
        if (typeof(T) == typeof(float))
        {
            (Vector512<double> y0, Vector512<double> y1) = Vector512.Widen(y.AsSingle());
            (Vector512<double> d0, Vector512<double> d1) = Vector512.Widen(dy.AsSingle());
            return Vector512.Narrow(WideMath.LogGradient(y0, d0, sum.S0, sum.E0) * scale, WideMath.LogGradient(y1, d1, sum.S1, sum.E1) * scale).As<float, T>();
        }
        return (WideMath.LogGradient(y.AsDouble(), dy.AsDouble(), sum.S0, sum.E0) * scale).As<double, T>();
    }
}

internal readonly partial struct Simd128<T> : ITrainingSimd<Vector128<T>, T, Vector128<double>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> CreateWide(double value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Abs(Vector128<T> x) => Vector128.Abs(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MinNative(Vector128<T> a, Vector128<T> b) => Vector128.MinNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> AddProductDouble(ref Vector128<double> sum0, ref Vector128<double> sum1, ref Vector128<T> error, Vector128<T> a, Vector128<T> b)
    {
        if (typeof(T) == typeof(float) && (Fma.IsSupported || AdvSimd.IsSupported))
        {
            Vector128<float> af = a.AsSingle(), bf = b.AsSingle();
            Vector128<float> p = af * bf;
            error += Vector128.FusedMultiplyAdd(af, bf, -p).As<float, T>();
            (Vector128<double> p0, Vector128<double> p1) = Vector128.Widen(p);
            sum0 += p0;
            sum1 += p1;
            return p.As<float, T>();
        }
        if (typeof(T) == typeof(float))
        {
            (Vector128<double> a0, Vector128<double> a1) = Vector128.Widen(a.AsSingle());
            (Vector128<double> b0, Vector128<double> b1) = Vector128.Widen(b.AsSingle());
            sum0 += a0 * b0; // exact products
            sum1 += a1 * b1;
            return a * b;
        }
        Vector128<double> product = a.AsDouble() * b.AsDouble(); // double lanes: not exact (no double kernel uses this)
        sum0 += product;
        return product.As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumDouble(Vector128<double> sum0, Vector128<double> sum1) => Vector128.Sum(sum0 + sum1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AnyLessThan(Vector128<T> x, Vector128<T> bound) => Vector128.LessThanAny(x, bound);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddProduct(ref Wide<Vector128<double>> sum, Vector128<T> a, Vector128<T> b)
    {
        if (typeof(T) == typeof(float))
        {
            (Vector128<double> a0, Vector128<double> a1) = Vector128.Widen(a.AsSingle());
            (Vector128<double> b0, Vector128<double> b1) = Vector128.Widen(b.AsSingle());
            WideMath.AddTwoSum(ref sum.S0, ref sum.E0, a0 * b0); // products of floats are exact in double
            WideMath.AddTwoSum(ref sum.S1, ref sum.E1, a1 * b1);
        }
        else
        {
            Vector128<double> ad = a.AsDouble(), bd = b.AsDouble();
            Vector128<double> p = ad * bd;
            sum.E0 += Vector128.FusedMultiplyAdd(ad, bd, -p);
            WideMath.AddTwoSum(ref sum.S0, ref sum.E0, p);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddValue(ref Wide<Vector128<double>> sum, Vector128<T> a)
    {
        if (typeof(T) == typeof(float))
        {
            (Vector128<double> a0, Vector128<double> a1) = Vector128.Widen(a.AsSingle());
            WideMath.AddTwoSum(ref sum.S0, ref sum.E0, a0);
            WideMath.AddTwoSum(ref sum.S1, ref sum.E1, a1);
        }
        else
        {
            WideMath.AddTwoSum(ref sum.S0, ref sum.E0, a.AsDouble());
        }
    }

    public static (double Hi, double Lo) Total(in Wide<Vector128<double>> sum)
    {
        (double Hi, double Lo) total = WideMath.Total(sum.S0, sum.E0, (0, 0));
        if (typeof(T) == typeof(float)) total = WideMath.Total(sum.S1, sum.E1, total);
        return WideMath.Normalize(total.Hi, total.Lo);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Wide<Vector128<double>> Broadcast(double hi, double lo)
    {
        Wide<Vector128<double>> w;
        w.S0 = w.S1 = Vector128.Create(hi);
        w.E0 = w.E1 = Vector128.Create(lo);
        return w;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> SoftmaxGradient(Vector128<T> y, Vector128<T> dy, in Wide<Vector128<double>> dot, Vector128<double> scale)
    {
        if (typeof(T) == typeof(float))
        {
            (Vector128<double> y0, Vector128<double> y1) = Vector128.Widen(y.AsSingle());
            (Vector128<double> d0, Vector128<double> d1) = Vector128.Widen(dy.AsSingle());
            return Vector128.Narrow(((d0 - dot.S0) - dot.E0) * y0 * scale, ((d1 - dot.S1) - dot.E1) * y1 * scale).As<float, T>();
        }
        return (((dy.AsDouble() - dot.S0) - dot.E0) * y.AsDouble() * scale).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> LogSoftmaxGradient(Vector128<T> y, Vector128<T> dy, in Wide<Vector128<double>> sum, Vector128<double> scale)
    {
        if (typeof(T) == typeof(float))
        {
            (Vector128<double> y0, Vector128<double> y1) = Vector128.Widen(y.AsSingle());
            (Vector128<double> d0, Vector128<double> d1) = Vector128.Widen(dy.AsSingle());
            return Vector128.Narrow(WideMath.LogGradient(y0, d0, sum.S0, sum.E0) * scale, WideMath.LogGradient(y1, d1, sum.S1, sum.E1) * scale).As<float, T>();
        }
        return (WideMath.LogGradient(y.AsDouble(), dy.AsDouble(), sum.S0, sum.E0) * scale).As<double, T>();
    }
}

internal readonly partial struct SimdScalar<T> : ITrainingSimd<T, T, double>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double CreateWide(double value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Abs(T x) => T.Abs(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MinNative(T a, T b) => a < b ? a : b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T AddProductDouble(ref double sum0, ref double sum1, ref T error, T a, T b)
    {
        sum0 += double.CreateTruncating(a) * double.CreateTruncating(b); // exact for floats
        return a * b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumDouble(double sum0, double sum1) => sum0 + sum1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AnyLessThan(T x, T bound) => x < bound;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddProduct(ref Wide<double> sum, T a, T b)
    {
        double ad = double.CreateTruncating(a), bd = double.CreateTruncating(b);
        double p = ad * bd;
        if (typeof(T) == typeof(double)) sum.E0 += Math.FusedMultiplyAdd(ad, bd, -p); // floats' products are exact
        WideMath.AddTwoSum(ref sum.S0, ref sum.E0, p);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddValue(ref Wide<double> sum, T a) => WideMath.AddTwoSum(ref sum.S0, ref sum.E0, double.CreateTruncating(a));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (double Hi, double Lo) Total(in Wide<double> sum) => WideMath.Normalize(sum.S0, sum.E0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Wide<double> Broadcast(double hi, double lo)
    {
        Wide<double> w = default;
        w.S0 = hi;
        w.E0 = lo;
        return w;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SoftmaxGradient(T y, T dy, in Wide<double> dot, double scale) =>
        T.CreateTruncating(((double.CreateTruncating(dy) - dot.S0) - dot.E0) * double.CreateTruncating(y) * scale);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T LogSoftmaxGradient(T y, T dy, in Wide<double> sum, double scale) =>
        T.CreateTruncating(WideMath.LogGradient(double.CreateTruncating(y), double.CreateTruncating(dy), sum.S0, sum.E0) * scale);
}
