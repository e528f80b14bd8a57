using System;
using System.Numerics.Tensors;
using KernelGen.Tests;

namespace KernelGen.Execution.Tests;

/// <summary>
/// Issue #7's options against the float64 reference with the same options: Scale, Causal (with K = Q, K &gt; Q and
/// K &lt; Q), MaskedRows = Zero, a dynamic leading dimension, Parallel, and .NET's tensor spans; alone and together,
/// on every plan's layout. .ci/run repeats these on the Vector128 and scalar paths.
/// </summary>
public partial class OptionTests
{
    // Scale on each plan's layout.
    [Softmax(4, 100, Scale = 0.125f)] private static partial void ScaledCached(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(5, 20, Scale = 0.5f)] private static partial void ScaledRegister(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(9, 3, Scale = 0.25f)] private static partial void ScaledShort(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(12, 2, Scale = 2f)] private static partial void ScaledPairs(ReadOnlySpan<float> x, Span<float> y);
    [LogSoftmax(6, 1, Scale = 3f)] private static partial void ScaledOnes(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(33, 20, Axis = 0, Scale = 0.3f)] private static partial void ScaledColumns(ReadOnlySpan<float> x, Span<float> y);
    [LogSoftmax(4, 33, 6, Axis = 1, Scale = 0.7f)] private static partial void ScaledNarrow(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(8, 3, 2, Axis = 1, Scale = 1.5f)] private static partial void ScaledTiny(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(3, 50, Scale = 0f)] private static partial void ScaledByZero(ReadOnlySpan<float> x, Span<float> y);
    // Transposed rows (issue #12): rows of 4 within 128-bit blocks, rows of 7 two per Vector512 (8 x 8 on Vector256),
    // rows of 12 in two 8 x 8 transposes, rows of 14 through the 16 x 16 transpose; groups that overlap at the end.
    [Softmax(37, 4, Scale = 0.5f)] private static partial void ScaledTransposed4(ReadOnlySpan<float> x, Span<float> y);
    [LogSoftmax(21, 7, Scale = 0.25f)] private static partial void ScaledTransposed7(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(19, 12, Scale = 2f)] private static partial void ScaledTransposed12(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(35, 14, Scale = 0.125f)] private static partial void ScaledTransposed14(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(2, 19, 2, Axis = 1, Scale = 0.5f)] private static partial void ScaledTinyLarge(ReadOnlySpan<float> x, Span<float> y);
    [LogSoftmax(4, 100, Scale = 0.125f)] private static partial void ScaledLogCached(ReadOnlySpan<double> x, Span<double> y);
    [LogSoftmax(3, 17, 8, Axis = 1, Scale = 0.5f)] private static partial void ScaledHalfVectors(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(2, 16, 4, Axis = 1, Scale = 2f)] private static partial void ScaledHalfVectors256(ReadOnlySpan<float> x, Span<float> y);
    [LogSoftmax(21, 6, Scale = 0.5f)] private static partial void ScaledTransposedDouble(ReadOnlySpan<double> x, Span<double> y);
    [Softmax(19, 10, Scale = 0.25f)] private static partial void ScaledTransposedDoubleHalves(ReadOnlySpan<double> x, Span<double> y);
    [Softmax(3, 25, 2, Axis = 1, Scale = 0.25f)] private static partial void ScaledEighths(ReadOnlySpan<float> x, Span<float> y);

    // MaskedRows = Zero on each plan's layout.
    [Softmax(6, 1, MaskedRows = MaskedRowPolicy.Zero)] private static partial void ZeroOnes(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(12, 2, MaskedRows = MaskedRowPolicy.Zero)] private static partial void ZeroPairs(ReadOnlySpan<float> x, Span<float> y);
    [LogSoftmax(9, 3, MaskedRows = MaskedRowPolicy.Zero)] private static partial void ZeroShort(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(5, 20, MaskedRows = MaskedRowPolicy.Zero)] private static partial void ZeroRegister(ReadOnlySpan<float> x, Span<float> y);
    [LogSoftmax(4, 100, MaskedRows = MaskedRowPolicy.Zero)] private static partial void ZeroCached(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(20, 33, Axis = 0, MaskedRows = MaskedRowPolicy.Zero)] private static partial void ZeroColumns(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(4, 33, 6, Axis = 1, MaskedRows = MaskedRowPolicy.Zero)] private static partial void ZeroNarrow(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(8, 3, 2, Axis = 1, MaskedRows = MaskedRowPolicy.Zero)] private static partial void ZeroTiny(ReadOnlySpan<double> x, Span<double> y);
    [LogSoftmax(37, 4, MaskedRows = MaskedRowPolicy.Zero)] private static partial void ZeroTransposed4(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(21, 7, MaskedRows = MaskedRowPolicy.Zero)] private static partial void ZeroTransposed7(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(19, 12, MaskedRows = MaskedRowPolicy.Zero)] private static partial void ZeroTransposed12(ReadOnlySpan<float> x, Span<float> y);
    [LogSoftmax(35, 14, MaskedRows = MaskedRowPolicy.Zero)] private static partial void ZeroTransposed14(ReadOnlySpan<float> x, Span<float> y);
    [LogSoftmax(37, 5, 3, Axis = 1, MaskedRows = MaskedRowPolicy.Zero)] private static partial void ZeroTinyLoop(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(3, 9, 8, Axis = 1, MaskedRows = MaskedRowPolicy.Zero)] private static partial void ZeroHalfVectors(ReadOnlySpan<float> x, Span<float> y);
    [LogSoftmax(2, 16, 4, Axis = 1, MaskedRows = MaskedRowPolicy.Zero)] private static partial void ZeroHalfVectors256(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(3, 17, 4, Axis = 1, MaskedRows = MaskedRowPolicy.Zero)] private static partial void ZeroHalfVectorsDouble(ReadOnlySpan<double> x, Span<double> y);
    [Softmax(21, 6, MaskedRows = MaskedRowPolicy.Zero)] private static partial void ZeroTransposedDouble(ReadOnlySpan<double> x, Span<double> y);
    [LogSoftmax(19, 10, MaskedRows = MaskedRowPolicy.Zero)] private static partial void ZeroTransposedDoubleHalves(ReadOnlySpan<double> x, Span<double> y);
    [LogSoftmax(3, 13, 4, Axis = 1, MaskedRows = MaskedRowPolicy.Zero)] private static partial void ZeroQuarters(ReadOnlySpan<float> x, Span<float> y);

    // Causal: K = Q, K > Q (cached keys), K < Q (the first rows see nothing), keys shorter than a vector.
    [Softmax(3, 16, 16, Causal = true)] private static partial void CausalSquare(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(2, 5, 40, Causal = true)] private static partial void CausalMoreKeys(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(2, 9, 5, Causal = true)] private static partial void CausalFewerKeys(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(2, 9, 5, Causal = true, MaskedRows = MaskedRowPolicy.Zero)] private static partial void CausalFewerKeysZero(ReadOnlySpan<float> x, Span<float> y);
    [LogSoftmax(3, 4, 4, Causal = true)] private static partial void CausalTiny(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(2, 12, 70, Causal = true, Scale = 0.125f)] private static partial void CausalScaled(ReadOnlySpan<double> x, Span<double> y);
    [Softmax(-1, 8, 8, Causal = true, Scale = 0.35355339f, Parallel = true)] private static partial void CausalEverything(Span<float> data);

    // A dynamic leading dimension.
    [Softmax(-1, 3)] private static partial void DynamicShort(ReadOnlySpan<float> x, Span<float> y);
    [LogSoftmax(-1, 20)] private static partial void DynamicRegister(Span<float> data);
    [Softmax(-1, 130)] private static partial void DynamicCached(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(-1, 4, 20, Axis = 1)] private static partial void DynamicColumns(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(-1, 5, 6, Axis = 1)] private static partial void DynamicNarrow(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(-1, 3, 2, Axis = 1)] private static partial void DynamicTiny(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(-1, 9, 8, Axis = 1)] private static partial void DynamicHalfVectors(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(-1, 24, 2, Axis = 1)] private static partial void DynamicEighths(ReadOnlySpan<float> x, Span<float> y);

    // Parallel, large enough to split on a machine with more than one core.
    [Softmax(64, 4096, Parallel = true)] private static partial void ParallelRows(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(-1, 12, 64, 64, Parallel = true, Scale = 0.125f)] private static partial void ParallelHeads(ReadOnlySpan<float> x, Span<float> y);

    // .NET's tensor spans.
    [Softmax(3, 4, 5, Axis = 1)] private static partial void Tensor(ReadOnlyTensorSpan<float> x, TensorSpan<float> y);
    [LogSoftmax(-1, 7)] private static partial void TensorInPlace(TensorSpan<double> data);

    private delegate void Kernel(ReadOnlySpan<float> x, Span<float> y);
    private delegate void DoubleKernel(ReadOnlySpan<double> x, Span<double> y);

    private static void Check(Kernel kernel, int[] shape, int axis, bool log = false, float scale = 1, bool causal = false, bool zero = false)
    {
        int count = Reference.Count(shape);
        foreach ((string name, float[] input) in TestData.Cases(count, seed: count))
        {
            foreach (float[] data in new[] { input, WithMaskedRows(input, shape, axis) })
            {
                var output = new float[count];
                kernel(data, output);
                double[] expected = Reference.WithOptions(Tolerance.Widen(data), shape, axis, log, scale, causal, zero, floatKernel: true);
                Tolerance.AssertUlps(expected, output, 4, $"{Reference.Describe(shape, axis)}, {name}");
            }
        }
    }

    private static void Check(DoubleKernel kernel, int[] shape, int axis, bool log = false, double scale = 1, bool causal = false, bool zero = false)
    {
        int count = Reference.Count(shape);
        foreach (double[] data in new[] { TestData.NormalDouble(count, 20, seed: count), Tolerance.Widen(WithMaskedRows(TestData.Normal(count, 20, count), shape, axis)) })
        {
            var output = new double[count];
            kernel(data, output);
            double[] expected = Reference.WithOptions(data, shape, axis, log, scale, causal, zero, floatKernel: false);
            Tolerance.AssertClose(expected, output, 1e-13, 1e-300, Reference.Describe(shape, axis));
        }
    }

    // Every third row (along the axis) becomes all -inf, the case MaskedRows decides.
    private static float[] WithMaskedRows(float[] input, int[] shape, int axis)
    {
        float[] data = (float[])input.Clone();
        (int outer, int length, int inner) = Reference.Split(shape, axis);
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                if ((o * inner + i) % 3 != 1) continue;
                for (int l = 0; l < length; l++) data[o * length * inner + l * inner + i] = float.NegativeInfinity;
            }
        }
        return data;
    }

    [Fact] public void Scale_on_cached_rows() => Check(ScaledCached, [4, 100], -1, scale: 0.125f);
    [Fact] public void Scale_on_register_rows() => Check(ScaledRegister, [5, 20], -1, scale: 0.5f);
    [Fact] public void Scale_on_short_rows() => Check(ScaledShort, [9, 3], -1, scale: 0.25f);
    [Fact] public void Scale_on_rows_of_two() => Check(ScaledPairs, [12, 2], -1, scale: 2f);
    [Fact] public void Scale_on_rows_of_one() => Check(ScaledOnes, [6, 1], -1, log: true, scale: 3f);
    [Fact] public void Scale_on_columns() => Check(ScaledColumns, [33, 20], 0, scale: 0.3f);
    [Fact] public void Scale_on_narrow_columns() => Check(ScaledNarrow, [4, 33, 6], 1, log: true, scale: 0.7f);
    [Fact] public void Scale_on_tiny_slabs() => Check(ScaledTiny, [8, 3, 2], 1, scale: 1.5f);
    [Fact] public void Scale_zero_gives_uniform_rows() => Check(ScaledByZero, [3, 50], -1, scale: 0f);
    [Fact] public void Scale_on_rows_of_4_transposed_within_blocks() => Check(ScaledTransposed4, [37, 4], -1, scale: 0.5f);
    [Fact] public void Scale_on_rows_of_7_transposed_two_per_vector() => Check(ScaledTransposed7, [21, 7], -1, log: true, scale: 0.25f);
    [Fact] public void Scale_on_rows_of_12_transposed_in_two_halves() => Check(ScaledTransposed12, [19, 12], -1, scale: 2f);
    [Fact] public void Scale_on_rows_of_14_transposed_16_at_a_time() => Check(ScaledTransposed14, [35, 14], -1, scale: 0.125f);
    [Fact] public void Scale_on_a_tiny_slab_group_of_19_vectors() => Check(ScaledTinyLarge, [2, 19, 2], 1, scale: 0.5f);
    [Fact] public void Scale_on_columns_of_half_a_vector() => Check(ScaledHalfVectors, [3, 17, 8], 1, log: true, scale: 0.5f);
    [Fact] public void Scale_on_columns_of_half_a_Vector256() => Check(ScaledHalfVectors256, [2, 16, 4], 1, scale: 2f);
    [Fact] public void Scale_on_double_rows_of_6_transposed_8_at_a_time() => Check(ScaledTransposedDouble, [21, 6], -1, log: true, scale: 0.5);
    [Fact] public void Scale_on_double_rows_of_10_transposed_8_at_a_time_in_two_vectors() => Check(ScaledTransposedDoubleHalves, [19, 10], -1, scale: 0.25);
    [Fact] public void Scale_on_columns_of_an_eighth_of_a_vector() => Check(ScaledEighths, [3, 25, 2], 1, scale: 0.25f);
    [Fact] public void Scale_on_double_log_softmax() => Check(ScaledLogCached, [4, 100], -1, log: true, scale: 0.125);

    [Fact] public void Zero_masked_rows_of_one() => Check(ZeroOnes, [6, 1], -1, zero: true);
    [Fact] public void Zero_masked_rows_of_two() => Check(ZeroPairs, [12, 2], -1, zero: true);
    [Fact] public void Zero_masked_short_rows() => Check(ZeroShort, [9, 3], -1, log: true, zero: true);
    [Fact] public void Zero_masked_register_rows() => Check(ZeroRegister, [5, 20], -1, zero: true);
    [Fact] public void Zero_masked_cached_rows() => Check(ZeroCached, [4, 100], -1, log: true, zero: true);
    [Fact] public void Zero_masked_columns() => Check(ZeroColumns, [20, 33], 0, zero: true);
    [Fact] public void Zero_masked_narrow_columns() => Check(ZeroNarrow, [4, 33, 6], 1, zero: true);
    [Fact] public void Zero_masked_tiny_slabs() => Check(ZeroTiny, [8, 3, 2], 1, zero: true);
    [Fact] public void Zero_masked_rows_of_4_transposed_within_blocks() => Check(ZeroTransposed4, [37, 4], -1, log: true, zero: true);
    [Fact] public void Zero_masked_rows_of_7_transposed_two_per_vector() => Check(ZeroTransposed7, [21, 7], -1, zero: true);
    [Fact] public void Zero_masked_rows_of_12_transposed_in_two_halves() => Check(ZeroTransposed12, [19, 12], -1, zero: true);
    [Fact] public void Zero_masked_rows_of_14_transposed_16_at_a_time() => Check(ZeroTransposed14, [35, 14], -1, log: true, zero: true);
    [Fact] public void Zero_masked_columns_of_half_a_vector() => Check(ZeroHalfVectors, [3, 9, 8], 1, zero: true);
    [Fact] public void Zero_masked_columns_of_half_a_Vector256() => Check(ZeroHalfVectors256, [2, 16, 4], 1, log: true, zero: true);
    [Fact] public void Zero_masked_double_columns_of_half_a_vector() => Check(ZeroHalfVectorsDouble, [3, 17, 4], 1, zero: true);
    [Fact] public void Zero_masked_double_rows_of_6_transposed_8_at_a_time() => Check(ZeroTransposedDouble, [21, 6], -1, zero: true);
    [Fact] public void Zero_masked_double_rows_of_10_transposed_8_at_a_time_in_two_vectors() => Check(ZeroTransposedDoubleHalves, [19, 10], -1, log: true, zero: true);
    [Fact] public void Zero_masked_columns_of_a_quarter_of_a_vector() => Check(ZeroQuarters, [3, 13, 4], 1, log: true, zero: true);
    [Fact] public void Zero_masked_tiny_slabs_in_a_loop_with_an_overlapping_last_group() => Check(ZeroTinyLoop, [37, 5, 3], 1, log: true, zero: true);

    [Fact] public void Causal_square() => Check(CausalSquare, [3, 16, 16], -1, causal: true);
    [Fact] public void Causal_with_more_keys_than_queries() => Check(CausalMoreKeys, [2, 5, 40], -1, causal: true);
    [Fact] public void Causal_with_fewer_keys_than_queries() => Check(CausalFewerKeys, [2, 9, 5], -1, causal: true);
    [Fact] public void Causal_with_fewer_keys_and_zero_masked_rows() => Check(CausalFewerKeysZero, [2, 9, 5], -1, causal: true, zero: true);
    [Fact] public void Causal_log_softmax_keys_shorter_than_a_vector() => Check(CausalTiny, [3, 4, 4], -1, log: true, causal: true);
    [Fact] public void Causal_scaled_double() => Check(CausalScaled, [2, 12, 70], -1, scale: 0.125, causal: true);

    [Fact]
    public void Causal_masked_keys_are_exactly_zero_and_not_read()
    {
        float[] x = TestData.Normal(3 * 16 * 16, 5, seed: 9);
        // A NaN in a masked position must not reach the output: the kernel does not read it.
        for (int m = 0; m < 3; m++) for (int i = 0; i < 16; i++) for (int j = i + 1; j < 16; j++) x[m * 256 + i * 16 + j] = float.NaN;
        var y = new float[x.Length];
        CausalSquare(x, y);
        for (int m = 0; m < 3; m++)
        {
            for (int i = 0; i < 16; i++)
            {
                double sum = 0;
                for (int j = 0; j < 16; j++)
                {
                    float v = y[m * 256 + i * 16 + j];
                    if (j > i) Assert.Equal(0f, v);
                    else Assert.True(float.IsFinite(v) && v > 0, $"row {i} key {j}: {v}");
                    sum += v;
                }
                Assert.InRange(sum, 1 - 1e-6, 1 + 1e-6);
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(40)]
    public void Causal_dynamic_parallel_scaled_in_place(int batch)
    {
        int[] shape = [batch, 8, 8];
        float[] input = TestData.Normal(batch * 64, 20, seed: batch);
        float[] data = (float[])input.Clone();
        CausalEverything(data);
        double[] expected = Reference.WithOptions(Tolerance.Widen(input), shape, -1, false, 0.35355339f, causal: true, zeroMaskedRows: false, floatKernel: true);
        Tolerance.AssertUlps(expected, data, 4, $"batch {batch}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(100)]
    public void Dynamic_leading_dimension_serves_every_batch_size(int batch)
    {
        Check(DynamicShort, [batch, 3], -1);
        Check(DynamicCached, [batch, 130], -1);
        Check(DynamicColumns, [batch, 4, 20], 1);
        Check(DynamicNarrow, [batch, 5, 6], 1);
        Check(DynamicTiny, [batch, 3, 2], 1);
        Check(DynamicHalfVectors, [batch, 9, 8], 1);
        Check(DynamicEighths, [batch, 24, 2], 1);
        float[] input = TestData.Normal(batch * 20, 20, seed: batch);
        float[] data = (float[])input.Clone();
        DynamicRegister(data);
        Tolerance.AssertUlps(Reference.ForFloatKernel(input, [batch, 20], -1, log: true), data, 4, $"in place, batch {batch}");
    }

    [Fact]
    public void Dynamic_leading_dimension_rejects_a_length_that_is_not_a_whole_number_of_slices()
    {
        var output = new float[11];
        Array.Fill(output, 7f);
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(() => DynamicShort(new float[11], output));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("multiple of 3", e.Message, StringComparison.Ordinal);
        Assert.Contains("[-1, 3]", e.Message, StringComparison.Ordinal);
        Assert.All(output, v => Assert.Equal(7f, v));
        e = Assert.ThrowsAny<ArgumentException>(() => DynamicShort(new float[12], new float[9]));
        Assert.Equal("y", e.ParamName);
        Assert.Contains("'y' has 9 elements, but 'x' has 12", e.Message, StringComparison.Ordinal);
    }

    [Fact] public void Parallel_rows() => Check(ParallelRows, [64, 4096], -1);

    [Fact] public void Parallel_heads_with_a_batch_of_two() => Check(ParallelHeads, [2, 12, 64, 64], -1, scale: 0.125f);

    [Fact]
    public void Tensor_spans_run_the_same_plan()
    {
        float[] input = TestData.Normal(60, 20, seed: 60);
        var output = new float[60];
        Tensor(new ReadOnlyTensorSpan<float>(input, [3, 4, 5]), new TensorSpan<float>(output, [3, 4, 5]));
        Tolerance.AssertUlps(Reference.ForFloatKernel(input, [3, 4, 5], 1), output, 4, "tensor [3, 4, 5] axis 1");

        double[] data = TestData.NormalDouble(21, 20, seed: 21);
        double[] expected = Reference.Softmax(data, [3, 7], -1, log: true);
        TensorInPlace(new TensorSpan<double>(data, [3, 7]));
        Tolerance.AssertClose(expected, data, 1e-13, 1e-300, "tensor in place [3, 7]");
    }

    [Fact]
    public void Tensor_spans_of_another_shape_or_not_dense_are_rejected_naming_the_dimension()
    {
        var output = new float[60];
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(() => Tensor(new ReadOnlyTensorSpan<float>(new float[60], [3, 5, 4]), new TensorSpan<float>(output, [3, 4, 5])));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("Dimension 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("needs 4", e.Message, StringComparison.Ordinal);

        // A transposed view: lengths right, strides not row-major.
        float[] storage = new float[60];
        e = Assert.ThrowsAny<ArgumentException>(() => Tensor(new ReadOnlyTensorSpan<float>(storage, [3, 4, 5], [20, 1, 4]), new TensorSpan<float>(output, [3, 4, 5])));
        Assert.Contains("stride", e.Message, StringComparison.Ordinal);
        Assert.Contains("dense", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generic_kernels_take_tensor_spans_too()
    {
        float[] input = TestData.Normal(60, 20, seed: 61);
        var output = new float[60];
        KernelGen.Kernels.Softmax(new ReadOnlyTensorSpan<float>(input, [3, 4, 5]), new TensorSpan<float>(output, [3, 4, 5]), axis: 0);
        Tolerance.AssertUlps(Reference.ForFloatKernel(input, [3, 4, 5], 0), output, 4, "generic tensor [3, 4, 5] axis 0");
        Assert.ThrowsAny<ArgumentException>(() => KernelGen.Kernels.Softmax(new ReadOnlyTensorSpan<float>(input, [3, 4, 5]), new TensorSpan<float>(output, [3, 20]), axis: 0));
    }
}
