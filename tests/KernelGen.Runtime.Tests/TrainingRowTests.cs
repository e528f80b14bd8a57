using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using KernelGen.Tests;
using Xunit.Abstractions;

namespace KernelGen.Runtime.Tests;

/// <summary>
/// The training row functions (<see cref="CompilerServices.TrainingRows"/>) on every path against the double-double
/// references of <see cref="TrainingReference"/>: float gradients within 8 ULP and losses within 4 ULP, doubles within
/// the bounds in <see cref="DoubleGradientUlps"/> and <see cref="DoubleLossUlps"/>.
/// </summary>
public class TrainingRowTests(ITestOutputHelper output)
{
    public const double FloatGradientUlps = 8, FloatLossUlps = 4, DoubleGradientUlps = 8, DoubleLossUlps = 4;

    internal static readonly int[] RowLengths = [.. Enumerable.Range(1, 17), 31, 128, 1000];

    public static IEnumerable<object[]> PathsAndOps() =>
        from p in TrainingPathList.Names from log in new[] { false, true } select new object[] { p, log };

    public static IEnumerable<object[]> Paths() => TrainingPathList.Names.Select(p => new object[] { p });

    [Theory]
    [MemberData(nameof(PathsAndOps))]
    public void Float_gradient_rows_match_the_reference(string path, bool log) =>
        GradientRows<float>(TrainingPathList.Get(path), log, FloatGradientUlps);

    [Theory]
    [MemberData(nameof(PathsAndOps))]
    public void Double_gradient_rows_match_the_reference(string path, bool log) =>
        GradientRows<double>(TrainingPathList.Get(path), log, DoubleGradientUlps);

    [Theory]
    [MemberData(nameof(PathsAndOps))]
    public void Float_gradient_columns_match_the_reference(string path, bool log) =>
        GradientColumns<float>(TrainingPathList.Get(path), log, FloatGradientUlps);

    [Theory]
    [MemberData(nameof(PathsAndOps))]
    public void Double_gradient_columns_match_the_reference(string path, bool log) =>
        GradientColumns<double>(TrainingPathList.Get(path), log, DoubleGradientUlps);

    [Theory]
    [MemberData(nameof(Paths))]
    public void Float_cross_entropy_matches_the_reference(string path) =>
        CrossEntropyRows<float>(TrainingPathList.Get(path), FloatLossUlps, FloatGradientUlps);

    [Theory]
    [MemberData(nameof(Paths))]
    public void Double_cross_entropy_matches_the_reference(string path) =>
        CrossEntropyRows<double>(TrainingPathList.Get(path), DoubleLossUlps, DoubleGradientUlps);

    private void GradientRows<T>(ITrainingPath path, bool log, double bound)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        double worst = 0;
        foreach (int n in RowLengths)
        {
            const int rows = 3;
            worst = Math.Max(worst, CheckGradient<T>(path, log, rows, n, 1, bound, seed: n));
        }
        output.WriteLine($"{path.Name} {typeof(T).Name} {(log ? "LogSoftmaxGradient" : "SoftmaxGradient")} rows: worst {worst:F2} ULP");
    }

    private void GradientColumns<T>(ITrainingPath path, bool log, double bound)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        double worst = 0;
        foreach ((int length, int inner) in new[] { (5, 3), (7, 8), (3, 17), (16, 16), (9, 33), (128, 5), (1, 20), (40, 70) })
        {
            worst = Math.Max(worst, CheckGradient<T>(path, log, 2, length, inner, bound, seed: length * 100 + inner));
        }
        output.WriteLine($"{path.Name} {typeof(T).Name} {(log ? "LogSoftmaxGradient" : "SoftmaxGradient")} columns: worst {worst:F2} ULP");
    }

    /// <summary>Runs one layout on every data kind and scale, out of place and in place; returns the worst ULP error.</summary>
    internal static double CheckGradient<T>(ITrainingPath path, bool log, int outer, int length, int inner, double bound, int seed, bool longRow = false)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        double worst = 0;
        foreach ((string kind, T[] y, T[] dy) in TrainingData.GradientCases<T>(log, outer, length, inner, seed).Take(longRow ? 3 : 6))
        {
            foreach (T scale in longRow ? new[] { T.One } : new[] { T.One, T.CreateTruncating(0.125), T.CreateTruncating(0.3) })
            {
                double[] allowance;
                double[] expected = log
                    ? TrainingReference.LogSoftmaxGradient(Widen(y), Widen(dy), outer, length, inner, double.CreateTruncating(scale), out allowance)
                    : TrainingReference.SoftmaxGradient(Widen(y), Widen(dy), outer, length, inner, double.CreateTruncating(scale), out allowance);
                string context = $"{path.Name} {typeof(T).Name} {(log ? "LogSoftmaxGradient" : "SoftmaxGradient")} [{outer}, {length}, {inner}] {kind} scale {scale}";
                var dx = new T[y.Length];
                RunGradient(path, log, y, dy, dx, outer, length, inner, scale);
                worst = Math.Max(worst, TrainingTolerance.AssertUlps(expected, dx, TrainingTolerance.Rows(outer, length, inner), bound, context,
                    typeof(T) == typeof(double) ? allowance : null));
                // In place, over y and over dy: the same values.
                T[] overY = (T[])y.Clone();
                RunGradient(path, log, overY, dy, overY, outer, length, inner, scale);
                AssertSame(dx, overY, context + ": in place over y");
                T[] overDy = (T[])dy.Clone();
                RunGradient(path, log, y, overDy, overDy, outer, length, inner, scale);
                AssertSame(dx, overDy, context + ": in place over dy");
            }
        }
        return worst;
    }

    internal static void RunGradient<T>(ITrainingPath path, bool log, T[] y, T[] dy, T[] dx, int outer, int length, int inner, T scale)
        where T : unmanaged
    {
        int slab = length * inner;
        for (int o = 0; o < outer; o++)
        {
            path.Gradient(log, y.AsSpan(o * slab, slab), dy.AsSpan(o * slab, slab), dx.AsSpan(o * slab, slab), length, inner == 1 ? 0 : inner, scale);
        }
    }

    private void CrossEntropyRows<T>(ITrainingPath path, double lossBound, double gradientBound)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        double worstLoss = 0, worstGradient = 0;
        foreach (int n in RowLengths)
        {
            (double loss, double gradient) = CheckCrossEntropy<T>(path, n, rows: 4, lossBound, gradientBound, seed: n);
            worstLoss = Math.Max(worstLoss, loss);
            worstGradient = Math.Max(worstGradient, gradient);
        }
        output.WriteLine($"{path.Name} {typeof(T).Name} cross-entropy: loss worst {worstLoss:F2} ULP, gradient worst {worstGradient:F2} ULP");
    }

    internal static (double Loss, double Gradient) CheckCrossEntropy<T>(ITrainingPath path, int n, int rows, double lossBound, double gradientBound, int seed, bool longRow = false)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        double worstLoss = 0, worstGradient = 0;
        var random = new Random(seed);
        foreach ((string kind, T[] x) in TrainingData.LogitCases<T>(rows, n, seed).Take(longRow ? 3 : 5))
        {
            foreach (T scale in longRow ? new[] { T.One } : new[] { T.One, T.CreateTruncating(0.5) })
            {
                for (int r = 0; r < rows; r++)
                {
                    T[] row = x.AsSpan(r * n, n).ToArray();
                    int target = TrainingData.TargetFor(kind, row, random);
                    T factor = T.CreateTruncating(double.CreateTruncating(scale) / 3);
                    var expectedGradient = new double[n];
                    double expectedLoss = TrainingReference.CrossEntropy(Widen(row), target, double.CreateTruncating(scale), typeof(T) == typeof(float), double.CreateTruncating(factor), expectedGradient);
                    string context = $"{path.Name} {typeof(T).Name} cross-entropy [{n}] {kind} row {r} target {target} scale {scale}";
                    T lossOnly = path.CrossEntropy(row.AsSpan(), target, scale);
                    worstLoss = Math.Max(worstLoss, TrainingTolerance.AssertLoss(expectedLoss, lossOnly, lossBound, context));
                    var dx = new T[n];
                    T loss = path.CrossEntropyWithGradient(row.AsSpan(), target, scale, factor, false, dx);
                    AssertSame(lossOnly, loss, context + ": the loss with and without the gradient");
                    worstGradient = Math.Max(worstGradient, TrainingTolerance.AssertUlps(expectedGradient, dx, [Enumerable.Range(0, n).ToArray()], gradientBound, context));
                    // In place: the gradient over the logits gives the same values.
                    T[] inPlace = (T[])row.Clone();
                    T loss2 = path.CrossEntropyWithGradient(inPlace.AsSpan(), target, scale, factor, false, inPlace);
                    AssertSame(loss, loss2, context + ": the loss in place");
                    AssertSame(dx, inPlace, context + ": in place");
                    if (typeof(T) == typeof(float))
                    {
                        // Softmax values below the normal range are 0: no gradient is subnormal.
                        Assert.DoesNotContain(dx, v => v != T.Zero && T.Abs(v) < T.CreateTruncating(Lanes.SmallestNormalFloat));
                    }
                }
            }
        }
        return (worstLoss, worstGradient);
    }

    /// <summary>
    /// The same values within 4 ULP (NaN matching NaN, infinities exactly), or a failure naming the first element that
    /// differs. Not the same bits: the JIT may run one call's exp (KernelGen's float exp, .NET's double exp) at tier 0,
    /// whose multiply-add estimates are not fused, and the next at tier 1, whose are, and the bits may then differ by an ULP.
    /// </summary>
    internal static void AssertSame<T>(T[] expected, T[] actual, string context)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < expected.Length; i++)
        {
            AssertSame(expected[i], actual[i], $"{context}: element {i}");
        }
    }

    /// <inheritdoc cref="AssertSame{T}(T[], T[], string)"/>
    internal static void AssertSame<T>(T expected, T actual, string context)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (expected.Equals(actual)) return;
        double e = double.CreateTruncating(expected), a = double.CreateTruncating(actual);
        double spacing = TrainingTolerance.Ulp<T>(Math.Max(Math.Abs(e), Math.Abs(a)));
        if (!double.IsFinite(e) || !double.IsFinite(a) || Math.Abs(a - e) > 4 * spacing)
        {
            Assert.Fail($"{context} is {a:R}, expected {e:R}");
        }
    }

    internal static double[] Widen<T>(T[] values)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Array.ConvertAll(values, double.CreateTruncating);
}

/// <summary>Test data for the training kernels.</summary>
internal static class TrainingData
{
    /// <summary>y (a forward kernel's output) and dy for a gradient test on an [outer, length, inner] layout.</summary>
    public static IEnumerable<(string Kind, T[] Y, T[] Dy)> GradientCases<T>(bool log, int outer, int length, int inner, int seed)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int count = outer * length * inner;
        int[] shape = [outer, length, inner];
        foreach ((string logitKind, double stddev) in new[] { ("logits normal(0, 3)", 3.0), ("logits normal(0, 20)", 20.0) })
        {
            T[] y = Forward(log, From<T>(TestData.NormalDouble(count, stddev, seed)), shape);
            yield return (logitKind + ", dy normal(0, 1)", y, From<T>(TestData.NormalDouble(count, 1, seed + 1)));
            // Negative log-likelihood's gradient: -1 at one position per row, 0 elsewhere.
            var oneHot = new T[count];
            var random = new Random(seed + 2);
            for (int o = 0; o < outer; o++)
            {
                for (int k = 0; k < inner; k++) oneHot[o * length * inner + random.Next(length) * inner + k] = -T.One;
            }
            yield return (logitKind + ", dy one-hot", y, oneHot);
            // dy constant: the softmax gradient cancels (dy - sum(dy * y) is about dy (1 - sum(y))).
            var constant = new T[count];
            Array.Fill(constant, T.CreateTruncating(0.7));
            yield return (logitKind + ", dy constant", y, constant);
        }
    }

    /// <summary>Rows of logits: GPT-2-like, confident (the target far above the rest), with -inf entries, near 1000.</summary>
    public static IEnumerable<(string Kind, T[] X)> LogitCases<T>(int rows, int n, int seed)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int count = rows * n;
        yield return ("normal(0, 3)", From<T>(TestData.NormalDouble(count, 3, seed)));
        yield return ("normal(0, 20)", From<T>(TestData.NormalDouble(count, 20, seed + 1)));
        T[] confident = From<T>(TestData.NormalDouble(count, 1, seed + 2));
        yield return ("confident", confident); // TargetFor raises the target's logit
        T[] withInf = From<T>(TestData.NormalDouble(count, 5, seed + 3));
        for (int i = 1; i < count; i += 3) withInf[i] = T.NegativeInfinity;
        yield return ("with -inf", withInf);
        T[] large = From<T>(TestData.NormalDouble(count, 2, seed + 4));
        for (int i = 0; i < count; i++) large[i] += T.CreateTruncating(1000);
        yield return ("near 1000", large);
    }

    /// <summary>A target for a row: random; for the confident rows, made the maximum by 8, 20 or 40.</summary>
    public static int TargetFor<T>(string kind, T[] row, Random random)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int target = random.Next(row.Length);
        if (kind == "confident")
        {
            T max = row.Max();
            row[target] = max + T.CreateTruncating(new[] { 8.0, 20.0, 40.0 }[random.Next(3)]);
        }
        return target;
    }

    public static T[] From<T>(double[] values)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Array.ConvertAll(values, T.CreateTruncating);

    public static T[] Forward<T>(bool log, T[] input, int[] shape, int axis = 1)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var result = new T[input.Length];
        if (typeof(T) == typeof(float))
        {
            float[] f = (float[])(object)input, r = (float[])(object)result;
            if (log) Kernels.LogSoftmax(f, r, shape, axis); else Kernels.Softmax(f, r, shape, axis);
        }
        else
        {
            double[] d = (double[])(object)input, r = (double[])(object)result;
            if (log) Kernels.LogSoftmax(d, r, shape, axis); else Kernels.Softmax(d, r, shape, axis);
        }
        return result;
    }
}

/// <summary>The paths the training tests run on.</summary>
internal static class TrainingPathList
{
    private static readonly ITrainingPath[] All =
        [new PublicTrainingPath(), new WidthTrainingPath("Vector512"), new WidthTrainingPath("Vector256"), new WidthTrainingPath("Vector128"), new WidthTrainingPath("scalar")];

    public static IEnumerable<string> Names => All.Select(p => p.Name);

    public static ITrainingPath Get(string name) => All.Single(p => p.Name == name);
}
