using System;
using KernelGen.Tests;
using Xunit.Abstractions;

namespace KernelGen.Runtime.Tests;

/// <summary>
/// The accuracy figures of the generic kernels on normal(0, 20) data (the TensorFlow notebook's data):
/// the worst ULP error against the float64 softmax, and how far rows are from summing to 1. Printed, and
/// checked against the bounds in the README.
/// </summary>
public class AccuracyReportTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(128)]
    [InlineData(1024)]
    [InlineData(4096)]
    [InlineData(65536)]
    public void Softmax_rows_of_normal_0_20_data(int rowLength)
    {
        int rows = Math.Max(4, 262_144 / rowLength);
        int[] shape = [rows, rowLength];
        float[] input = TestData.Normal(rows * rowLength, 20, seed: rowLength);
        var result = new float[input.Length];

        Kernels.Softmax(input, result, shape);
        double softmaxUlps = Tolerance.AssertUlps(Reference.ForFloatKernel(input, shape, -1), result, 4, $"softmax rows of {rowLength}");
        double worstSum = 0;
        for (int r = 0; r < rows; r++)
        {
            double sum = 0;
            for (int i = 0; i < rowLength; i++) sum += result[r * rowLength + i];
            worstSum = Math.Max(worstSum, Math.Abs(sum - 1));
        }

        Kernels.LogSoftmax(input, result, shape);
        double logUlps = Tolerance.AssertUlps(Reference.ForFloatKernel(input, shape, -1, log: true), result, 4, $"log-softmax rows of {rowLength}");

        output.WriteLine($"path {KernelGen.Tests.HardwarePath.Name}, {rows} rows of {rowLength}, normal(0, 20): softmax worst {softmaxUlps:F2} ULP, log-softmax worst {logUlps:F2} ULP, worst |row sum - 1| = {worstSum:E2}");
        Assert.InRange(worstSum, 0, 1e-6);
    }
}
