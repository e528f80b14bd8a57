using System;
using KernelGen.CompilerServices;
using Xunit;

namespace KernelGen.Runtime.Tests;

/// <summary>TrainingRows.Zero, with which causal gradient kernels clear their masked keys: exactly the count, nothing around it.</summary>
public class TrainingZeroTests
{
    [Fact]
    public void Zero_writes_exactly_count_zeros_and_nothing_before_or_after()
    {
        for (int start = 0; start < 3; start++)
        {
            for (int count = 0; count <= 70; count++)
            {
                float[] f = new float[start + count + 3];
                double[] d = new double[start + count + 3];
                Array.Fill(f, float.NaN);
                Array.Fill(d, double.NaN);
                TrainingRows.Zero(ref f[start], (nuint)count);
                TrainingRows.Zero(ref d[start], (nuint)count);
                for (int i = 0; i < f.Length; i++)
                {
                    bool zeroed = i >= start && i < start + count;
                    Assert.True(zeroed ? f[i] == 0 && !float.IsNegative(f[i]) : float.IsNaN(f[i]), $"float, start {start}, count {count}, element {i}: {f[i]}");
                    Assert.True(zeroed ? d[i] == 0 && !double.IsNegative(d[i]) : double.IsNaN(d[i]), $"double, start {start}, count {count}, element {i}: {d[i]}");
                }
            }
        }
    }
}
