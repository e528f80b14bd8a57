using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace KernelGen.Internal;

/// <summary>
/// The training row functions behind <see cref="CompilerServices.TrainingRows"/>. First form: plain scalar loops,
/// computed in double.
/// </summary>
internal static class TrainingDispatch
{
    public static void SoftmaxGradient<T>(ref T y, ref T dy, ref T dx, nint n, T scale)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        SoftmaxGradientColumns(ref y, ref dy, ref dx, n, 1, scale);

    public static void LogSoftmaxGradient<T>(ref T y, ref T dy, ref T dx, nint n, T scale)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        LogSoftmaxGradientColumns(ref y, ref dy, ref dx, n, 1, scale);

    public static void SoftmaxGradientColumns<T>(ref T y, ref T dy, ref T dx, nint n, nint inner, T scale)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        double s = double.CreateTruncating(scale);
        for (nint k = 0; k < inner; k++)
        {
            // sum(dy * y) in double-double: products exact (two-product), sums compensated (two-sum), so that
            // dy - sum keeps its precision where it cancels (the dominant element of a peaked row).
            double hi = 0, lo = 0;
            for (nint i = 0; i < n; i++)
            {
                double a = double.CreateTruncating(Unsafe.Add(ref dy, i * inner + k)), b = double.CreateTruncating(Unsafe.Add(ref y, i * inner + k));
                double p = a * b;
                double pe = Math.FusedMultiplyAdd(a, b, -p);
                (hi, double e) = TwoSum(hi, p);
                lo += e + pe;
            }
            for (nint i = 0; i < n; i++)
            {
                double yi = double.CreateTruncating(Unsafe.Add(ref y, i * inner + k));
                double dyi = double.CreateTruncating(Unsafe.Add(ref dy, i * inner + k));
                Unsafe.Add(ref dx, i * inner + k) = T.CreateTruncating(s * (yi * ((dyi - hi) - lo)));
            }
        }
    }

    public static void LogSoftmaxGradientColumns<T>(ref T y, ref T dy, ref T dx, nint n, nint inner, T scale)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        double s = double.CreateTruncating(scale);
        for (nint k = 0; k < inner; k++)
        {
            double hi = 0, lo = 0;
            for (nint i = 0; i < n; i++)
            {
                (hi, double e) = TwoSum(hi, double.CreateTruncating(Unsafe.Add(ref dy, i * inner + k)));
                lo += e;
            }
            for (nint i = 0; i < n; i++)
            {
                double yi = double.CreateTruncating(Unsafe.Add(ref y, i * inner + k));
                double dyi = double.CreateTruncating(Unsafe.Add(ref dy, i * inner + k));
                Unsafe.Add(ref dx, i * inner + k) = T.CreateTruncating(s * LogGradient(yi, dyi, hi, lo));
            }
        }
    }

    /// <summary>
    /// dy - exp(y) * sum, sum = hi + lo. Near y = 0 (a confident log-probability) as (dy - sum) - sum * expm1(y), which
    /// keeps its precision where dy is close to sum (the negative log-likelihood's gradient at the target).
    /// </summary>
    internal static double LogGradient(double y, double dy, double hi, double lo)
    {
        if (y > ExpM1Threshold)
        {
            return ((dy - hi) - lo) - (hi + lo) * ExpM1(y);
        }
        double e = Math.Exp(y);
        double p = e * hi;
        double pe = Math.FusedMultiplyAdd(e, hi, -p);
        return ((dy - p) - pe) - e * lo;
    }

    /// <summary>Above this y the log-softmax gradient goes through expm1.</summary>
    internal const double ExpM1Threshold = -0.5;

    /// <summary>exp(y) - 1 to a few ULP for |y| &lt; 1 (Kahan's method: the rounding of exp cancels in (u - 1) / log(u)).</summary>
    internal static double ExpM1(double y)
    {
        double u = Math.Exp(y);
        if (u == 1) return y;
        double um1 = u - 1;
        return um1 * y / Math.Log(u);
    }

    internal static (double Sum, double Error) TwoSum(double a, double b)
    {
        double sum = a + b;
        double bb = sum - a;
        return (sum, (a - (sum - bb)) + (b - bb));
    }

    public static T CrossEntropy<T>(ref T x, nint n, int target, T scale)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Unsafe.SkipInit(out T unused);
        return CrossEntropyCore(ref x, n, target, scale, T.Zero, false, ref unused, gradient: false);
    }

    public static T CrossEntropyWithGradient<T>(ref T x, nint n, int target, T scale, T gradientFactor, bool zeroMaskedRows, ref T dx)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        CrossEntropyCore(ref x, n, target, scale, gradientFactor, zeroMaskedRows, ref dx, gradient: true);

    private static T CrossEntropyCore<T>(ref T x, nint n, int target, T scale, T gradientFactor, bool zeroMaskedRows, ref T dx, bool gradient)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        // z = scale * x, rounded to T as the forward kernels do.
        double m = double.NegativeInfinity;
        bool nan = false;
        for (nint i = 0; i < n; i++)
        {
            double z = double.CreateTruncating(scale * Unsafe.Add(ref x, i));
            if (double.IsNaN(z)) nan = true;
            else if (z > m) m = z;
        }
        double zt = double.CreateTruncating(scale * Unsafe.Add(ref x, target));
        double g = double.CreateTruncating(gradientFactor);
        if (nan || double.IsPositiveInfinity(m))
        {
            if (gradient) Fill(ref dx, n, T.NaN);
            return T.NaN;
        }
        if (double.IsNegativeInfinity(m))
        {
            if (gradient) Fill(ref dx, n, zeroMaskedRows ? T.Zero : T.NaN);
            return T.PositiveInfinity;
        }
        // The maxima (exp exactly 1) are counted apart from the others, so log(sum) keeps its precision near 0.
        double count = 0, others = 0, lost = 0;
        for (nint i = 0; i < n; i++)
        {
            double d = double.CreateTruncating(scale * Unsafe.Add(ref x, i)) - m;
            if (d == 0) count++;
            else
            {
                (others, double e) = TwoSum(others, Math.Exp(d));
                lost += e;
            }
        }
        others += lost;
        double sum = count + others;
        double logSum = count == 1 ? LogSumExp.Log1P(others) : Math.Log(sum);
        double shiftedTarget = zt - m;
        if (gradient)
        {
            double factor = g / sum;
            for (nint i = 0; i < n; i++)
            {
                double d = double.CreateTruncating(scale * Unsafe.Add(ref x, i)) - m;
                T value = T.CreateTruncating(Math.Exp(d) * factor);
                // Float results below the normal range are 0, as the forward softmax's.
                if (typeof(T) == typeof(float) && T.Abs(value) < T.CreateTruncating(Lanes.SmallestNormalFloat)) value = T.Zero;
                Unsafe.Add(ref dx, i) = value;
            }
            // softmax - 1 at the target: -(sum of the others) / sum, which keeps its precision when the target is the
            // unique maximum and its probability is close to 1.
            double rest = count == 1 && shiftedTarget == 0 ? others : sum - Math.Exp(shiftedTarget);
            Unsafe.Add(ref dx, target) = T.CreateTruncating(-g * (rest / sum));
        }
        return T.CreateTruncating(logSum - shiftedTarget);
    }

    private static void Fill<T>(ref T destination, nint n, T value)
    {
        for (nint i = 0; i < n; i++) Unsafe.Add(ref destination, i) = value;
    }
}
