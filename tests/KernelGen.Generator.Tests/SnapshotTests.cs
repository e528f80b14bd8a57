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
}
