using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using KernelGen.CompilerServices;
using KernelGen.Tests;
using Xunit.Abstractions;

namespace KernelGen.Runtime.Tests;

/// <summary>
/// <see cref="Kernels.SoftmaxGradient(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, ReadOnlySpan{int}, int, float)"/>,
/// <see cref="Kernels.LogSoftmaxGradient(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, ReadOnlySpan{int}, int, float)"/> and
/// <see cref="Kernels.SoftmaxCrossEntropy(ReadOnlySpan{float}, int, ReadOnlySpan{int}, Span{float}, Span{float}, int, float)"/>:
/// shapes and axes, in place, scale, the ignore index, special values, argument checks, long rows, allocations, and
/// central finite differences showing the formulas are the derivatives of the forward kernels.
/// </summary>
public class TrainingApiTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> ShapesAndAxes()
    {
        int[][] shapes = [[4, 7], [3, 128], [2, 5, 9], [3, 17, 20], [2, 3, 4, 5], [1, 1], [5, 1]];
        foreach (int[] shape in shapes)
        {
            for (int axis = 0; axis < shape.Length; axis++) yield return [shape, axis];
        }
    }

    [Theory]
    [MemberData(nameof(ShapesAndAxes))]
    public void Gradients_match_the_reference_on_every_axis(int[] shape, int axis)
    {
        (int outer, int length, int inner) = Reference.Split(shape, axis);
        int count = Reference.Count(shape);
        foreach (bool log in new[] { false, true })
        {
            foreach ((string kind, float[] y, float[] dy) in TrainingData.GradientCases<float>(log, outer, length, inner, seed: count + axis))
            {
                double[] expected = log
                    ? TrainingReference.LogSoftmaxGradient(Tolerance.Widen(y), Tolerance.Widen(dy), outer, length, inner, 0.125)
                    : TrainingReference.SoftmaxGradient(Tolerance.Widen(y), Tolerance.Widen(dy), outer, length, inner, 0.125);
                string context = $"{(log ? "LogSoftmaxGradient" : "SoftmaxGradient")} {Reference.Describe(shape, axis)} {kind}";
                var dx = new float[count];
                Gradient(log, y, dy, dx, shape, axis, 0.125f);
                TrainingTolerance.AssertUlps(expected, dx, TrainingTolerance.Rows(outer, length, inner), TrainingRowTests.FloatGradientUlps, context);
                float[] overY = (float[])y.Clone();
                Gradient(log, overY, dy, overY, shape, axis, 0.125f);
                TrainingRowTests.AssertSame(dx, overY, context + " over the output");
                float[] overDy = (float[])dy.Clone();
                Gradient(log, y, overDy, overDy, shape, axis, 0.125f);
                TrainingRowTests.AssertSame(dx, overDy, context + " over the output gradient");

                double[] yd = Tolerance.Widen(y), dyd = Tolerance.Widen(dy), dxd = new double[count];
                if (log) Kernels.LogSoftmaxGradient(yd, dyd, dxd, shape, axis, 0.125);
                else Kernels.SoftmaxGradient(yd, dyd, dxd, shape, axis, 0.125);
                double[] allowance;
                double[] expectedDouble = log
                    ? TrainingReference.LogSoftmaxGradient(yd, dyd, outer, length, inner, 0.125, out allowance)
                    : TrainingReference.SoftmaxGradient(yd, dyd, outer, length, inner, 0.125, out allowance);
                TrainingTolerance.AssertUlps(expectedDouble, dxd, TrainingTolerance.Rows(outer, length, inner), TrainingRowTests.DoubleGradientUlps, context + " double", allowance);
            }
        }
    }

    private static void Gradient(bool log, float[] y, float[] dy, float[] dx, int[] shape, int axis, float scale)
    {
        if (log) Kernels.LogSoftmaxGradient(y, dy, dx, shape, axis, scale);
        else Kernels.SoftmaxGradient(y, dy, dx, shape, axis, scale);
    }

    [Fact]
    public void Cross_entropy_matches_the_reference_with_the_ignore_index_and_scale()
    {
        const int rows = 9, classes = 37;
        float[] logits = TestData.Normal(rows * classes, 4, seed: 5);
        int[] targets = [3, -100, 36, 0, -100, 17, 5, 5, 20];
        foreach (float scale in new[] { 1f, 0.5f })
        {
            var losses = new float[rows];
            var gradient = new float[rows * classes];
            Kernels.SoftmaxCrossEntropy(logits, classes, targets, losses, gradient, scale: scale);
            var lossesOnly = new float[rows];
            Kernels.SoftmaxCrossEntropy(logits, classes, targets, lossesOnly, scale: scale);
            TrainingRowTests.AssertSame(losses, lossesOnly, "losses with and without the gradient");
            const int counted = 7;
            for (int r = 0; r < rows; r++)
            {
                string context = $"row {r} scale {scale}";
                Span<float> rowGradient = gradient.AsSpan(r * classes, classes);
                if (targets[r] == -100)
                {
                    Assert.Equal(0f, losses[r]);
                    Assert.All(rowGradient.ToArray(), v => Assert.Equal(0f, v));
                    continue;
                }
                var expectedGradient = new double[classes];
                double expected = TrainingReference.CrossEntropy(Tolerance.Widen(logits.AsSpan(r * classes, classes)), targets[r], scale, roundToFloat: true,
                    (float)((double)scale / counted), expectedGradient);
                TrainingTolerance.AssertLoss(expected, losses[r], TrainingRowTests.FloatLossUlps, context);
                TrainingTolerance.AssertUlps(expectedGradient, rowGradient.ToArray(), [Enumerable.Range(0, classes).ToArray()], TrainingRowTests.FloatGradientUlps, context);
                // Each counted row's gradient sums to 0 (softmax sums to 1).
                Assert.True(Math.Abs(rowGradient.ToArray().Sum(v => (double)v)) < 1e-7, context + ": gradient does not sum to 0");
            }
            // In place: the gradient over the logits.
            float[] inPlace = (float[])logits.Clone();
            var losses2 = new float[rows];
            Kernels.SoftmaxCrossEntropy(inPlace, classes, targets, losses2, inPlace, scale: scale);
            TrainingRowTests.AssertSame(gradient, inPlace, "in place");
            TrainingRowTests.AssertSame(losses, losses2, "in place losses");
        }
    }

    [Fact]
    public void Cross_entropy_in_double_matches_the_reference()
    {
        const int rows = 5, classes = 300;
        double[] logits = TestData.NormalDouble(rows * classes, 6, seed: 9);
        int[] targets = [299, 0, -1, 150, 7];
        var losses = new double[rows];
        var gradient = new double[rows * classes];
        Kernels.SoftmaxCrossEntropy(logits, classes, targets, losses, gradient, ignoreIndex: -1, scale: 0.75);
        for (int r = 0; r < rows; r++)
        {
            if (targets[r] == -1)
            {
                Assert.Equal(0, losses[r]);
                continue;
            }
            var expectedGradient = new double[classes];
            double expected = TrainingReference.CrossEntropy(logits.AsSpan(r * classes, classes), targets[r], 0.75, roundToFloat: false, 0.75 / 4, expectedGradient);
            TrainingTolerance.AssertLoss(expected, losses[r], TrainingRowTests.DoubleLossUlps, $"row {r}");
            TrainingTolerance.AssertUlps(expectedGradient, gradient.AsSpan(r * classes, classes).ToArray(), [Enumerable.Range(0, classes).ToArray()], TrainingRowTests.DoubleGradientUlps, $"row {r}");
        }
    }

    [Fact]
    public void Long_rows_of_50257_match_the_reference_on_every_path()
    {
        const int n = 50257;
        foreach (string path in TrainingPathList.Names)
        {
            ITrainingPath p = TrainingPathList.Get(path);
            (double loss, double gradient) = TrainingRowTests.CheckCrossEntropy<float>(p, n, rows: 1, TrainingRowTests.FloatLossUlps, TrainingRowTests.FloatGradientUlps, seed: 3, longRow: true);
            double softmax = TrainingRowTests.CheckGradient<float>(p, log: false, 1, n, 1, TrainingRowTests.FloatGradientUlps, seed: 4, longRow: true);
            double logSoftmax = TrainingRowTests.CheckGradient<float>(p, log: true, 1, n, 1, TrainingRowTests.FloatGradientUlps, seed: 5, longRow: true);
            output.WriteLine($"{path} float [{n}]: cross-entropy loss {loss:F2} ULP, gradient {gradient:F2} ULP; softmax gradient {softmax:F2} ULP; log-softmax gradient {logSoftmax:F2} ULP");
        }
    }

    [Fact]
    public void Special_values_stay_in_their_row()
    {
        const int classes = 20;
        float[] logits = TestData.Normal(5 * classes, 3, seed: 2);
        logits[0 * classes + 4] = float.NaN;                                      // row 0: a NaN
        logits[1 * classes + 7] = float.NegativeInfinity;                         // row 1: the target's logit is -inf
        Array.Fill(logits, float.NegativeInfinity, 2 * classes, classes);        // row 2: every logit -inf
        logits[3 * classes + 2] = float.PositiveInfinity;                         // row 3: +inf
        int[] targets = [1, 7, 3, 2, 11];                                         // row 4: ordinary
        var losses = new float[5];
        var gradient = new float[5 * classes];
        Kernels.SoftmaxCrossEntropy(logits, classes, targets, losses, gradient);
        Assert.True(float.IsNaN(losses[0]));
        Assert.All(gradient.AsSpan(0, classes).ToArray(), v => Assert.True(float.IsNaN(v)));
        Assert.Equal(float.PositiveInfinity, losses[1]);
        Assert.Equal(-1f / 5, gradient[1 * classes + 7]);
        Assert.Equal(float.PositiveInfinity, losses[2]);
        Assert.All(gradient.AsSpan(2 * classes, classes).ToArray(), v => Assert.True(float.IsNaN(v)));
        Assert.True(float.IsNaN(losses[3]));
        Assert.True(float.IsFinite(losses[4]));
        Assert.All(gradient.AsSpan(4 * classes, classes).ToArray(), v => Assert.True(float.IsFinite(v)));

        // A fully masked row's gradient follows zeroMaskedRows; its loss is +inf either way (every path).
        foreach (string path in TrainingPathList.Names)
        {
            ITrainingPath p = TrainingPathList.Get(path);
            foreach (int n in new[] { 1, 3, 20, 100 })
            {
                var masked = new float[n];
                Array.Fill(masked, float.NegativeInfinity);
                var dx = new float[n];
                Assert.Equal(float.PositiveInfinity, p.CrossEntropyWithGradient<float>(masked, 0, 1f, 1f, zeroMaskedRows: true, dx));
                Assert.All(dx, v => Assert.Equal(0f, v));
                Assert.Equal(float.PositiveInfinity, p.CrossEntropyWithGradient<float>(masked, n - 1, 1f, 1f, zeroMaskedRows: false, dx));
                Assert.All(dx, v => Assert.True(float.IsNaN(v)));
                Assert.Equal(float.PositiveInfinity, p.CrossEntropy<float>(masked, 0, 1f));
                // -inf and a NaN: NaN, not a masked row.
                masked[n / 2] = float.NaN;
                Assert.True(float.IsNaN(p.CrossEntropyWithGradient<float>(masked, 0, 1f, 1f, zeroMaskedRows: true, dx)), $"{path} [{n}]");
                Assert.All(dx, v => Assert.True(float.IsNaN(v)));
            }
        }

        // Gradient kernels: a NaN in y or dy makes the row NaN; the other rows are untouched by it.
        foreach (bool log in new[] { false, true })
        {
            foreach (bool inY in new[] { false, true })
            {
                foreach ((int[] shape, int axis) in new[] { (new[] { 3, 40 }, 1), (new[] { 3, 5 }, 1), (new[] { 40, 3 }, 0), (new[] { 5, 3 }, 0) })
                {
                    (int outer, int length, int inner) = Reference.Split(shape, axis);
                    int count = Reference.Count(shape);
                    float[] y = TrainingData.Forward(log, TestData.Normal(count, 2, seed: 1), [outer, length, inner]);
                    float[] dy = TestData.Normal(count, 1, seed: 2);
                    (inY ? y : dy)[length / 2 * inner] = float.NaN; // row 0 (or column 0)
                    var dx = new float[count];
                    Gradient(log, y, dy, dx, shape, axis, 1f);
                    string context = $"{(log ? "log-" : "")}softmax gradient, NaN in {(inY ? "y" : "dy")}, {Reference.Describe(shape, axis)}";
                    foreach (int[] row in TrainingTolerance.Rows(outer, length, inner))
                    {
                        bool first = row[0] == 0;
                        Assert.All(row, i => Assert.True(first ? float.IsNaN(dx[i]) : float.IsFinite(dx[i]), $"{context}: element {i} is {dx[i]}"));
                    }
                }
            }
        }
    }

    [Fact]
    public void Empty_rows_write_nothing_on_every_path()
    {
        foreach (string path in TrainingPathList.Names)
        {
            ITrainingPath p = TrainingPathList.Get(path);
            float[] y = [0.5f], dy = [1f], dx = [42f];
            foreach (bool log in new[] { false, true })
            {
                p.Gradient<float>(log, y, dy, dx, 0, 0, 1f); // an empty row (a causal row that keeps no key)
                p.Gradient<float>(log, y, dy, dx, 0, 3, 1f); // columns of no positions
            }
            Assert.Equal(42f, dx[0]);
        }
    }

    [Fact]
    public void An_out_of_range_target_names_the_row_and_the_value_and_nothing_is_written()
    {
        var logits = new float[4 * 10];
        var losses = new float[4];
        var gradient = new float[40];
        Array.Fill(losses, 42f);
        Array.Fill(gradient, 42f);
        foreach (int bad in new[] { 10, -1, -101, int.MaxValue })
        {
            ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => Kernels.SoftmaxCrossEntropy(logits, 10, [0, 9, bad, 3], losses, gradient));
            Assert.Equal("targets", e.ParamName);
            Assert.Contains("row 2", e.Message, StringComparison.Ordinal);
            Assert.Contains($"is {bad}", e.Message, StringComparison.Ordinal);
            Assert.Contains("[0, 10)", e.Message, StringComparison.Ordinal);
            Assert.Throws<ArgumentOutOfRangeException>(() => Kernels.SoftmaxCrossEntropy(logits, 10, [0, 9, bad, 3], losses));
        }
        Assert.All(losses, v => Assert.Equal(42f, v));
        Assert.All(gradient, v => Assert.Equal(42f, v));
        // The ignore index is not out of range, even where it is negative; the counted rows are returned.
        Assert.Equal(2, KernelArguments.CheckTargets([0, -100, 9, -100], 10, -100, "targets"));
        Assert.Equal(3, KernelArguments.CheckTargets([0, 12, 9, 1], 10, 12, "targets"));
    }

    private static void AssertRejected(Action call, string parameter, params string[] mentions)
    {
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(call);
        Assert.Equal(parameter, e.ParamName);
        foreach (string m in mentions) Assert.Contains(m, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_arguments_are_rejected_before_anything_is_written()
    {
        var y = new float[12];
        var dy = new float[12];
        var dx = new float[12];
        Array.Fill(dx, 42f);
        AssertRejected(() => Kernels.SoftmaxGradient(y, dy, dx, [3, 5]), "output", "[3, 5]", "expected length 15", "actual length 12");
        AssertRejected(() => Kernels.LogSoftmaxGradient(y, new float[11], dx, [3, 4]), "outputGradient", "expected length 12", "actual length 11");
        AssertRejected(() => Kernels.SoftmaxGradient(y, dy, new float[13], [3, 4]), "inputGradient", "expected length 12", "actual length 13");
        AssertRejected(() => Kernels.SoftmaxGradient(y, dy, dx, [3, 4], axis: 2), "axis", "Axis 2");
        var buffer = new float[20];
        Array.Fill(buffer, 1f);
        AssertRejected(() => Kernels.SoftmaxGradient(buffer.AsSpan(0, 12), dy, buffer.AsSpan(2, 12), [3, 4]), "inputGradient", "overlap", "2 elements after");
        AssertRejected(() => Kernels.LogSoftmaxGradient(y, buffer.AsSpan(0, 12), buffer.AsSpan(5, 12), [3, 4]), "inputGradient", "overlap");
        Assert.All(buffer, v => Assert.Equal(1f, v));
        Assert.All(dx, v => Assert.Equal(42f, v));

        var logits = new float[40];
        var losses = new float[4];
        Array.Fill(losses, 42f);
        AssertRejected(() => Kernels.SoftmaxCrossEntropy(new float[41], 10, new int[4], losses), "logits", "41 elements", "multiple of 10");
        AssertRejected(() => Kernels.SoftmaxCrossEntropy(logits, 10, new int[3], losses), "targets", "4 rows", "expected length 4", "actual length 3");
        AssertRejected(() => Kernels.SoftmaxCrossEntropy(logits, 10, new int[4], new float[5]), "losses", "expected length 4", "actual length 5");
        AssertRejected(() => Kernels.SoftmaxCrossEntropy(logits, 10, new int[4], losses, new float[39]), "logitsGradient", "expected length 40", "actual length 39");
        AssertRejected(() => Kernels.SoftmaxCrossEntropy(logits, 0, new int[4], losses), "classes");
        var shared = new float[50];
        AssertRejected(() => Kernels.SoftmaxCrossEntropy(shared.AsSpan(0, 40), 10, new int[4], shared.AsSpan(38, 4)), "losses", "overlap");
        AssertRejected(() => Kernels.SoftmaxCrossEntropy(shared.AsSpan(0, 40), 10, new int[4], losses, shared.AsSpan(1, 40)), "logitsGradient", "overlap", "1 elements after");
        Assert.All(losses, v => Assert.Equal(42f, v));
    }

    [Fact]
    public void Calls_allocate_nothing()
    {
        float[] y = TrainingData.Forward(false, TestData.Normal(4 * 300, 3, seed: 1), [4, 300, 1]);
        float[] dy = TestData.Normal(4 * 300, 1, seed: 2), dx = new float[4 * 300];
        int[] shape = [4, 300];
        int[] targets = [1, 2, -100, 299];
        var losses = new float[4];
        for (int warm = 0; warm < 3; warm++)
        {
            Kernels.SoftmaxGradient(y, dy, dx, shape);
            Kernels.LogSoftmaxGradient(y, dy, dx, shape, 0);
            Kernels.SoftmaxCrossEntropy(y, 300, targets, losses, dx);
            Kernels.SoftmaxCrossEntropy(y, 300, targets, losses);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        Kernels.SoftmaxGradient(y, dy, dx, shape);
        Kernels.LogSoftmaxGradient(y, dy, dx, shape, 0);
        Kernels.SoftmaxCrossEntropy(y, 300, targets, losses, dx);
        Kernels.SoftmaxCrossEntropy(y, 300, targets, losses);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    // Central finite differences in double: the gradient kernels are the derivatives of the forward kernels.

    [Theory]
    [InlineData(false, new[] { 2, 5 }, 1, 1.0)]
    [InlineData(false, new[] { 3, 4, 2 }, 1, 0.5)]
    [InlineData(false, new[] { 6, 3 }, 0, 2.0)]
    [InlineData(true, new[] { 2, 5 }, 1, 1.0)]
    [InlineData(true, new[] { 3, 4, 2 }, 1, 0.5)]
    [InlineData(true, new[] { 6, 3 }, 0, 2.0)]
    public void Gradients_are_the_derivatives_of_the_forward_kernels(bool log, int[] shape, int axis, double scale)
    {
        int count = Reference.Count(shape);
        double[] x = TestData.NormalDouble(count, 1.5, seed: count);
        double[] dy = TestData.NormalDouble(count, 1, seed: count + 1);
        // f(x) = sum(dy * forward(scale * x)); its gradient is scale * the kernel's gradient at y = forward(scale * x).
        double F(double[] input)
        {
            double[] scaled = Array.ConvertAll(input, v => v * scale);
            var y = new double[count];
            if (log) Kernels.LogSoftmax(scaled, y, shape, axis); else Kernels.Softmax(scaled, y, shape, axis);
            double f = 0;
            for (int i = 0; i < count; i++) f += dy[i] * y[i];
            return f;
        }
        double[] scaledX = Array.ConvertAll(x, v => v * scale);
        var yAtX = new double[count];
        if (log) Kernels.LogSoftmax(scaledX, yAtX, shape, axis); else Kernels.Softmax(scaledX, yAtX, shape, axis);
        var gradient = new double[count];
        if (log) Kernels.LogSoftmaxGradient(yAtX, dy, gradient, shape, axis, scale);
        else Kernels.SoftmaxGradient(yAtX, dy, gradient, shape, axis, scale);
        AssertFiniteDifferences(F, x, gradient, $"{(log ? "LogSoftmax" : "Softmax")} {Reference.Describe(shape, axis)} scale {scale}");
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    public void The_cross_entropy_gradient_is_the_derivative_of_the_mean_loss(double scale)
    {
        const int rows = 4, classes = 6;
        double[] x = TestData.NormalDouble(rows * classes, 2, seed: 12);
        int[] targets = [2, -100, 5, 0];
        double MeanLoss(double[] input)
        {
            var losses = new double[rows];
            Kernels.SoftmaxCrossEntropy(input, classes, targets, losses, scale: scale);
            return losses.Sum() / 3; // three rows count
        }
        var gradient = new double[rows * classes];
        Kernels.SoftmaxCrossEntropy(x, classes, targets, new double[rows], gradient, scale: scale);
        AssertFiniteDifferences(MeanLoss, x, gradient, $"cross-entropy scale {scale}");
    }

    private static void AssertFiniteDifferences(Func<double[], double> f, double[] x, double[] gradient, string context)
    {
        const double h = 1e-5;
        for (int i = 0; i < x.Length; i++)
        {
            double[] plus = (double[])x.Clone(), minus = (double[])x.Clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (f(plus) - f(minus)) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[i]) <= 1e-8 + 1e-6 * Math.Abs(gradient[i]),
                $"{context}: element {i}: finite difference {numeric:R}, kernel {gradient[i]:R}");
        }
    }
}
