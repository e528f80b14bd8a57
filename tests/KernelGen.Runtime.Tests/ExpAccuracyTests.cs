using System;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Threading;
using System.Threading.Tasks;
using Xunit.Abstractions;

namespace KernelGen.Runtime.Tests;

/// <summary>
/// VectorMath.Exp for float, checked on every float the softmax domain can produce: all 1,120,927,745 floats
/// in [-104, 0], against Math.Exp in double rounded to float. The check runs on whichever path this process
/// takes (Vector256, Vector128 or scalar; .ci/run repeats it on each).
/// </summary>
public class ExpAccuracyTests(ITestOutputHelper output)
{
    private const float SmallestNormal = 1.17549435E-38f;

    [Fact]
    public void Every_float_in_minus_104_to_0_is_within_1_ulp_of_the_correctly_rounded_exp()
    {
        uint first = BitConverter.SingleToUInt32Bits(-0f), last = BitConverter.SingleToUInt32Bits(-104f);
        long count = (long)last - first + 1;
        const int chunk = 1 << 16;
        long chunks = (count + chunk - 1) / chunk;
        long worstBits = 0, failures = 0, flushed = 0;
        float worstX = 0, worstRelativeX = 0;
        double worstRelative = 0;
        object gate = new();
        var started = DateTime.UtcNow;
        Parallel.For(0L, chunks, () => (Input: new float[chunk], Output: new float[chunk]), (c, _, buffers) =>
        {
            long start = first + c * chunk;
            int n = (int)Math.Min(chunk, count - c * chunk);
            for (int i = 0; i < n; i++) buffers.Input[i] = BitConverter.UInt32BitsToSingle((uint)(start + i));
            ExpOfSpan(buffers.Input.AsSpan(0, n), buffers.Output.AsSpan(0, n));
            long localWorst = 0, localFailures = 0, localFlushed = 0;
            float localWorstX = 0, localRelativeX = 0;
            double localRelative = 0;
            for (int i = 0; i < n; i++)
            {
                float x = buffers.Input[i], ours = buffers.Output[i];
                double exact = Math.Exp(x);
                long bits;
                if (exact < SmallestNormal)
                {
                    // Below the normal range the result must be exactly 0.
                    bits = ours == 0 ? 0 : long.MaxValue;
                    localFlushed++;
                }
                else
                {
                    float rounded = (float)exact;
                    bits = Math.Abs((long)BitConverter.SingleToInt32Bits(ours) - BitConverter.SingleToInt32Bits(rounded));
                    double relative = Math.Abs(ours - exact) / ((double)MathF.BitIncrement(rounded) - rounded);
                    if (relative > localRelative) { localRelative = relative; localRelativeX = x; }
                }
                if (bits > localWorst) { localWorst = bits; localWorstX = x; }
                if (bits > 1) localFailures++;
            }
            lock (gate)
            {
                if (localWorst > worstBits) { worstBits = localWorst; worstX = localWorstX; }
                if (localRelative > worstRelative) { worstRelative = localRelative; worstRelativeX = localRelativeX; }
                failures += localFailures;
                flushed += localFlushed;
            }
            return buffers;
        }, _ => { });
        output.WriteLine($"path: {Path}; floats checked: {count:N0} in {(DateTime.UtcNow - started).TotalSeconds:F1} s");
        output.WriteLine($"worst error: {worstBits} ULP from the correctly rounded result, at x = {worstX:R}");
        output.WriteLine($"worst error against the exact value: {worstRelative:F3} ULP, at x = {worstRelativeX:R}");
        output.WriteLine($"results flushed to 0 below the normal range: {flushed:N0}; results more than 1 ULP off: {failures:N0}");
        Assert.Equal(1_120_927_745L, count);
        Assert.Equal(0, failures);
        Assert.InRange(worstBits, 0, 1);
    }

    [Fact]
    public void Special_values()
    {
        float[] x = [0f, -0f, float.NegativeInfinity, float.NaN, -87.5f, -1000f, float.MinValue, 88.8f, float.PositiveInfinity, 88.7f, 1f];
        var y = new float[x.Length];
        ExpOfSpan(x, y);
        Assert.Equal(1f, y[0]);
        Assert.Equal(1f, y[1]);
        Assert.Equal(0f, y[2]);
        Assert.True(float.IsNaN(y[3]));
        Assert.Equal(0f, y[4]);   // exp(-87.5) is below the smallest normal float: flushed
        Assert.Equal(0f, y[5]);
        Assert.Equal(0f, y[6]);
        Assert.Equal(float.PositiveInfinity, y[7]);
        Assert.Equal(float.PositiveInfinity, y[8]);
        Assert.Equal((float)Math.Exp(88.7f), y[9]);
        Assert.Equal((float)Math.E, y[10]);
        // The lower bound is exactly where exp stops being a normal float.
        Assert.True(Math.Exp(VectorMath.ExpLowerBound) >= SmallestNormal);
        Assert.True(Math.Exp(MathF.BitDecrement(VectorMath.ExpLowerBound)) < SmallestNormal);
    }

    [Fact]
    public void Positive_arguments_up_to_overflow_are_within_1_ulp()
    {
        // A sample of the positive range (softmax never needs it, but Exp is public).
        var x = new float[1 << 16];
        for (int i = 0; i < x.Length; i++) x[i] = 88.72f * i / (x.Length - 1);
        var y = new float[x.Length];
        ExpOfSpan(x, y);
        for (int i = 0; i < x.Length; i++)
        {
            float expected = (float)Math.Exp(x[i]);
            long bits = Math.Abs((long)BitConverter.SingleToInt32Bits(y[i]) - BitConverter.SingleToInt32Bits(expected));
            Assert.True(bits <= 1, $"exp({x[i]:R}) = {y[i]:R}, expected {expected:R}");
        }
    }

    [Fact]
    public void Exp_of_difference_takes_the_difference_exactly()
    {
        // x - max rounds in float; ExpOfDifference recovers the rounding error.
        float[] x = [0.3f, -29.439354f, 14.639416f, -30.921906f, 1e-8f, 47.9f];
        float max = 48.06688f;
        foreach (float v in x)
        {
            double exact = Math.Exp((double)v - max);
            float ours = ExpOfDifference(v, max);
            double ulps = Math.Abs(ours - exact) / ((double)MathF.BitIncrement((float)exact) - (float)exact);
            Assert.True(ulps <= 1, $"exp({v:R} - {max:R}) = {ours:R}, exact {exact:R}: {ulps:F2} ULP");
        }
    }

    internal static string Path => Vector256.IsHardwareAccelerated ? "Vector256" : Vector128.IsHardwareAccelerated ? "Vector128" : "scalar";

    /// <summary>Exp of each element through the path this process takes, vector by vector, the tail in scalar form.</summary>
    internal static void ExpOfSpan(ReadOnlySpan<float> x, Span<float> y)
    {
        int i = 0;
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= x.Length; i += 8) VectorMath.Exp(Vector256.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref yr, (nuint)i);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            for (; i + 4 <= x.Length; i += 4) VectorMath.Exp(Vector128.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref yr, (nuint)i);
        }
        for (; i < x.Length; i++) y[i] = VectorMath.Exp(x[i]);
    }

    private static float ExpOfDifference(float x, float y)
    {
        if (Vector256.IsHardwareAccelerated) return VectorMath.ExpOfDifference(Vector256.Create(x), Vector256.Create(y)).ToScalar();
        if (Vector128.IsHardwareAccelerated) return VectorMath.ExpOfDifference(Vector128.Create(x), Vector128.Create(y)).ToScalar();
        return VectorMath.ExpOfDifference(x, y);
    }
}
