using System;
using System.Runtime.Intrinsics;
using Xunit.Abstractions;

namespace KernelGen.Runtime.Tests;

/// <summary>
/// The double exp of the kernels (VectorMath.ExpNoOverflow and ExpOfDifference on double vectors): within 1 ULP of
/// Math.Exp on a sample of its domain [-708.39, 709] on every width, the widths agreeing bit for bit, and its edges
/// (flush below the smallest normal double, -inf, NaN, exp(0) = 1). A width the machine does not accelerate runs in
/// software and is checked too (.ci/run repeats the tests with AVX-512, AVX2 and all SIMD turned off).
/// </summary>
public class DoubleExpTests(ITestOutputHelper output)
{
    private const double SmallestNormal = 2.2250738585072014E-308;

    // The sample: uniform over the domain, then denser where a softmax's x - max usually is.
    private static double[] Sample()
    {
        var random = new Random(11);
        var x = new double[1 << 17];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (i % 4) switch
            {
                0 => -708.39 + random.NextDouble() * (709 + 708.39),
                1 => -random.NextDouble() * 40,
                2 => -random.NextDouble(),
                _ => (random.NextDouble() - 0.5) * 1e-3,
            };
        }
        return x;
    }

    private static double[] ExpOf(ExpAccuracyTests.Width width, double[] x)
    {
        var y = new double[x.Length];
        for (int i = 0; i < x.Length; i += 8)
        {
            switch (width)
            {
                case ExpAccuracyTests.Width.Vector512:
                    VectorMath.ExpNoOverflow(Vector512.Create(x.AsSpan(i, 8))).CopyTo(y.AsSpan(i, 8));
                    break;
                case ExpAccuracyTests.Width.Vector256:
                    VectorMath.ExpNoOverflow(Vector256.Create(x.AsSpan(i, 4))).CopyTo(y.AsSpan(i, 4));
                    VectorMath.ExpNoOverflow(Vector256.Create(x.AsSpan(i + 4, 4))).CopyTo(y.AsSpan(i + 4, 4));
                    break;
                default:
                    for (int j = 0; j < 8; j += 2) VectorMath.ExpNoOverflow(Vector128.Create(x.AsSpan(i + j, 2))).CopyTo(y.AsSpan(i + j, 2));
                    break;
            }
        }
        return y;
    }

    [Fact]
    public void A_sample_of_the_domain_is_within_1_ulp_of_Math_Exp_on_every_width_and_the_widths_agree()
    {
        double[] x = Sample();
        ExpAccuracyTests.Width[] widths = [ExpAccuracyTests.Width.Vector512, ExpAccuracyTests.Width.Vector256, ExpAccuracyTests.Width.Vector128];
        double[] widest = ExpOf(widths[0], x);
        foreach (ExpAccuracyTests.Width width in widths)
        {
            double[] y = width == widths[0] ? widest : ExpOf(width, x);
            long worst = 0;
            for (int i = 0; i < x.Length; i++)
            {
                double expected = Math.Exp(x[i]);
                long bits = Math.Abs(BitConverter.DoubleToInt64Bits(y[i]) - BitConverter.DoubleToInt64Bits(expected));
                Assert.True(bits <= 1, $"{width}: exp({x[i]:R}) = {y[i]:R}, Math.Exp gives {expected:R} ({bits} ULP apart)");
                worst = Math.Max(worst, bits);
                Assert.True(BitConverter.DoubleToInt64Bits(y[i]) == BitConverter.DoubleToInt64Bits(widest[i]),
                    $"{width} and {widths[0]} disagree on exp({x[i]:R}): {y[i]:R} against {widest[i]:R}");
            }
            output.WriteLine($"{width} ({(ExpAccuracyTests.IsAccelerated(width) ? "hardware" : "software")}): {x.Length} arguments, at most {worst} ULP from Math.Exp");
        }
    }

    [Theory]
    [InlineData(ExpAccuracyTests.Width.Vector512)]
    [InlineData(ExpAccuracyTests.Width.Vector256)]
    [InlineData(ExpAccuracyTests.Width.Vector128)]
    public void The_edges_flush_below_the_normal_range_and_keep_nan(ExpAccuracyTests.Width width)
    {
        double lower = KernelGen.Internal.DoubleExpSteps.LowerBound;
        double[] x = [0, double.NegativeInfinity, double.NaN, lower, Math.BitDecrement(lower), -745.2, -1e300, 709, -0.0];
        double[] padded = new double[8 * ((x.Length + 7) / 8)];
        x.CopyTo(padded, 0);
        double[] y = ExpOf(width, padded);
        Assert.Equal(1.0, y[0]);
        Assert.Equal(0.0, y[1]);
        Assert.True(double.IsNaN(y[2]));
        Assert.True(y[3] >= SmallestNormal, $"exp({lower:R}) = {y[3]:R} is below the smallest normal double");
        Assert.Equal(0.0, y[4]); // subnormal in exact arithmetic: flushed
        Assert.Equal(0.0, y[5]);
        Assert.Equal(0.0, y[6]);
        Assert.Equal(Math.Exp(709), y[7], 1e-15 * Math.Exp(709));
        Assert.Equal(1.0, y[8]);
        // The lower bound is exactly where exp stops being a normal double.
        Assert.True(Math.Exp(lower) >= SmallestNormal);
        Assert.True(Math.Exp(Math.BitDecrement(lower)) < SmallestNormal);
    }

    [Fact]
    public void Exp_of_difference_is_the_exp_of_the_double_difference()
    {
        var random = new Random(5);
        for (int i = 0; i < 4096; i++)
        {
            double a = random.NextDouble() * 600 - 300, max = a + random.NextDouble() * 400;
            double expected = Math.Exp(a - max);
            double[] got =
            [
                VectorMath.ExpOfDifference(Vector512.Create(a), Vector512.Create(max))[3],
                VectorMath.ExpOfDifference(Vector256.Create(a), Vector256.Create(max))[1],
                VectorMath.ExpOfDifference(Vector128.Create(a), Vector128.Create(max))[0],
                VectorMath.ExpOfDifferenceOutOfLine(Vector256.Create(a), Vector256.Create(max))[2],
            ];
            foreach (double g in got)
            {
                if (expected < SmallestNormal) Assert.Equal(0.0, g);
                else Assert.True(Math.Abs(BitConverter.DoubleToInt64Bits(g) - BitConverter.DoubleToInt64Bits(expected)) <= 1, $"exp({a:R} - {max:R}) = {g:R}, expected {expected:R}");
            }
        }
    }
}
