using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using System.Numerics.Tensors;
using KernelGen.Runtime.Tests;
using KernelGen.Tests;

namespace KernelGen.Execution.Tests;

/// <summary>
/// The generated training kernels (issue #14) against the double-double references of the runtime tests
/// (<see cref="TrainingReference"/>, computed from the kernels' own inputs): gradients within 8 ULP where the reference is
/// above 1e-30 of its row's largest, losses within 4 ULP; short rows, rows of 128, rows of 50257, non-last axes, causal
/// (K = Q, K &gt; Q, K &lt; Q), a leading -1, Parallel, Scale, IgnoreIndex, MaskedRows, tensor spans, float and double, and
/// the gradient written over either input (or over the logits). .ci/run repeats these on the narrower paths.
/// </summary>
public partial class TrainingKernelTests
{
    // Gradients on each layout.
    [SoftmaxGradient(3, 5)] private static partial void ShortRows(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);
    [LogSoftmaxGradient(3, 5)] private static partial void LogShortRows(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);
    [SoftmaxGradient(4, 128, Scale = 0.5f)] private static partial void Rows128(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);
    [LogSoftmaxGradient(4, 128)] private static partial void LogRows128(ReadOnlySpan<double> y, ReadOnlySpan<double> dy, Span<double> dx);
    [SoftmaxGradient(2, 50257)] private static partial void Vocabulary(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);
    [LogSoftmaxGradient(1, 50257)] private static partial void LogVocabulary(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);
    [SoftmaxGradient(4, 33, 6, Axis = 1)] private static partial void Columns(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);
    [LogSoftmaxGradient(64, 20, Axis = 0, Scale = 2f)] private static partial void LogColumns(ReadOnlySpan<double> y, ReadOnlySpan<double> dy, Span<double> dx);
    [SoftmaxGradient(2, 16, 16, Causal = true, Scale = 0.125f)] private static partial void CausalSquare(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);
    [LogSoftmaxGradient(2, 5, 40, Causal = true)] private static partial void CausalMoreKeys(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);
    [SoftmaxGradient(2, 9, 5, Causal = true)] private static partial void CausalFewerKeys(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);
    [SoftmaxGradient(2, 12, 70, Causal = true, Scale = 0.125f)] private static partial void CausalDouble(ReadOnlySpan<double> y, ReadOnlySpan<double> dy, Span<double> dx);
    [SoftmaxGradient(-1, 20)] private static partial void DynamicRows(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);
    [LogSoftmaxGradient(-1, 4, 8, 8, Causal = true, Scale = 0.5f, Parallel = true)] private static partial void DynamicCausalParallel(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);
    [SoftmaxGradient(64, 4096, Parallel = true)] private static partial void ParallelRows(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);
    [SoftmaxGradient(3, 4, 5, Axis = 1)] private static partial void Tensor(ReadOnlyTensorSpan<float> y, ReadOnlyTensorSpan<float> dy, TensorSpan<float> dx);

    // Cross-entropy, the loss alone and with the gradient.
    [SoftmaxCrossEntropy(5, 7)] private static partial void Loss(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> losses);
    [SoftmaxCrossEntropy(5, 7)] private static partial void Loss(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> losses, Span<float> logitsGradient);
    [SoftmaxCrossEntropy(4, 128)] private static partial void Loss128(ReadOnlySpan<double> logits, ReadOnlySpan<int> targets, Span<double> losses, Span<double> logitsGradient);
    [SoftmaxCrossEntropy(2, 50257)] private static partial void LossVocabulary(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> losses, Span<float> logitsGradient);
    [SoftmaxCrossEntropy(-1, 50257)] private static partial void LossVocabularyOnly(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> losses);
    [SoftmaxCrossEntropy(-1, 10, IgnoreIndex = -1, Scale = 0.5f)] private static partial void LossTempered(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> losses, Span<float> logitsGradient);
    [SoftmaxCrossEntropy(6, 3, MaskedRows = MaskedRowPolicy.Zero)] private static partial void LossMasked(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> losses, Span<float> logitsGradient);
    [SoftmaxCrossEntropy(-1, 33, IgnoreIndex = 3)] private static partial void LossDouble(ReadOnlySpan<double> logits, ReadOnlySpan<int> targets, Span<double> losses);
    [SoftmaxCrossEntropy(-1, 1000, Parallel = true)] private static partial void LossParallel(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> losses, Span<float> logitsGradient);
    [SoftmaxCrossEntropy(64, 4096, Parallel = true, Scale = 2f)] private static partial void LossParallelOnly(ReadOnlySpan<double> logits, ReadOnlySpan<int> targets, Span<double> losses);

    private delegate void Gradient<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx);
    private delegate void Forward(ReadOnlySpan<double> x, Span<double> y);
    private delegate void LossOnly<T>(ReadOnlySpan<T> logits, ReadOnlySpan<int> targets, Span<T> losses);
    private delegate void LossAndGradient<T>(ReadOnlySpan<T> logits, ReadOnlySpan<int> targets, Span<T> losses, Span<T> gradient);

    private const double GradientUlps = 8, LossUlps = 4;

    // Query row i of a causal [Q, K] matrix kept keys j <= i + (K - Q): n of them (0 when K < Q and i < Q - K).
    private static int Visible(int row, int length, int[] shape, bool causal)
    {
        if (!causal) return length;
        int k = shape[^1], q = shape[^2];
        return Math.Clamp(row % q + k - q + 1, 0, k);
    }

    /// <summary>
    /// Runs a gradient kernel on softmax (or log-softmax) outputs of normal(0, 3) logits rounded to T and dy of
    /// normal(0, 1), writing dx apart, over y and over dy; masked elements of y and dy hold NaN, which must not be read.
    /// </summary>
    private static void CheckGradient<T>(Gradient<T> kernel, int[] shape, int axis, bool log, float scale = 1, bool causal = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = Reference.Count(shape);
        (int outer, int length, int inner) = Reference.Split(shape, axis);
        double[] logits = TestData.NormalDouble(count, 3, seed: count);
        double[] dyWide = TestData.NormalDouble(count, 1, seed: count + 7);
        var y = new T[count];
        var dy = new T[count];
        var rows = TrainingTolerance.Rows(outer, length, inner).ToArray();
        var expected = new double[count];
        var allowance = new double[count];
        var masked = new List<int>();
        for (int r = 0; r < rows.Length; r++)
        {
            int[] row = rows[r];
            int n = Visible(r, length, shape, causal);
            double max = row.Take(n).Select(i => logits[i]).DefaultIfEmpty(0).Max();
            double sum = row.Take(n).Sum(i => Math.Exp(logits[i] - max));
            var yRow = new double[n];
            var dyRow = new double[n];
            for (int j = 0; j < length; j++)
            {
                int at = row[j];
                if (j >= n)
                {
                    y[at] = T.NaN;
                    dy[at] = T.NaN;
                    masked.Add(at);
                    continue;
                }
                double value = log ? logits[at] - max - Math.Log(sum) : Math.Exp(logits[at] - max) / sum;
                y[at] = T.CreateTruncating(value);
                dy[at] = T.CreateTruncating(dyWide[at]);
                yRow[j] = double.CreateTruncating(y[at]);
                dyRow[j] = double.CreateTruncating(dy[at]);
            }
            if (n == 0) continue;
            double[] rowAllowance;
            double[] rowExpected = log
                ? TrainingReference.LogSoftmaxGradient(yRow, dyRow, 1, n, 1, scale, out rowAllowance)
                : TrainingReference.SoftmaxGradient(yRow, dyRow, 1, n, 1, scale, out rowAllowance);
            for (int j = 0; j < n; j++)
            {
                expected[row[j]] = rowExpected[j];
                allowance[row[j]] = rowAllowance[j];
            }
        }
        foreach (string mode in new[] { "dx apart", "dx over y", "dx over dy" })
        {
            T[] dx = mode switch { "dx over y" => (T[])y.Clone(), "dx over dy" => (T[])dy.Clone(), _ => new T[count] };
            T[] yIn = mode == "dx over y" ? dx : y, dyIn = mode == "dx over dy" ? dx : dy;
            kernel(yIn, dyIn, dx);
            string context = $"{Reference.Describe(shape, axis)}{(causal ? " causal" : "")}, {typeof(T).Name}, {mode}";
            TrainingTolerance.AssertUlps(expected, dx, rows, GradientUlps, context, allowance);
            foreach (int at in masked) Assert.True(dx[at] == T.Zero, $"{context}: masked element {at} is {dx[at]}, not 0");
        }
    }

    [Fact] public void Softmax_gradient_of_short_rows() => CheckGradient<float>(ShortRows, [3, 5], -1, log: false);
    [Fact] public void Log_softmax_gradient_of_short_rows() => CheckGradient<float>(LogShortRows, [3, 5], -1, log: true);
    [Fact] public void Softmax_gradient_of_rows_of_128_scaled() => CheckGradient<float>(Rows128, [4, 128], -1, log: false, scale: 0.5f);
    [Fact] public void Log_softmax_gradient_of_rows_of_128_double() => CheckGradient<double>(LogRows128, [4, 128], -1, log: true);
    [Fact] public void Softmax_gradient_of_the_gpt2_vocabulary() => CheckGradient<float>(Vocabulary, [2, 50257], -1, log: false);
    [Fact] public void Log_softmax_gradient_of_the_gpt2_vocabulary() => CheckGradient<float>(LogVocabulary, [1, 50257], -1, log: true);
    [Fact] public void Softmax_gradient_of_a_middle_axis() => CheckGradient<float>(Columns, [4, 33, 6], 1, log: false);
    [Fact] public void Log_softmax_gradient_of_columns_scaled_double() => CheckGradient<double>(LogColumns, [64, 20], 0, log: true, scale: 2f);
    [Fact] public void Causal_square_scaled() => CheckGradient<float>(CausalSquare, [2, 16, 16], -1, log: false, scale: 0.125f, causal: true);
    [Fact] public void Causal_log_softmax_with_more_keys_than_queries() => CheckGradient<float>(CausalMoreKeys, [2, 5, 40], -1, log: true, causal: true);
    [Fact] public void Causal_with_fewer_keys_than_queries_gives_rows_without_keys_a_gradient_of_zero() => CheckGradient<float>(CausalFewerKeys, [2, 9, 5], -1, log: false, causal: true);
    [Fact] public void Causal_scaled_double() => CheckGradient<double>(CausalDouble, [2, 12, 70], -1, log: false, scale: 0.125f, causal: true);

    [Fact]
    public void A_leading_minus_one_takes_as_many_rows_as_the_spans_hold()
    {
        CheckGradient<float>(DynamicRows, [1, 20], -1, log: false);
        CheckGradient<float>(DynamicRows, [7, 20], -1, log: false);
    }

    [Fact]
    public void Parallel_causal_any_batch() => CheckGradient<float>(DynamicCausalParallel, [300, 4, 8, 8], -1, log: true, scale: 0.5f, causal: true);

    [Fact]
    public void Parallel_rows_large_enough_to_split() => CheckGradient<float>(ParallelRows, [64, 4096], -1, log: false);

    [Fact]
    public void Tensor_spans() => CheckGradient<float>(
        (y, dy, dx) => Tensor(new ReadOnlyTensorSpan<float>(y, [3, 4, 5]), new ReadOnlyTensorSpan<float>(dy, [3, 4, 5]), new TensorSpan<float>(dx, [3, 4, 5])),
        [3, 4, 5], 1, log: false);

    /// <summary>
    /// Targets in [0, classes) from a fixed seed, with <paramref name="ignored"/> rows set to the ignore index; checks the
    /// losses (4 ULP) and, when the kernel writes it, the gradient of the mean loss (8 ULP), apart and over the logits.
    /// </summary>
    private static void CheckCrossEntropy<T>(LossOnly<T>? lossOnly, LossAndGradient<T>? withGradient, int rows, int classes,
        float scale = 1, int ignoreIndex = -100, int[]? ignored = null, double[]? logits = null, bool zeroMaskedRows = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = rows * classes;
        logits ??= TestData.NormalDouble(count, 4, seed: count + 3);
        T[] x = logits.Select(T.CreateTruncating).ToArray();
        var random = new Random(rows + classes);
        int[] targets = Enumerable.Range(0, rows).Select(_ => random.Next(classes)).ToArray();
        foreach (int r in ignored ?? []) targets[r] = ignoreIndex;
        int counted = targets.Count(t => t != ignoreIndex);
        double factor = counted == 0 ? 0 : (double)scale / counted;
        if (typeof(T) == typeof(float)) factor = (float)scale / Math.Max(counted, 1);
        var expectedLoss = new double[rows];
        var expectedGradient = new double[count];
        for (int r = 0; r < rows; r++)
        {
            if (targets[r] == ignoreIndex) continue;
            double[] row = x.Skip(r * classes).Take(classes).Select(double.CreateTruncating).ToArray();
            expectedLoss[r] = TrainingReference.CrossEntropy(row, targets[r], scale, roundToFloat: typeof(T) == typeof(float), factor,
                expectedGradient.AsSpan(r * classes, classes), zeroMaskedRows);
        }
        string context = $"[{rows}, {classes}] {typeof(T).Name}";
        void CheckLosses(T[] losses, string mode)
        {
            for (int r = 0; r < rows; r++)
            {
                if (targets[r] == ignoreIndex) Assert.True(losses[r] == T.Zero, $"{context}, {mode}: ignored row {r} has loss {losses[r]}");
                else TrainingTolerance.AssertLoss(expectedLoss[r], losses[r], LossUlps, $"{context}, {mode}, row {r}");
            }
        }
        if (lossOnly is not null)
        {
            var losses = new T[rows];
            losses.AsSpan().Fill(T.CreateTruncating(42));
            lossOnly(x, targets, losses);
            CheckLosses(losses, "losses alone");
        }
        if (withGradient is not null)
        {
            int[][] rowIndices = TrainingTolerance.Rows(rows, classes, 1).ToArray();
            foreach (bool overLogits in new[] { false, true })
            {
                var losses = new T[rows];
                T[] input = (T[])x.Clone();
                T[] gradient = overLogits ? input : Enumerable.Repeat(T.CreateTruncating(42), count).ToArray();
                withGradient(input, targets, losses, gradient);
                string mode = overLogits ? "gradient over the logits" : "gradient apart";
                CheckLosses(losses, mode);
                TrainingTolerance.AssertUlps(expectedGradient, gradient, rowIndices, GradientUlps, $"{context}, {mode}");
                for (int r = 0; r < rows; r++)
                {
                    if (targets[r] != ignoreIndex) continue;
                    for (int i = 0; i < classes; i++) Assert.True(gradient[r * classes + i] == T.Zero, $"{context}, {mode}: ignored row {r} has a gradient");
                }
            }
        }
    }

    [Fact] public void Cross_entropy_of_short_rows_with_an_ignored_row() => CheckCrossEntropy<float>(Loss, Loss, 5, 7, ignored: [1]);
    [Fact] public void Cross_entropy_of_rows_of_128_double() => CheckCrossEntropy<double>(null, Loss128, 4, 128, ignored: [2]);
    [Fact] public void Cross_entropy_of_the_gpt2_vocabulary() => CheckCrossEntropy<float>(null, LossVocabulary, 2, 50257);
    [Fact] public void Cross_entropy_loss_alone_of_one_vocabulary_row() => CheckCrossEntropy<float>(LossVocabularyOnly, null, 1, 50257);
    [Fact] public void Cross_entropy_tempered_with_another_ignore_index() => CheckCrossEntropy<float>(null, LossTempered, 9, 10, scale: 0.5f, ignoreIndex: -1, ignored: [0, 4]);
    [Fact] public void Cross_entropy_double_loss_alone_whose_ignore_index_is_a_class() => CheckCrossEntropy<double>(LossDouble, null, 6, 33, ignoreIndex: 3, ignored: [5]);

    [Fact]
    public void Parallel_cross_entropy_with_the_gradient_split_across_cores() => CheckCrossEntropy<float>(null, LossParallel, 200, 1000, ignored: [0, 99, 150]);

    [Fact]
    public void Parallel_cross_entropy_loss_alone_double() => CheckCrossEntropy<double>(LossParallelOnly, null, 64, 4096, scale: 2f, ignored: [63]);

    [Fact]
    public void Cross_entropy_with_every_row_ignored_counts_none_and_writes_zeros() =>
        CheckCrossEntropy<float>(Loss, Loss, 5, 7, ignored: [0, 1, 2, 3, 4]);

    [Fact]
    public void Cross_entropy_special_rows_a_nan_an_infinite_target_logit_and_a_masked_row()
    {
        double[] logits = TestData.NormalDouble(18, 2, seed: 18);
        logits[1] = double.NaN;                                   // row 0: NaN loss and gradient
        logits[3] = logits[4] = logits[5] = double.NegativeInfinity; // row 1: every logit -inf: loss +inf, gradient 0 (MaskedRows = Zero)
        CheckCrossEntropy<float>(null, LossMasked, 6, 3, logits: logits, zeroMaskedRows: true);
        // A -inf logit at the target gives loss +inf.
        float[] x = logits.Select(v => (float)v).ToArray();
        x[6] = float.NegativeInfinity;
        var losses = new float[6];
        LossMasked(x, [0, 0, 0, 0, 0, 0], losses, new float[18]);
        Assert.Equal(float.PositiveInfinity, losses[2]);
        Assert.True(float.IsNaN(losses[0]));
        Assert.Equal(float.PositiveInfinity, losses[1]);
    }

    /// <summary>The mean loss's gradient matches central finite differences of the loss kernel itself (in double).</summary>
    [Fact]
    public void Cross_entropy_gradient_is_the_derivative_of_the_mean_loss()
    {
        const int rows = 6, classes = 33;
        double[] x = TestData.NormalDouble(rows * classes, 2, seed: 5);
        int[] targets = [0, 32, 3, 7, 3, 11]; // 3 is the ignore index
        var losses = new double[rows];
        var gradient = new double[rows * classes];
        Loss128Like(x, targets, losses, gradient);
        double Mean(double[] at)
        {
            var l = new double[rows];
            LossDouble(at, targets, l);
            return l.Sum() / targets.Count(t => t != 3);
        }
        foreach (int i in new[] { 0, 5, 32, 40, 65, 100, 150, 197 })
        {
            const double h = 1e-5;
            double[] plus = (double[])x.Clone(), minus = (double[])x.Clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (Mean(plus) - Mean(minus)) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[i]) <= 1e-8 + 1e-6 * Math.Abs(gradient[i]), $"element {i}: kernel {gradient[i]:R}, finite difference {numeric:R}");
        }
    }

    [SoftmaxCrossEntropy(-1, 33, IgnoreIndex = 3)] private static partial void Loss128Like(ReadOnlySpan<double> logits, ReadOnlySpan<int> targets, Span<double> losses, Span<double> logitsGradient);

    [Softmax(2, 6, 6, Causal = true, Scale = 0.5f)] private static partial void CausalForward(ReadOnlySpan<double> x, Span<double> y);
    [SoftmaxGradient(2, 6, 6, Causal = true, Scale = 0.5f)] private static partial void CausalBackward(ReadOnlySpan<double> y, ReadOnlySpan<double> dy, Span<double> dx);
    [LogSoftmax(5, 4, Axis = 0)] private static partial void ColumnsForward(ReadOnlySpan<double> x, Span<double> y);
    [LogSoftmaxGradient(5, 4, Axis = 0)] private static partial void ColumnsBackward(ReadOnlySpan<double> y, ReadOnlySpan<double> dy, Span<double> dx);

    /// <summary>
    /// The gradients are the derivatives of the forward kernels: for L = sum(dy * forward(x)), dL/dx by central finite
    /// differences of the generated forward kernel equals the generated gradient kernel's dx (in double).
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Gradients_are_the_derivatives_of_the_forward_kernels(bool causal)
    {
        int count = causal ? 72 : 20;
        Forward forward = causal ? CausalForward : ColumnsForward;
        Gradient<double> backward = causal ? CausalBackward : ColumnsBackward;
        double[] x = TestData.NormalDouble(count, 2, seed: count);
        double[] dy = TestData.NormalDouble(count, 1, seed: count + 1);
        var y = new double[count];
        forward(x, y);
        var dx = new double[count];
        backward(y, dy, dx);
        double L(double[] at)
        {
            var yy = new double[count];
            forward(at, yy);
            double sum = 0;
            for (int i = 0; i < count; i++) sum += dy[i] * yy[i];
            return sum;
        }
        for (int i = 0; i < count; i++)
        {
            const double h = 1e-6;
            double[] plus = (double[])x.Clone(), minus = (double[])x.Clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (L(plus) - L(minus)) / (2 * h);
            Assert.True(Math.Abs(numeric - dx[i]) <= 1e-7 + 1e-6 * Math.Abs(dx[i]), $"element {i}: kernel {dx[i]:R}, finite difference {numeric:R}");
        }
    }

    private const float Untouched = 42f;

    private static float[] Filled(int length) => Enumerable.Repeat(Untouched, length).ToArray();

    private static void AssertRejected(Action call, string parameter, params string[] mentions)
    {
        ArgumentException e = Assert.Throws<ArgumentException>(call);
        Assert.Equal(parameter, e.ParamName);
        foreach (string m in mentions) Assert.Contains(m, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gradient_spans_of_the_wrong_length_or_partly_overlapping_are_refused_before_anything_is_written()
    {
        float[] dx = Filled(15);
        AssertRejected(() => ShortRows(new float[15], new float[14], dx), "dy", "[3, 5]", "expected length 15", "actual length 14");
        AssertRejected(() => ShortRows(new float[16], new float[15], dx), "y", "expected length 15", "actual length 16");
        AssertRejected(() => ShortRows(new float[15], new float[15], new float[10]), "dx", "expected length 15", "actual length 10");
        AssertRejected(() => DynamicRows(new float[30], new float[30], new float[30]), "y", "[-1, 20]", "positive multiple of 20");
        AssertRejected(() => DynamicRows(new float[40], new float[20], new float[40]), "dy", "expected length 40", "actual length 20");
        Assert.All(dx, v => Assert.Equal(Untouched, v));

        float[] shared = Filled(16);
        AssertRejected(() => ShortRows(shared.AsSpan(0, 15), new float[15], shared.AsSpan(1, 15)), "dx", "'y' and 'dx' overlap", "starting 1 elements after 'y'");
        AssertRejected(() => ShortRows(new float[15], shared.AsSpan(1, 15), shared.AsSpan(0, 15)), "dx", "'dy' and 'dx' overlap");
        Assert.All(shared, v => Assert.Equal(Untouched, v));
        // y and dy may overlap each other in any way: both are only read.
        ShortRows(shared.AsSpan(0, 15), shared.AsSpan(1, 15), new float[15]);
    }

    [Fact]
    public void Cross_entropy_spans_of_the_wrong_length_or_overlapping_are_refused_before_anything_is_written()
    {
        float[] losses = Filled(5), gradient = Filled(35);
        AssertRejected(() => Loss(new float[35], new int[4], losses, gradient), "targets", "the logits [5, 7] have 5 rows", "expected length 5", "actual length 4");
        AssertRejected(() => Loss(new float[35], new int[5], new float[6], gradient), "losses", "the logits [5, 7] have 5 rows", "expected length 5", "actual length 6");
        AssertRejected(() => Loss(new float[36], new int[5], losses, gradient), "logits", "[5, 7]", "expected length 35", "actual length 36");
        AssertRejected(() => Loss(new float[35], new int[5], losses, new float[34]), "logitsGradient", "expected length 35", "actual length 34");
        AssertRejected(() => LossTempered(new float[25], new int[3], new float[3], new float[25]), "logits", "[-1, 10]", "positive multiple of 10");
        AssertRejected(() => LossTempered(new float[30], new int[2], new float[3], new float[30]), "targets", "the logits [-1, 10] have 3 rows", "actual length 2");
        Assert.All(losses, v => Assert.Equal(Untouched, v));
        Assert.All(gradient, v => Assert.Equal(Untouched, v));

        float[] shared = Filled(40);
        AssertRejected(() => Loss(shared.AsSpan(0, 35), new int[5], losses, shared.AsSpan(2, 35)), "logitsGradient", "'logits' and 'logitsGradient' overlap");
        AssertRejected(() => Loss(shared.AsSpan(0, 35), new int[5], shared.AsSpan(30, 5)), "losses", "'logits' and 'losses' overlap", "expected no overlap");
        AssertRejected(() => Loss(new float[35], new int[5], shared.AsSpan(0, 5), shared.AsSpan(4, 35)), "losses", "'logitsGradient' and 'losses' overlap");
        Assert.All(shared, v => Assert.Equal(Untouched, v));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(-5)]
    [InlineData(int.MinValue)]
    public void A_target_out_of_range_throws_naming_the_row_and_the_value_before_anything_is_written(int bad)
    {
        float[] losses = Filled(5), gradient = Filled(35), logits = TestData.Normal(35, 1, seed: 3);
        int[] targets = [0, 6, -100, bad, 1];
        foreach (Action call in new Action[] { () => Loss(logits, targets, losses), () => Loss(logits, targets, losses, gradient), () => Loss(logits, targets, losses, logits) })
        {
            ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(call);
            Assert.Equal("targets", e.ParamName);
            Assert.Equal(bad, e.ActualValue);
            Assert.Contains($"The target of row 3 is {bad}: expected a class in [0, 7) or the ignore index -100.", e.Message, StringComparison.Ordinal);
        }
        Assert.All(losses, v => Assert.Equal(Untouched, v));
        Assert.All(gradient, v => Assert.Equal(Untouched, v));
        Assert.Equal(TestData.Normal(35, 1, seed: 3), logits);
    }

    [Fact]
    public void A_call_with_good_arguments_allocates_nothing()
    {
        float[] y = new float[15], dy = new float[15], dx = new float[15], logits = new float[35], losses = new float[5], gradient = new float[35];
        float[] probs = new float[512], probsGradient = new float[512], scoresGradient = new float[512];
        int[] targets = [0, 1, 2, 3, -100];
        ShortRows(y, dy, dx);
        CausalSquare(probs, probsGradient, scoresGradient);
        Loss(logits, targets, losses, gradient);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            ShortRows(y, dy, dx);
            CausalSquare(probs, probsGradient, scoresGradient);
            Loss(logits, targets, losses, gradient);
            Loss(logits, targets, losses);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }
}
