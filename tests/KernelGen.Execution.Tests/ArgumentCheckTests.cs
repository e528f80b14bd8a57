using System;
using System.Linq;

namespace KernelGen.Execution.Tests;

/// <summary>
/// A generated kernel called with spans of the wrong length, or with input and output that overlap without being
/// the same memory, throws <see cref="ArgumentException"/> naming the parameter, the expected length with the shape
/// and the actual length, and writes nothing.
/// </summary>
public partial class ArgumentCheckTests
{
    [Softmax(3, 4)]
    private static partial void FloatPair(ReadOnlySpan<float> input, Span<float> output);

    [LogSoftmax(2, 50)]
    private static partial void DoublePair(ReadOnlySpan<double> scores, Span<double> probs);

    [Softmax(5, 7, Axis = 0)]
    private static partial void FloatInPlace(Span<float> data);

    [LogSoftmax(64)]
    private static partial void DoubleInPlace(Span<double> values);

    private const float Untouched = 42f;

    private static float[] Filled(int length) => Enumerable.Repeat(Untouched, length).ToArray();

    private static double[] FilledDouble(int length) => Enumerable.Repeat((double)Untouched, length).ToArray();

    private static void AssertRejected(Action call, string parameter, params string[] mentions)
    {
        ArgumentException e = Assert.Throws<ArgumentException>(call);
        Assert.Equal(parameter, e.ParamName);
        foreach (string m in mentions) Assert.Contains(m, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(11, 12, "input", 11)]
    [InlineData(13, 12, "input", 13)]
    [InlineData(0, 12, "input", 0)]
    [InlineData(12, 11, "output", 11)]
    [InlineData(12, 24, "output", 24)]
    public void Float_input_or_output_of_the_wrong_length(int inputLength, int outputLength, string parameter, int actual)
    {
        float[] output = Filled(outputLength);
        AssertRejected(() => FloatPair(new float[inputLength], output), parameter, "[3, 4]", "expected length 12", $"actual length {actual}");
        Assert.All(output, v => Assert.Equal(Untouched, v));
    }

    [Fact]
    public void Double_input_and_output_are_named_as_declared()
    {
        double[] probs = FilledDouble(100);
        AssertRejected(() => DoublePair(new double[99], probs), "scores", "[2, 50]", "expected length 100", "actual length 99");
        Assert.All(probs, v => Assert.Equal(Untouched, v));

        double[] shortProbs = FilledDouble(98);
        AssertRejected(() => DoublePair(new double[100], shortProbs), "probs", "[2, 50]", "expected length 100", "actual length 98");
        Assert.All(shortProbs, v => Assert.Equal(Untouched, v));
    }

    [Theory]
    [InlineData(34)]
    [InlineData(36)]
    public void Float_in_place_of_the_wrong_length(int length)
    {
        float[] data = Filled(length);
        AssertRejected(() => FloatInPlace(data), "data", "[5, 7]", "expected length 35", $"actual length {length}");
        Assert.All(data, v => Assert.Equal(Untouched, v));
    }

    [Fact]
    public void Double_in_place_of_the_wrong_length()
    {
        double[] values = FilledDouble(63);
        AssertRejected(() => DoubleInPlace(values), "values", "[64]", "expected length 64", "actual length 63");
        Assert.All(values, v => Assert.Equal(Untouched, v));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(11)]
    public void Input_and_output_that_overlap_without_being_the_same_memory(int offset)
    {
        float[] buffer = Enumerable.Range(0, 24).Select(i => (float)i).ToArray();
        float[] before = (float[])buffer.Clone();
        AssertRejected(() => FloatPair(buffer.AsSpan(0, 12), buffer.AsSpan(offset, 12)), "output", "overlap", $"{offset} elements after");
        Assert.Equal(before, buffer);

        double[] wide = Enumerable.Range(0, 200).Select(i => (double)i).ToArray();
        double[] wideBefore = (double[])wide.Clone();
        AssertRejected(() => DoublePair(wide.AsSpan(offset, 100), wide.AsSpan(0, 100)), "probs", "overlap");
        Assert.Equal(wideBefore, wide);
    }

    [Fact]
    public void The_same_memory_for_input_and_output_is_accepted()
    {
        float[] buffer = Enumerable.Range(0, 12).Select(i => (float)(i % 4)).ToArray();
        FloatPair(buffer, buffer);
        for (int row = 0; row < 3; row++)
        {
            Assert.Equal(1.0, buffer.Skip(row * 4).Take(4).Sum(v => (double)v), 6);
        }
    }
}
