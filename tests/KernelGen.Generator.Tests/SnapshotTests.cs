using System.Linq;
using Microsoft.CodeAnalysis;

namespace KernelGen.Generator.Tests;

/// <summary>The generated source of representative kernels, compared with the approved snapshots.</summary>
public class SnapshotTests
{
    private static void VerifyKernel(string declaration, string hintName, [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        string source = $$"""
            using System;
            using KernelGen;

            namespace MyApp;

            public static partial class Kernels
            {
            {{declaration}}
            }
            """;
        var (run, _, diagnostics) = GeneratorHarness.Run(source);
        Assert.Empty(diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning));
        GeneratedSourceResult generated = Assert.Single(run.Results.Single().GeneratedSources);
        Assert.Equal(hintName, generated.HintName);
        Snapshot.Verify(generated.SourceText.ToString(), hintName.Replace(".g.cs", ""), test: test);
    }

    [Fact]
    public void Attention_probabilities_12x128x128() => VerifyKernel(
        "    [Softmax(12, 128, 128)]\n    public static partial void AttentionProbs(ReadOnlySpan<float> scores, Span<float> probs);",
        "MyApp.Kernels.AttentionProbs_float.g.cs");

    [Fact]
    public void Rows_of_two_36x10x4x3x2() => VerifyKernel(
        "    [Softmax(36, 10, 4, 3, 2, Axis = -1)]\n    internal static partial void Small(ReadOnlySpan<float> x, Span<float> y);",
        "MyApp.Kernels.Small_float.g.cs");

    [Fact]
    public void Columns_in_pairs_of_vectors_33x20_axis_0() => VerifyKernel(
        "    [Softmax(33, 20, Axis = 0)]\n    public static partial void Columns(ReadOnlySpan<float> x, Span<float> y);",
        "MyApp.Kernels.Columns_float.g.cs");

    [Fact]
    public void Columns_with_a_tail_log_softmax_in_place_2x1030_axis_0() => VerifyKernel(
        "    [LogSoftmax(2, 1030, Axis = 0)]\n    public static partial void Wide(Span<float> x);",
        "MyApp.Kernels.Wide_float_inplace.g.cs");

    [Fact]
    public void One_row_of_7_in_a_partial_vector_1x7() => VerifyKernel(
        "    [Softmax(1, 7)]\n    public static partial void Row(ReadOnlySpan<float> x, Span<float> y);",
        "MyApp.Kernels.Row_float.g.cs");

    [Fact]
    public void Columns_of_5_on_the_Vector128_path_only_2x7x5_axis_1() => VerifyKernel(
        "    [Softmax(2, 7, 5, Axis = 1)]\n    public static partial void Narrow(ReadOnlySpan<float> x, Span<float> y);",
        "MyApp.Kernels.Narrow_float.g.cs");

    [Fact]
    public void Notebook_3x3() => VerifyKernel(
        "    [Softmax(3, 3)]\n    public static partial void Notebook(ReadOnlySpan<float> x, Span<float> y);",
        "MyApp.Kernels.Notebook_float.g.cs");

    [Fact]
    public void Gpt2_vocabulary_in_place() => VerifyKernel(
        "    [Softmax(50257)]\n    public static partial void NextToken(Span<float> logits);",
        "MyApp.Kernels.NextToken_float_inplace.g.cs");

    [Fact]
    public void Log_softmax_double_rows_of_100() => VerifyKernel(
        "    [LogSoftmax(4, 100)]\n    public static partial void LogProbs(ReadOnlySpan<double> x, Span<double> y);",
        "MyApp.Kernels.LogProbs_double.g.cs");

    [Fact]
    public void Axis_0_of_64x512() => VerifyKernel(
        "    [Softmax(64, 512, Axis = 0)]\n    public static partial void Columns(ReadOnlySpan<float> x, Span<float> y);",
        "MyApp.Kernels.Columns_float.g.cs");

    [Fact]
    public void Register_rows_4x20() => VerifyKernel(
        "    [Softmax(4, 20)]\n    public static partial void Rows(ReadOnlySpan<float> x, Span<float> y);",
        "MyApp.Kernels.Rows_float.g.cs");

    [Fact]
    public void Rows_of_7_transposed_8_at_a_time_in_place_13x7() => VerifyKernel(
        "    [Softmax(13, 7)]\n    public static partial void Rows(Span<float> data);",
        "MyApp.Kernels.Rows_float_inplace.g.cs");

    [Fact]
    public void Any_count_of_rows_of_14_rows_left_over_staged_in_a_method_of_their_own() => VerifyKernel(
        "    [Softmax(-1, 14)]\n    public static partial void Rows(ReadOnlySpan<float> x, Span<float> y);",
        "MyApp.Kernels.Rows_float.g.cs");

    [Fact]
    public void Rows_of_4_transposed_within_128_bit_blocks_in_place_21x4() => VerifyKernel(
        "    [Softmax(21, 4)]\n    public static partial void Rows(Span<float> data);",
        "MyApp.Kernels.Rows_float_inplace.g.cs");

    [Fact]
    public void Rows_of_7_two_per_Vector512_log_softmax_32x7() => VerifyKernel(
        "    [LogSoftmax(32, 7)]\n    public static partial void Rows(ReadOnlySpan<float> x, Span<float> y);",
        "MyApp.Kernels.Rows_float.g.cs");

    [Fact]
    public void Rows_of_14_transposed_16_at_a_time_log_softmax_32x14() => VerifyKernel(
        "    [LogSoftmax(32, 14)]\n    public static partial void Rows(ReadOnlySpan<float> x, Span<float> y);",
        "MyApp.Kernels.Rows_float.g.cs");

    [Fact]
    public void Rows_of_11_transposed_8_at_a_time_in_two_vectors_20x11() => VerifyKernel(
        "    [Softmax(20, 11)]\n    public static partial void Rows(ReadOnlySpan<float> x, Span<float> y);",
        "MyApp.Kernels.Rows_float.g.cs");

    [Fact]
    public void Double_rows_of_5_transposed_8_at_a_time_on_Vector512_and_4_at_a_time_on_Vector256_21x5() => VerifyKernel(
        "    [Softmax(21, 5)]\n    public static partial void Rows(ReadOnlySpan<double> x, Span<double> y);",
        "MyApp.Kernels.Rows_double.g.cs");

    [Fact]
    public void Short_rows_log_softmax_4x3x2() => VerifyKernel(
        "    [LogSoftmax(4, 3, 2)]\n    public static partial void Notebook(ReadOnlySpan<float> x, Span<float> y);",
        "MyApp.Kernels.Notebook_float.g.cs");

    [Fact]
    public void Rows_of_one_6x1() => VerifyKernel(
        "    [Softmax(6, 1)]\n    public static partial void Ones(Span<float> x);",
        "MyApp.Kernels.Ones_float_inplace.g.cs");

    [Fact]
    public void Narrow_columns_by_period_4x33x6_axis_1() => VerifyKernel(
        "    [Softmax(4, 33, 6, Axis = 1)]\n    public static partial void Narrow(ReadOnlySpan<float> x, Span<float> y);",
        "MyApp.Kernels.Narrow_float.g.cs");

    [Fact]
    public void Tiny_slabs_of_36_vectors_one_method_per_group_past_the_inlining_budget_16x12x3_axis_1() => VerifyKernel(
        "    [Softmax(16, 12, 3, Axis = 1)]\n    public static partial void Wide(ReadOnlySpan<float> x, Span<float> y);",
        "MyApp.Kernels.Wide_float.g.cs");

    [Fact]
    public void Columns_packed_eight_and_four_axis_positions_per_vector_4x25x2_axis_1() => VerifyKernel(
        "    [Softmax(4, 25, 2, Axis = 1)]\n    public static partial void Packed(ReadOnlySpan<float> x, Span<float> y);",
        "MyApp.Kernels.Packed_float.g.cs");

    [Fact]
    public void Narrow_columns_staged_2x3x5x7_axis_2() => VerifyKernel(
        "    [LogSoftmax(2, 3, 5, 7, Axis = 2)]\n    public static partial void Staged(ReadOnlySpan<float> x, Span<float> y);",
        "MyApp.Kernels.Staged_float.g.cs");

    [Fact]
    public void Tiny_slabs_transposed_8x3x2_axis_1() => VerifyKernel(
        "    [Softmax(8, 3, 2, Axis = 1)]\n    public static partial void Tiny(ReadOnlySpan<float> x, Span<float> y);",
        "MyApp.Kernels.Tiny_float.g.cs");

    [Fact]
    public void Tiny_slabs_of_21_vectors_read_the_exp_constants_from_memory_2x7x3_axis_1() => VerifyKernel(
        "    [Softmax(2, 7, 3, Axis = 1)]\n    public static partial void Tiny(ReadOnlySpan<float> x, Span<float> y);",
        "MyApp.Kernels.Tiny_float.g.cs");

    [Fact]
    public void Causal_attention_any_batch_scaled_in_parallel() => VerifyKernel(
        "    [Softmax(-1, 12, 128, 128, Causal = true, Scale = 0.125f, Parallel = true)]\n    public static partial void Attention(Span<float> scores);",
        "MyApp.Kernels.Attention_float_inplace.g.cs");

    [Fact]
    public void Tensor_spans_with_zero_masked_rows() => VerifyKernel(
        "    [LogSoftmax(4, 100, MaskedRows = MaskedRowPolicy.Zero)]\n    public static partial void Padded(System.Numerics.Tensors.ReadOnlyTensorSpan<float> x, System.Numerics.Tensors.TensorSpan<float> y);",
        "MyApp.Kernels.Padded_float_tensor.g.cs");

    [Fact]
    public void Causal_attention_gradient_scaled_12x128x128() => VerifyKernel(
        "    [SoftmaxGradient(12, 128, 128, Scale = 0.125f, Causal = true)]\n    public static partial void AttentionBackward(ReadOnlySpan<float> probs, ReadOnlySpan<float> probsGradient, Span<float> scoresGradient);",
        "MyApp.Kernels.AttentionBackward_float_gradient.g.cs");

    [Fact]
    public void Log_softmax_gradient_8x50257() => VerifyKernel(
        "    [LogSoftmaxGradient(8, 50257)]\n    public static partial void LogProbsBackward(ReadOnlySpan<float> logProbs, ReadOnlySpan<float> logProbsGradient, Span<float> logitsGradient);",
        "MyApp.Kernels.LogProbsBackward_float_gradient.g.cs");

    [Fact]
    public void Cross_entropy_and_gradient_any_rows_of_50257() => VerifyKernel(
        "    [SoftmaxCrossEntropy(-1, 50257)]\n    public static partial void LossAndGradient(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> losses, Span<float> logitsGradient);",
        "MyApp.Kernels.LossAndGradient_float_lossgradient.g.cs");
}
