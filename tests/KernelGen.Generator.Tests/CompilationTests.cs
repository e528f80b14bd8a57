using System.Linq;
using Microsoft.CodeAnalysis;

namespace KernelGen.Generator.Tests;

/// <summary>Generated code compiles cleanly in the places a user may declare a kernel.</summary>
public class CompilationTests
{
    private static void AssertCompilesWithoutWarnings(params string[] sources)
    {
        var (run, _, diagnostics) = GeneratorHarness.Run(sources);
        Assert.True(run.Results.Single().GeneratedSources.Length > 0, "nothing was generated");
        Diagnostic[] problems = diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToArray();
        Assert.True(problems.Length == 0, GeneratorHarness.Describe([.. problems]));
    }

    [Fact]
    public void Nested_generic_and_struct_containers_instance_methods_and_the_global_namespace()
    {
        AssertCompilesWithoutWarnings("""
            using System;
            using KernelGen;

            public partial class Outer<T> where T : class
            {
                internal partial struct Inner
                {
                    [Softmax(4, 16)]
                    public partial void Instance(ReadOnlySpan<float> input, Span<float> output);

                    [LogSoftmax(3, 5, Axis = 0)]
                    private static partial void InPlace(Span<double> data);
                }
            }

            public partial record Model
            {
                [Softmax(10)]
                protected internal static partial void Rows(ReadOnlySpan<float> input, Span<float> output);
            }

            namespace A.B.C
            {
                public static partial class Deep
                {
                    [Softmax(2, 2)]
                    public static partial void Both(ReadOnlySpan<float> input, Span<float> output);

                    [Softmax(2, 2)]
                    public static partial void Both(ReadOnlySpan<double> input, Span<double> output);
                }
            }
            """);
    }

    [Fact]
    public void User_types_named_like_the_ones_generated_code_uses_do_not_shadow_them()
    {
        const string shadows = """
            public class Vector256 { } public class Vector128 { } public class Span<T> { } public class ReadOnlySpan<T> { }
            public class MemoryMarshal { } public class Unsafe { } public class Math { } public class VectorMath { }
            public class Reductions { } public class KernelArguments { } public class Kernels { } public class GeneratedCode { }
            public class TrainingRows { } public class ParallelGradientKernel { } public class ParallelCrossEntropyKernel { }
            """;
        AssertCompilesWithoutWarnings(
            shadows,
            "namespace MyApp { " + shadows + " }",
            """
            namespace MyApp
            {
                using KernelGen;

                public static partial class Gpt2
                {
                    [Softmax(12, 128, 128)]
                    public static partial void AttentionProbs(System.ReadOnlySpan<float> scores, System.Span<float> probs);

                    [LogSoftmax(5, 7, Axis = 0)]
                    public static partial void Columns(System.Span<double> data);

                    [Softmax(3, 3)]
                    public static partial void Tiny(System.ReadOnlySpan<float> x, System.Span<float> y);

                    [SoftmaxGradient(-1, 4, 4, Causal = true, Parallel = true)]
                    public static partial void Backward(System.ReadOnlySpan<float> y, System.ReadOnlySpan<float> dy, System.Span<float> dx);

                    [SoftmaxCrossEntropy(-1, 7)]
                    public static partial void Loss(System.ReadOnlySpan<double> x, System.ReadOnlySpan<int> t, System.Span<double> l, System.Span<double> g);

                    [SoftmaxCrossEntropy(-1, 7, Parallel = true)]
                    public static partial void SplitLoss(System.ReadOnlySpan<float> x, System.ReadOnlySpan<int> t, System.Span<float> l);
                }
            }
            """);
    }

    [Fact]
    public void Training_kernels_in_nested_generic_types_as_instance_and_extension_methods_with_scoped_parameters()
    {
        AssertCompilesWithoutWarnings("""
            using System;
            using KernelGen;

            public partial class Outer<T> where T : class
            {
                internal partial struct Inner
                {
                    [LogSoftmaxGradient(3, 5, Axis = 0)]
                    public partial void Instance(ReadOnlySpan<double> y, scoped ReadOnlySpan<double> dy, Span<double> dx);

                    [SoftmaxCrossEntropy(2, 5, Scale = 0.5f, IgnoreIndex = 0)]
                    private static partial void Loss(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, scoped Span<float> losses, scoped Span<float> gradient);
                }
            }

            public static partial class Extensions
            {
                [SoftmaxGradient(2, 8)]
                public static partial void Backward(this ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);

                [SoftmaxGradient(2, 8)]
                public static partial void Backward(this ReadOnlySpan<double> y, ReadOnlySpan<double> dy, Span<double> dx);
            }
            """);
    }
}
