using System;
using System.Linq;
using KernelGen.Tests;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Threading;
using System.Threading.Tasks;
using Xunit.Abstractions;

namespace KernelGen.Runtime.Tests;

/// <summary>
/// VectorMath.Exp for float, checked on every float the softmax domain can produce: all 1,120,927,745 floats
/// in [-104, 0], against Math.Exp in double rounded to float, through every width (Vector512, Vector256, Vector128
/// and scalar) in the same pass: each within 1 ULP, and all giving the same bits. A width the machine does not
/// accelerate runs in software; it is checked on every 16th float, which keeps the pass as fast as on a machine that
/// has it (.ci/run repeats the tests with AVX-512, AVX2 and all SIMD turned off).
/// </summary>
public class ExpAccuracyTests(ITestOutputHelper output)
{
    private const float SmallestNormal = 1.17549435E-38f;

    /// <summary>The widths, widest first; scalar is the reference form the others must match bit for bit.</summary>
    public enum Width { Vector512, Vector256, Vector128, Scalar }

    private static readonly Width[] Widths = [Width.Vector512, Width.Vector256, Width.Vector128, Width.Scalar];

    internal static bool IsAccelerated(Width width) => width switch
    {
        Width.Vector512 => Vector512.IsHardwareAccelerated,
        Width.Vector256 => Vector256.IsHardwareAccelerated,
        Width.Vector128 => Vector128.IsHardwareAccelerated,
        _ => true,
    };

    [Fact]
    public void Every_float_in_minus_104_to_0_is_within_1_ulp_of_the_correctly_rounded_exp_on_every_width()
    {
        uint first = BitConverter.SingleToUInt32Bits(-0f), last = BitConverter.SingleToUInt32Bits(-104f);
        long count = (long)last - first + 1;
        const int chunk = 1 << 16;
        const int softwareStride = 16;
        long chunks = (count + chunk - 1) / chunk;
        long worstBits = 0, failures = 0, flushed = 0, disagreements = 0;
        var checkedPerWidth = new long[Widths.Length];
        float worstX = 0, worstRelativeX = 0, disagreementX = float.NaN;
        double worstRelative = 0;
        object gate = new();
        var started = DateTime.UtcNow;
        Parallel.For(0L, chunks, () => (Input: new float[chunk], Outputs: Widths.Select(_ => new float[chunk]).ToArray()), (c, _, buffers) =>
        {
            long start = first + c * chunk;
            int n = (int)Math.Min(chunk, count - c * chunk);
            for (int i = 0; i < n; i++) buffers.Input[i] = BitConverter.UInt32BitsToSingle((uint)(start + i));
            var localChecked = new long[Widths.Length];
            for (int w = 0; w < Widths.Length; w++)
            {
                if (IsAccelerated(Widths[w])) { ExpOfSpan(Widths[w], buffers.Input.AsSpan(0, n), buffers.Outputs[w].AsSpan(0, n)); localChecked[w] = n; }
                else
                {
                    // In software: every 16th float, gathered into the front of a scratch span and scattered back.
                    int m = 0;
                    for (int i = 0; i < n; i += softwareStride) buffers.Outputs[w][m++] = buffers.Input[i];
                    ExpOfSpan(Widths[w], buffers.Outputs[w].AsSpan(0, m).ToArray(), buffers.Outputs[w].AsSpan(0, m));
                    for (int j = m - 1; j >= 0; j--) buffers.Outputs[w][j * softwareStride] = buffers.Outputs[w][j];
                    localChecked[w] = m;
                }
            }
            float[] reference = buffers.Outputs[Array.IndexOf(Widths, Width.Scalar)];
            long localWorst = 0, localFailures = 0, localFlushed = 0, localDisagreements = 0;
            float localWorstX = 0, localRelativeX = 0, localDisagreementX = float.NaN;
            double localRelative = 0;
            for (int i = 0; i < n; i++)
            {
                float x = buffers.Input[i], ours = reference[i];
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
                // Every width gives the scalar form's bits.
                for (int w = 0; w < Widths.Length; w++)
                {
                    if (!IsAccelerated(Widths[w]) && i % softwareStride != 0) continue;
                    if (BitConverter.SingleToInt32Bits(buffers.Outputs[w][i]) != BitConverter.SingleToInt32Bits(ours))
                    {
                        localDisagreements++;
                        localDisagreementX = x;
                    }
                }
            }
            lock (gate)
            {
                if (localWorst > worstBits) { worstBits = localWorst; worstX = localWorstX; }
                if (localRelative > worstRelative) { worstRelative = localRelative; worstRelativeX = localRelativeX; }
                failures += localFailures;
                flushed += localFlushed;
                disagreements += localDisagreements;
                if (localDisagreements > 0) disagreementX = localDisagreementX;
                for (int w = 0; w < Widths.Length; w++) checkedPerWidth[w] += localChecked[w];
            }
            return buffers;
        }, _ => { });
        output.WriteLine($"floats in [-104, 0]: {count:N0}, in {(DateTime.UtcNow - started).TotalSeconds:F1} s; process path {HardwarePath.Name}");
        for (int w = 0; w < Widths.Length; w++)
        {
            output.WriteLine($"  {Widths[w]}: {checkedPerWidth[w]:N0} floats ({(IsAccelerated(Widths[w]) ? "hardware" : "software, every 16th")})");
        }
        output.WriteLine($"worst error: {worstBits} ULP from the correctly rounded result, at x = {worstX:R}");
        output.WriteLine($"worst error against the exact value: {worstRelative:F3} ULP, at x = {worstRelativeX:R}");
        output.WriteLine($"results flushed to 0 below the normal range: {flushed:N0}; results more than 1 ULP off: {failures:N0}; results differing between widths: {disagreements:N0}");
        Assert.Equal(1_120_927_745L, count);
        Assert.Equal(0, failures);
        Assert.InRange(worstBits, 0, 1);
        Assert.True(disagreements == 0, $"{disagreements} results differ between widths (one at x = {disagreementX:R})");
    }

    public static TheoryData<Width> AllWidths => new(Widths);

    [Theory]
    [MemberData(nameof(AllWidths))]
    public void Special_values(Width width)
    {
        float[] x = [0f, -0f, float.NegativeInfinity, float.NaN, -87.5f, -1000f, float.MinValue, 88.8f, float.PositiveInfinity, 88.7f, 1f];
        var y = new float[x.Length];
        ExpOfSpan(width, x, y);
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

    [Theory]
    [MemberData(nameof(AllWidths))]
    public void Positive_arguments_up_to_overflow_are_within_1_ulp(Width width)
    {
        // A sample of the positive range (softmax never needs it, but Exp is public).
        var x = new float[1 << 16];
        for (int i = 0; i < x.Length; i++) x[i] = 88.72f * i / (x.Length - 1);
        var y = new float[x.Length];
        ExpOfSpan(width, x, y);
        for (int i = 0; i < x.Length; i++)
        {
            float expected = (float)Math.Exp(x[i]);
            long bits = Math.Abs((long)BitConverter.SingleToInt32Bits(y[i]) - BitConverter.SingleToInt32Bits(expected));
            Assert.True(bits <= 1, $"exp({x[i]:R}) = {y[i]:R}, expected {expected:R}");
        }
    }

    [Theory]
    [MemberData(nameof(AllWidths))]
    public void Exp_of_difference_takes_the_difference_exactly(Width width)
    {
        // x - max rounds in float; ExpOfDifference recovers the rounding error.
        float[] x = [0.3f, -29.439354f, 14.639416f, -30.921906f, 1e-8f, 47.9f];
        float max = 48.06688f;
        foreach (float v in x)
        {
            double exact = Math.Exp((double)v - max);
            float ours = ExpOfDifference(width, v, max);
            double ulps = Math.Abs(ours - exact) / ((double)MathF.BitIncrement((float)exact) - (float)exact);
            Assert.True(ulps <= 1, $"exp({v:R} - {max:R}) = {ours:R}, exact {exact:R}: {ulps:F2} ULP");
        }
    }

    [Fact]
    public void FloatExp_structs_give_the_bits_of_VectorMath()
    {
        // The structs generated kernels use (constants loaded once) against VectorMath's methods, on x - max data.
        var random = new Random(7);
        var x = new float[4096];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(random.NextDouble() * 200 - 150);
        float max = 49.99f;
        FloatExp512 e512 = new();
        FloatExp256 e256 = new();
        FloatExp128 e128 = new();
        for (int i = 0; i + 16 <= x.Length; i += 16)
        {
            Vector512<float> v = Vector512.Create(x.AsSpan(i, 16)), m = Vector512.Create(max);
            Assert.Equal(VectorMath.ExpOfDifference(v, m).AsInt32(), e512.OfDifference(v, m).AsInt32());
            Assert.Equal(VectorMath.ExpNoOverflow(v - m).AsInt32(), e512.NoOverflow(v - m).AsInt32());
            Vector256<float> w = v.GetLower(), n = m.GetLower();
            Assert.Equal(VectorMath.ExpOfDifference(w, n).AsInt32(), e256.OfDifference(w, n).AsInt32());
            Assert.Equal(VectorMath.ExpNoOverflow(w - n).AsInt32(), e256.NoOverflow(w - n).AsInt32());
            Vector128<float> u = w.GetLower(), k = n.GetLower();
            Assert.Equal(VectorMath.ExpOfDifference(u, k).AsInt32(), e128.OfDifference(u, k).AsInt32());
            Assert.Equal(VectorMath.ExpNoOverflow(u - k).AsInt32(), e128.NoOverflow(u - k).AsInt32());
            // And the widest form against the scalar one, lane by lane.
            Vector512<float> wide = e512.OfDifference(v, m);
            for (int j = 0; j < 16; j++) Assert.Equal(BitConverter.SingleToInt32Bits(VectorMath.ExpOfDifference(x[i + j], max)), BitConverter.SingleToInt32Bits(wide[j]));
        }
    }

    /// <summary>Exp of each element through one width, vector by vector, the tail in scalar form.</summary>
    internal static void ExpOfSpan(Width width, ReadOnlySpan<float> x, Span<float> y)
    {
        int i = 0;
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        switch (width)
        {
            case Width.Vector512:
                for (; i + 16 <= x.Length; i += 16) VectorMath.Exp(Vector512.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref yr, (nuint)i);
                break;
            case Width.Vector256:
                for (; i + 8 <= x.Length; i += 8) VectorMath.Exp(Vector256.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref yr, (nuint)i);
                break;
            case Width.Vector128:
                for (; i + 4 <= x.Length; i += 4) VectorMath.Exp(Vector128.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref yr, (nuint)i);
                break;
        }
        for (; i < x.Length; i++) y[i] = VectorMath.Exp(x[i]);
    }

    private static float ExpOfDifference(Width width, float x, float y) => width switch
    {
        Width.Vector512 => VectorMath.ExpOfDifference(Vector512.Create(x), Vector512.Create(y)).ToScalar(),
        Width.Vector256 => VectorMath.ExpOfDifference(Vector256.Create(x), Vector256.Create(y)).ToScalar(),
        Width.Vector128 => VectorMath.ExpOfDifference(Vector128.Create(x), Vector128.Create(y)).ToScalar(),
        _ => VectorMath.ExpOfDifference(x, y),
    };
}
