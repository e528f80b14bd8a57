using System;
using System.Collections.Generic;
using System.Linq;

namespace KernelGen.Tests;

/// <summary>The float64 reference: exp(x - max) / sum(exp(x - max)) along an axis, and its log form.</summary>
public static class Reference
{
    public static double[] Softmax(ReadOnlySpan<double> input, int[] shape, int axis, bool log = false) =>
        Softmax(input, shape, axis, log, roundShiftToFloat: false);

    /// <summary>
    /// The reference float kernels are held to. Softmax kernels take x - max exactly (two-sum), so theirs
    /// is the plain float64 reference. Log-softmax returns (x - max) - log(sum) in float, so x - max is
    /// rounded to float first, as issue #3's measure does: this isolates the error of exp, sum and log.
    /// </summary>
    public static double[] ForFloatKernel(ReadOnlySpan<float> input, int[] shape, int axis, bool log = false) =>
        Softmax(Tolerance.Widen(input), shape, axis, log, roundShiftToFloat: log);

    private static double[] Softmax(ReadOnlySpan<double> input, int[] shape, int axis, bool log, bool roundShiftToFloat)
    {
        (int outer, int length, int inner) = Split(shape, axis);
        var output = new double[input.Length];
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int start = o * length * inner + i;
                double max = double.NegativeInfinity;
                bool nan = false;
                for (int l = 0; l < length; l++)
                {
                    double v = input[start + l * inner];
                    if (double.IsNaN(v)) nan = true;
                    else if (v > max) max = v;
                }
                if (nan) max = double.NaN;
                double Shift(double v) => roundShiftToFloat ? (double)((float)v - (float)max) : v - max;
                // The row's maxima (shift exactly 0) are counted apart from the other terms, so that
                // log(sum) = log(count) + log1p(others / count) stays exact when it is close to 0.
                double others = 0, count = 0;
                for (int l = 0; l < length; l++)
                {
                    double shifted = Shift(input[start + l * inner]);
                    if (shifted == 0) count++;
                    else others += Math.Exp(shifted);
                }
                double sum = count + others;
                double logSum = count == 0 ? Math.Log(others) : Math.Log(count) + Log1P(others / count);
                for (int l = 0; l < length; l++)
                {
                    double shifted = Shift(input[start + l * inner]);
                    output[start + l * inner] = log ? shifted - logSum : Math.Exp(shifted) / sum;
                }
            }
        }
        return output;
    }

    public static double[] Softmax(ReadOnlySpan<float> input, int[] shape, int axis, bool log = false)
    {
        var wide = new double[input.Length];
        for (int i = 0; i < wide.Length; i++) wide[i] = input[i];
        return Softmax(wide, shape, axis, log);
    }

    /// <summary>
    /// The reference with issue #7's options: softmax(scale * x) (scale * x rounded to float first for a float kernel,
    /// as the kernel must); GPT-2's causal mask over the last two dimensions [Q, K] (row i keeps keys j &lt;= i + K - Q,
    /// the others are exactly 0, or -inf for log-softmax); and rows with no unmasked finite maximum (every key -inf, or
    /// no key at all) giving zeros when <paramref name="zeroMaskedRows"/>, NaN otherwise.
    /// </summary>
    public static double[] WithOptions(double[] input, int[] shape, int axis, bool log, double scale, bool causal, bool zeroMaskedRows, bool floatKernel)
    {
        var scaled = new double[input.Length];
        for (int i = 0; i < input.Length; i++) scaled[i] = floatKernel ? (float)((float)input[i] * (float)scale) : input[i] * scale;
        (int outer, int length, int inner) = Split(shape, axis);
        var output = new double[input.Length];
        int queries = causal ? shape[^2] : 0;
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int start = o * length * inner + i;
                // Causal: the row is o's position among the Q queries of its [Q, K] matrix (inner is 1 on the last axis).
                int keys = causal ? Math.Clamp(o % queries + length - queries + 1, 0, length) : length;
                var row = new double[keys];
                for (int l = 0; l < keys; l++) row[l] = scaled[start + l * inner];
                double[] result = keys == 0 ? [] : Softmax(floatKernel ? Array.ConvertAll(row, v => (float)v) : null, row, log);
                bool masked = keys == 0 || (row.All(double.IsNegativeInfinity));
                for (int l = 0; l < length; l++)
                {
                    double value = l >= keys ? (log ? double.NegativeInfinity : 0) : result[l];
                    if (masked && l < keys) value = zeroMaskedRows ? 0 : double.NaN;
                    if (keys == 0) value = zeroMaskedRows ? 0 : double.NaN;
                    output[start + l * inner] = value;
                }
            }
        }
        return output;
    }

    private static double[] Softmax(float[]? asFloat, double[] row, bool log) =>
        asFloat is not null
            ? Softmax(Tolerance.Widen(asFloat), [row.Length], -1, log, roundShiftToFloat: log)
            : Softmax(row, [row.Length], -1, log, roundShiftToFloat: false);

    /// <summary>log(1 + z), accurate for tiny z (Goldberg's method).</summary>
    public static double Log1P(double z)
    {
        double u = 1 + z;
        return u == 1 ? z : Math.Log(u) * z / (u - 1);
    }

    public static (int Outer, int Length, int Inner) Split(int[] shape, int axis)
    {
        if (axis < 0) axis += shape.Length;
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= shape[i];
        for (int i = axis + 1; i < shape.Length; i++) inner *= shape[i];
        return (outer, shape[axis], inner);
    }

    public static string Describe(int[] shape, int axis) => "[" + string.Join(", ", shape) + "] axis " + axis;

    public static int Count(int[] shape)
    {
        int count = 1;
        foreach (int d in shape) count *= d;
        return count;
    }
}

/// <summary>Compares kernel output with the float64 reference, element by element.</summary>
public static class Tolerance
{
    /// <summary>
    /// The conformance bound: relative error at most <paramref name="relative"/>, or absolute at most
    /// <paramref name="absoluteBelow"/> for reference values below it (float results that small may be flushed).
    /// NaN must match NaN; infinities must match exactly.
    /// </summary>
    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double relative, double absoluteBelow, string context)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            if (double.IsNaN(e) || double.IsNaN(a))
            {
                if (double.IsNaN(e) != double.IsNaN(a)) Assert.Fail($"{context}: element {i} expected {e:R}, got {a:R}");
                continue;
            }
            if (double.IsInfinity(e) || double.IsInfinity(a))
            {
                if (e != a) Assert.Fail($"{context}: element {i} expected {e:R}, got {a:R}");
                continue;
            }
            double error = Math.Abs(a - e);
            bool ok = Math.Abs(e) < absoluteBelow ? error <= absoluteBelow : error <= relative * Math.Abs(e);
            if (!ok) Assert.Fail($"{context}: element {i} expected {e:R}, got {a:R} (relative error {error / Math.Abs(e):E3}, bound {relative:E3})");
        }
    }

    /// <summary>
    /// Asserts every float result is within <paramref name="maxUlps"/> units in the last place of the
    /// reference (absolute 1e-30 below 1e-30, where results may be flushed); returns the worst ULP error seen.
    /// </summary>
    public static double AssertUlps(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double maxUlps, string context)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            if (double.IsNaN(e) || double.IsNaN(a) || double.IsInfinity(e) || double.IsInfinity(a))
            {
                if (!(double.IsNaN(e) && double.IsNaN(a)) && e != a) Assert.Fail($"{context}: element {i} expected {e:R}, got {a:R}");
                continue;
            }
            if (Math.Abs(e) < 1e-30)
            {
                if (Math.Abs(a - e) > 1e-30) Assert.Fail($"{context}: element {i} expected {e:R}, got {a:R}");
                continue;
            }
            double ulps = Math.Abs(a - e) / Ulp(e);
            worst = Math.Max(worst, ulps);
            if (ulps > maxUlps) Assert.Fail($"{context}: element {i} expected {e:R}, got {a:R}: {ulps:F2} ULP, bound {maxUlps}");
        }
        return worst;
    }

    /// <summary>The spacing of floats at |value|.</summary>
    public static double Ulp(double value)
    {
        float f = (float)Math.Abs(value);
        return (double)MathF.BitIncrement(f) - f;
    }

    public static double[] Widen(ReadOnlySpan<float> values)
    {
        var wide = new double[values.Length];
        for (int i = 0; i < wide.Length; i++) wide[i] = values[i];
        return wide;
    }
}

/// <summary>Deterministic test data.</summary>
public static class TestData
{
    /// <summary>normal(0, stddev) floats from a fixed seed (Box-Muller).</summary>
    public static float[] Normal(int count, double stddev, int seed)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            values[i] = (float)(stddev * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return values;
    }

    public static double[] NormalDouble(int count, double stddev, int seed)
    {
        float[] f = Normal(count, stddev, seed);
        var d = new double[count];
        var random = new Random(seed + 1);
        for (int i = 0; i < count; i++) d[i] = f[i] + random.NextDouble() * 1e-3;
        return d;
    }

    /// <summary>The kinds of data every kernel is run on.</summary>
    public static IEnumerable<(string Name, float[] Values)> Cases(int count, int seed)
    {
        yield return ("normal(0, 20)", Normal(count, 20, seed));
        float[] large = Normal(count, 3, seed + 1);
        for (int i = 0; i < large.Length; i++) large[i] += 1000;
        yield return ("near 1000", large);
        float[] withInf = Normal(count, 5, seed + 2);
        for (int i = 0; i < withInf.Length; i += 3) withInf[i] = float.NegativeInfinity;
        yield return ("with -inf", withInf);
        float[] withNaN = Normal(count, 5, seed + 3);
        withNaN[count / 2] = float.NaN;
        yield return ("one NaN", withNaN);
    }
}
