using System;
using System.Collections.Generic;
using System.Linq;
using KernelGen.Tests;

namespace KernelGen.Execution.Tests;

/// <summary>
/// A single row in registers is shifted by its first element unless its max is more than 64 above it, and by its max
/// otherwise (RegisterRowsPlan.FirstShiftLimit). Rows on both sides of that limit, with the first element infinite or
/// NaN, and with the first element the max, on every path of every declared single-row softmax, called directly, so
/// that each machine runs all of them (Vector512 in software where AVX-512 is missing).
/// </summary>
public class FirstShiftTests
{
    public static IEnumerable<object[]> SingleRows => DeclaredKernels.All
        .Where(k => !k.IsLog && k.Shape.Length == 2 && k.Shape[0] == 1 && k.Shape[1] >= 2 && k.Axis is 1 or -1)
        .Select(k => new object[] { k.Name });

    private static readonly string[] Paths = ["Vector512Path", "Vector256Path", "Vector128Path", "ScalarPath"];

    /// <summary>
    /// Rows whose first element is <c>d</c> below the max (the last element), the others between them; then rows whose
    /// first element is +inf, -inf or NaN, or the max by 100.
    /// </summary>
    private static IEnumerable<(string Name, float[] Row)> Rows(int length)
    {
        var random = new Random(length);
        float[] Row(float first, float last, float low, float high)
        {
            var row = new float[length];
            for (int i = 1; i < length - 1; i++) row[i] = low + (high - low) * random.NextSingle();
            row[0] = first;
            row[^1] = last;
            return row;
        }
        foreach (float d in new[] { 0f, 30f, 63.9f, 64.1f, 100f, 200f })
        {
            yield return ($"first element {d} below the max", Row(-d, 0, -d, 0));
        }
        yield return ("first element +inf", Row(float.PositiveInfinity, 0, -10, 0));
        yield return ("first element -inf", Row(float.NegativeInfinity, 0, -10, 0));
        yield return ("first element NaN", Row(float.NaN, 0, -10, 0));
        yield return ("first element the max by 100", Row(100, -1, -90, 0));
    }

    [Theory]
    [MemberData(nameof(SingleRows))]
    public void Single_rows_match_the_reference_on_both_sides_of_the_first_element_shift_limit(string name)
    {
        DeclaredKernel kernel = DeclaredKernels.All.Single(k => k.Name == name);
        var runs = new List<(string Path, Func<float[], float[]> Float, Func<double[], double[]> Double)>
        {
            ("dispatch", kernel.Run, kernel.Run),
        };
        foreach (string pathName in Paths)
        {
            System.Reflection.MethodInfo? path = GeneratedPaths.Find(name, pathName);
            if (path is not null) runs.Add((pathName, input => GeneratedPaths.Run(path, kernel, input), input => GeneratedPaths.Run(path, kernel, input)));
        }
        Assert.True(runs.Count >= 3, $"{name}: expected a vector path and the scalar path");
        foreach ((string data, float[] row) in Rows(kernel.Shape[1]))
        {
            foreach ((string path, Func<float[], float[]> runFloat, Func<double[], double[]> runDouble) in runs)
            {
                string context = $"{name}, {path}, {data}";
                if (kernel.IsFloat)
                {
                    float[] output = runFloat(row);
                    Tolerance.AssertUlps(Reference.ForFloatKernel(row, kernel.Shape, 1), output, maxUlps: 4, context);
                    Assert.DoesNotContain(output, v => v != 0 && Math.Abs(v) < Lanes.SmallestNormalFloat);
                }
                else
                {
                    double[] wide = Tolerance.Widen(row);
                    Tolerance.AssertClose(Reference.Softmax(wide, kernel.Shape, 1, false), runDouble(wide), relative: 1e-13, absoluteBelow: 1e-300, context);
                }
            }
        }
    }
}
