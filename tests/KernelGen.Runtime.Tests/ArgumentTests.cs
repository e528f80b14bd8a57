using System;

namespace KernelGen.Runtime.Tests;

public class ArgumentTests
{
    private static void AssertRejected(Action call, string parameter, params string[] mentions)
    {
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(call);
        Assert.Equal(parameter, e.ParamName);
        foreach (string m in mentions) Assert.Contains(m, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_shape_whose_product_is_not_the_length_is_rejected_before_anything_is_written()
    {
        var input = new float[10];
        var output = new float[10];
        Array.Fill(output, 42f);
        AssertRejected(() => Kernels.Softmax(input, output, [3, 4]), "input", "[3, 4]", "expected length 12", "actual length 10");
        Assert.All(output, v => Assert.Equal(42f, v));
    }

    [Fact]
    public void Input_and_output_of_different_lengths_are_rejected()
    {
        var output = new float[11];
        Array.Fill(output, 42f);
        AssertRejected(() => Kernels.Softmax(new float[12], output, [3, 4]), "output", "expected length 12", "actual length 11");
        Assert.All(output, v => Assert.Equal(42f, v));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(-3)]
    public void An_axis_out_of_range_names_the_rank_and_the_valid_range(int axis)
    {
        AssertRejected(() => Kernels.Softmax(new float[12], new float[12], [3, 4], axis), "axis", $"Axis {axis}", "rank 2", "-2 to 1");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_non_positive_dimension_is_rejected(int dim)
    {
        AssertRejected(() => Kernels.Softmax(new float[0], new float[0], [3, dim]), "shape", $"Dimension 1", $"is {dim}");
    }

    [Fact]
    public void An_empty_shape_is_rejected()
    {
        AssertRejected(() => Kernels.Softmax(new float[1], new float[1], ReadOnlySpan<int>.Empty), "shape", "empty");
    }

    [Fact]
    public void Input_and_output_that_overlap_without_being_the_same_memory_are_rejected()
    {
        var buffer = new float[20];
        Array.Fill(buffer, 1f);
        AssertRejected(() => Kernels.Softmax(buffer.AsSpan(0, 12), buffer.AsSpan(3, 12), [3, 4]), "output", "overlap", "3 elements after");
        Assert.All(buffer, v => Assert.Equal(1f, v));
    }

    [Fact]
    public void The_same_memory_is_accepted_as_in_place()
    {
        float[] data = [1, 2, 3, 4];
        Kernels.Softmax(data, data, [4]);
        Assert.Equal(1.0, data[0] + data[1] + data[2] + data[3], 6);
    }

    [Theory]
    [InlineData(0, 12, 0, 12, false)]   // the same memory: in place
    [InlineData(0, 12, 12, 8, false)]   // output right after input
    [InlineData(12, 8, 0, 12, false)]   // output right before input
    [InlineData(0, 12, 11, 8, true)]    // the last input element is the first output element
    [InlineData(11, 8, 0, 12, true)]    // the first input element is the last output element
    [InlineData(0, 12, 1, 12, true)]
    [InlineData(4, 12, 0, 20, true)]    // output contains input
    [InlineData(0, 20, 4, 12, true)]    // input contains output
    [InlineData(0, 0, 0, 20, false)]    // empty spans overlap nothing
    [InlineData(5, 0, 0, 20, false)]
    public void The_overlap_check_rejects_exactly_the_partly_overlapping_spans(int inputStart, int inputLength, int outputStart, int outputLength, bool rejected)
    {
        var buffer = new float[32];
        void Check() => KernelGen.CompilerServices.KernelArguments.CheckOverlap<float>(buffer.AsSpan(inputStart, inputLength), buffer.AsSpan(outputStart, outputLength), "x", "y");
        if (rejected)
        {
            var e = Assert.Throws<ArgumentException>(Check);
            Assert.Equal("y", e.ParamName);
            Assert.Contains("overlap", e.Message, StringComparison.Ordinal);
        }
        else
        {
            Check();
        }
    }

    [Fact]
    public void The_overlap_check_ignores_spans_of_different_arrays()
    {
        KernelGen.CompilerServices.KernelArguments.CheckOverlap<double>(new double[8], new double[8], "x", "y");
        KernelGen.CompilerServices.KernelArguments.CheckOverlap<float>(new float[1 << 20], new float[3], "x", "y");
    }
}
