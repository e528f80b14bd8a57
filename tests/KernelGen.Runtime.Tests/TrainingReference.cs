using System;
using System.Collections.Generic;
using KernelGen.Tests;

namespace KernelGen.Runtime.Tests;

/// <summary>
/// Double-double arithmetic (about 106 bits): the reference for the double training kernels, and the exact sums of
/// products of the float ones.
/// </summary>
public readonly record struct DoubleDouble(double Hi, double Lo)
{
    public static DoubleDouble operator +(DoubleDouble a, DoubleDouble b)
    {
        (double s, double e) = TwoSum(a.Hi, b.Hi);
        e += a.Lo + b.Lo;
        return Normalize(s, e);
    }

    public static DoubleDouble operator -(DoubleDouble a, DoubleDouble b) => a + new DoubleDouble(-b.Hi, -b.Lo);

    public static DoubleDouble operator *(DoubleDouble a, DoubleDouble b)
    {
        double p = a.Hi * b.Hi;
        double e = Math.FusedMultiplyAdd(a.Hi, b.Hi, -p);
        e += a.Hi * b.Lo + a.Lo * b.Hi;
        return Normalize(p, e);
    }

    public static DoubleDouble operator /(DoubleDouble a, DoubleDouble b)
    {
        double q = a.Hi / b.Hi;
        DoubleDouble r = a - b * q;
        double q2 = r.Hi / b.Hi;
        return Normalize(q, q2);
    }

    public static implicit operator DoubleDouble(double value) => new(value, 0);

    public double Value => Hi + Lo;

    private static (double Sum, double Error) TwoSum(double a, double b)
    {
        double s = a + b;
        double bb = s - a;
        return (s, (a - (s - bb)) + (b - bb));
    }

    private static DoubleDouble Normalize(double hi, double lo)
    {
        if (!double.IsFinite(hi)) return new DoubleDouble(hi, 0);
        (double s, double e) = TwoSum(hi, lo);
        return new DoubleDouble(s, e);
    }
}

/// <summary>
/// The references of the training kernels, computed in double-double from the kernels' own inputs (float inputs widened
/// exactly): the gradients of softmax and log-softmax, the cross-entropy loss and its gradient.
/// </summary>
public static class TrainingReference
{
    /// <summary>dx = scale * y * (dy - sum(dy * y)) per row of the [outer, length, inner] layout.</summary>
    /// <remarks>
    /// <paramref name="allowance"/> gets, per element, the error a compensated (double-double) dot product may leave,
    /// |scale y| n 2^-104 sum|dy y| (double-double is not exact: where dy - sum(dy y) cancels to far below the
    /// products, as for the dominant element of a peaked row, neither the kernel nor this reference is exact in double).
    /// </remarks>
    public static double[] SoftmaxGradient(ReadOnlySpan<double> y, ReadOnlySpan<double> dy, int outer, int length, int inner, double scale) =>
        SoftmaxGradient(y, dy, outer, length, inner, scale, out _);

    public static double[] SoftmaxGradient(ReadOnlySpan<double> y, ReadOnlySpan<double> dy, int outer, int length, int inner, double scale, out double[] allowance)
    {
        var dx = new double[y.Length];
        allowance = new double[y.Length];
        for (int o = 0; o < outer; o++)
        {
            for (int k = 0; k < inner; k++)
            {
                int start = o * length * inner + k;
                DoubleDouble dot = 0;
                double magnitude = 0;
                for (int i = 0; i < length; i++)
                {
                    dot += (DoubleDouble)dy[start + i * inner] * y[start + i * inner];
                    magnitude += Math.Abs(dy[start + i * inner] * y[start + i * inner]);
                }
                for (int i = 0; i < length; i++)
                {
                    int at = start + i * inner;
                    dx[at] = ((DoubleDouble)scale * y[at] * ((DoubleDouble)dy[at] - dot)).Value;
                    allowance[at] = Math.Abs(scale * y[at]) * (length + 2) * Math.ScaleB(magnitude, -104);
                }
            }
        }
        return dx;
    }

    /// <summary>dx = scale * (dy - exp(y) * sum(dy)) per row of the [outer, length, inner] layout.</summary>
    /// <remarks>exp is <see cref="Math.Exp(double)"/>: for double kernels it is the one term not in double-double.</remarks>
    public static double[] LogSoftmaxGradient(ReadOnlySpan<double> y, ReadOnlySpan<double> dy, int outer, int length, int inner, double scale) =>
        LogSoftmaxGradient(y, dy, outer, length, inner, scale, out _);

    /// <remarks>
    /// <paramref name="allowance"/> gets, per element, what the double exp's own error (about 1 ULP of exp(y) sum) and a
    /// compensated sum may leave where dy - exp(y) sum cancels: |scale| (2^-51 |exp(y) sum| + n 2^-104 sum|dy|).
    /// </remarks>
    public static double[] LogSoftmaxGradient(ReadOnlySpan<double> y, ReadOnlySpan<double> dy, int outer, int length, int inner, double scale, out double[] allowance)
    {
        var dx = new double[y.Length];
        allowance = new double[y.Length];
        for (int o = 0; o < outer; o++)
        {
            for (int k = 0; k < inner; k++)
            {
                int start = o * length * inner + k;
                DoubleDouble sum = 0;
                double magnitude = 0;
                for (int i = 0; i < length; i++)
                {
                    sum += dy[start + i * inner];
                    magnitude += Math.Abs(dy[start + i * inner]);
                }
                for (int i = 0; i < length; i++)
                {
                    int at = start + i * inner;
                    // exp(y) * sum as sum + sum * expm1(y) near 0, so that dy - exp(y) * sum keeps its precision there.
                    DoubleDouble d = Math.Abs(y[at]) < 0.5
                        ? ((DoubleDouble)dy[at] - sum) - sum * ExpM1(y[at])
                        : (DoubleDouble)dy[at] - (DoubleDouble)Math.Exp(y[at]) * sum;
                    dx[at] = ((DoubleDouble)scale * d).Value;
                    allowance[at] = Math.Abs(scale) * (Math.ScaleB(Math.Abs(Math.Exp(y[at]) * sum.Value), -51) + (length + 2) * Math.ScaleB(magnitude, -104));
                }
            }
        }
        return dx;
    }

    /// <summary>exp(y) - 1 in double-double for |y| &lt; 0.5, by its Taylor series.</summary>
    public static DoubleDouble ExpM1(double y)
    {
        DoubleDouble term = y, sum = y;
        for (int k = 2; k < 40; k++)
        {
            term = term * y / (double)k;
            sum += term;
        }
        return sum;
    }

    /// <summary>
    /// The cross-entropy of one row and, when <paramref name="gradient"/> is given, factor * (softmax - onehot). z = scale * x
    /// rounded as the kernel rounds it (<paramref name="roundToFloat"/>); the softmax - 1 of the target is computed as
    /// -(sum of the other terms) / sum, so the reference keeps its precision for confident rows.
    /// </summary>
    public static double CrossEntropy(ReadOnlySpan<double> x, int target, double scale, bool roundToFloat, double factor, Span<double> gradient, bool zeroMaskedRows = false)
    {
        int n = x.Length;
        var z = new double[n];
        bool nan = false;
        double m = double.NegativeInfinity;
        for (int i = 0; i < n; i++)
        {
            z[i] = roundToFloat ? (float)((float)x[i] * (float)scale) : x[i] * scale;
            if (double.IsNaN(z[i])) nan = true;
            else if (z[i] > m) m = z[i];
        }
        if (nan || double.IsPositiveInfinity(m))
        {
            gradient.Fill(double.NaN);
            return double.NaN;
        }
        if (double.IsNegativeInfinity(m))
        {
            gradient.Fill(zeroMaskedRows ? 0 : double.NaN);
            return double.PositiveInfinity;
        }
        double count = 0;
        DoubleDouble others = 0, othersThanTarget = 0;
        for (int i = 0; i < n; i++)
        {
            double d = z[i] - m;
            if (d == 0) count++;
            else others += Math.Exp(d);
            if (i != target) othersThanTarget += Math.Exp(d);
        }
        DoubleDouble sum = others + count;
        double logSum = Math.Log(count) + Reference.Log1P(others.Value / count);
        if (!gradient.IsEmpty)
        {
            for (int i = 0; i < n; i++) gradient[i] = ((DoubleDouble)factor * Math.Exp(z[i] - m) / sum).Value;
            gradient[target] = -((DoubleDouble)factor * othersThanTarget / sum).Value;
        }
        return logSum - (z[target] - m);
    }
}

/// <summary>ULP comparisons for the training kernels, per row: elements below 1e-30 of the row's largest compare absolutely.</summary>
public static class TrainingTolerance
{
    /// <summary>Spacing of <typeparamref name="T"/> values at |value|.</summary>
    public static double Ulp<T>(double value)
    {
        double a = Math.Abs(value);
        if (typeof(T) == typeof(float))
        {
            float f = (float)a;
            return (double)MathF.BitIncrement(f) - f;
        }
        return Math.BitIncrement(a) - a;
    }

    /// <summary>
    /// Asserts each result is within <paramref name="maxUlps"/> of the reference, in ULP of the reference, where the
    /// reference's magnitude is above 1e-30 of its row's largest (<paramref name="rows"/> groups of elements, given as
    /// index lists); below that, within 1e-30 of the row's largest, absolutely. An <paramref name="allowance"/> (per
    /// element, absolute) is taken off the error first: the double kernels' cancellation allowance. NaN must match NaN, infinities exactly.
    /// Returns the worst ULP error.
    /// </summary>
    public static double AssertUlps<T>(double[] expected, T[] actual, IEnumerable<int[]> rows, double maxUlps, string context, double[]? allowance = null)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        double worst = 0;
        foreach (int[] row in rows)
        {
            double largest = 0;
            foreach (int i in row) if (double.IsFinite(expected[i])) largest = Math.Max(largest, Math.Abs(expected[i]));
            foreach (int i in row)
            {
                double e = expected[i], a = double.CreateTruncating(actual[i]);
                if (!double.IsFinite(e) || !double.IsFinite(a))
                {
                    if (!(double.IsNaN(e) && double.IsNaN(a)) && e != a) Assert.Fail($"{context}: element {i} expected {e:R}, got {a:R}");
                    continue;
                }
                if (Math.Abs(e) <= 1e-30 * largest)
                {
                    if (Math.Abs(a - e) > 1e-30 * largest) Assert.Fail($"{context}: element {i} expected {e:R}, got {a:R} (row's largest {largest:R})");
                    continue;
                }
                double ulps = Math.Max(0, Math.Abs(a - e) - (allowance?[i] ?? 0)) / Ulp<T>(e);
                worst = Math.Max(worst, ulps);
                if (ulps > maxUlps) Assert.Fail($"{context}: element {i} expected {e:R}, got {a:R}: {ulps:F2} ULP, bound {maxUlps}");
            }
        }
        return worst;
    }

    /// <summary>The index lists of the rows of an [outer, length, inner] layout.</summary>
    public static IEnumerable<int[]> Rows(int outer, int length, int inner)
    {
        for (int o = 0; o < outer; o++)
        {
            for (int k = 0; k < inner; k++)
            {
                var row = new int[length];
                for (int i = 0; i < length; i++) row[i] = o * length * inner + k + i * inner;
                yield return row;
            }
        }
    }

    /// <summary>The loss: within <paramref name="maxUlps"/> ULP (NaN and infinities exactly). Returns the ULP error.</summary>
    public static double AssertLoss<T>(double expected, T actual, double maxUlps, string context)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        double a = double.CreateTruncating(actual);
        if (!double.IsFinite(expected) || !double.IsFinite(a))
        {
            if (!(double.IsNaN(expected) && double.IsNaN(a)) && expected != a) Assert.Fail($"{context}: loss expected {expected:R}, got {a:R}");
            return 0;
        }
        if (Math.Abs(expected) < 1e-30)
        {
            if (Math.Abs(a - expected) > 1e-30) Assert.Fail($"{context}: loss expected {expected:R}, got {a:R}");
            return 0;
        }
        double ulps = Math.Abs(a - expected) / Ulp<T>(expected);
        if (ulps > maxUlps) Assert.Fail($"{context}: loss expected {expected:R}, got {a:R}: {ulps:F2} ULP, bound {maxUlps}");
        return ulps;
    }
}
