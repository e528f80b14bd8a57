using System;

namespace KernelGen.Execution.Tests;

/// <summary>The client's notebook (the client's seed folder, gpt2-softmax-notebook.txt): its printed results, reproduced by generated kernels.</summary>
public partial class NotebookTests
{
    [Softmax(3, 3)]
    private static partial void Softmax3x3(ReadOnlySpan<float> x, Span<float> y);

    [Softmax(3, 2)]
    private static partial void Softmax3x2(ReadOnlySpan<float> x, Span<float> y);

    [Fact]
    public void The_3x3_example_gives_the_notebook_values()
    {
        float[] x = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        var y = new float[9];
        Softmax3x3(x, y);
        for (int row = 0; row < 3; row++)
        {
            Assert.Equal(0.09003057f, y[row * 3], 7);
            Assert.Equal(0.24472848f, y[row * 3 + 1], 7);
            Assert.Equal(0.66524094f, y[row * 3 + 2], 7);
        }
    }

    [Fact]
    public void The_3x2_example_gives_the_notebook_values()
    {
        float[] x = [1, 1, 3, 2, 5, 9];
        var y = new float[6];
        Softmax3x2(x, y);
        float[] expected = [0.5f, 0.5f, 0.7310586f, 0.26894143f, 0.01798621f, 0.98201376f];
        for (int i = 0; i < 6; i++) Assert.Equal(expected[i], y[i], 7);
    }
}
