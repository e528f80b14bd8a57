using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KernelGen.Generator.Tests;

/// <summary>
/// The pipeline stays cheap in an editor: unchanged input reuses every step, an unrelated edit regenerates
/// nothing, an edit to one kernel regenerates that kernel alone, and the model holds no compiler objects.
/// </summary>
public class IncrementalTests
{
    private static readonly string[] KernelSteps =
    [
        SoftmaxGenerator.Steps.SoftmaxKernels, SoftmaxGenerator.Steps.LogSoftmaxKernels, SoftmaxGenerator.Steps.SoftmaxGradientKernels,
        SoftmaxGenerator.Steps.LogSoftmaxGradientKernels, SoftmaxGenerator.Steps.SoftmaxCrossEntropyKernels,
    ];

    private const string KernelsFile = """
        using System;
        using KernelGen;

        namespace MyApp;

        public static partial class Kernels
        {
            [Softmax(12, 128, 128)]
            public static partial void Attention(ReadOnlySpan<float> x, Span<float> y);

            [Softmax(4, 100)]
            public static partial void Rows(Span<double> d);

            [LogSoftmax(3, 5, Axis = 0)]
            internal static partial void Columns(ReadOnlySpan<float> x, Span<float> y);

            [Softmax(3, 0)]
            public static partial void Misdeclared(Span<float> d);
        }
        """;

    private const string OtherKernelsFile = """
        using System;
        using KernelGen;

        namespace MyApp.Other;

        public partial class More
        {
            [LogSoftmax(50257)]
            public partial void NextToken(Span<float> logits);

            [SoftmaxGradient(-1, 4, 16, 16, Causal = true)]
            public static partial void AttentionBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);

            [LogSoftmaxGradient(8, 100, Axis = 0)]
            internal static partial void ColumnsBackward(ReadOnlySpan<double> y, ReadOnlySpan<double> dy, Span<double> dx);

            [SoftmaxCrossEntropy(-1, 50257)]
            public static partial void Loss(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> losses, Span<float> logitsGradient);
        }
        """;

    private const string UnrelatedFile = """
        namespace MyApp;

        public static class Maths
        {
            public static int Twice(int x) => 2 * x;
        }
        """;

    private static CSharpCompilation Compilation() => GeneratorHarness.Compile(KernelsFile, OtherKernelsFile, UnrelatedFile);

    private static GeneratorRunResult RunTwice(CSharpCompilation first, Compilation second)
    {
        GeneratorDriver driver = GeneratorHarness.Driver(trackSteps: true).RunGenerators(first);
        Assert.Equal(8, driver.GetRunResult().Results.Single().GeneratedSources.Length); // 4 + 4 kernels; the misdeclared one throws
        return driver.RunGenerators(second).GetRunResult().Results.Single();
    }

    private static CSharpCompilation Edit(CSharpCompilation compilation, int tree, Func<string, string> edit)
    {
        SyntaxTree old = compilation.SyntaxTrees[tree];
        string text = old.GetText().ToString();
        string edited = edit(text);
        Assert.NotEqual(text, edited);
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(edited, GeneratorHarness.ParseOptions, old.FilePath));
    }

    private static bool HoldsCompilation(object value) =>
        value is Microsoft.CodeAnalysis.Compilation
        || (value is System.Runtime.CompilerServices.ITuple tuple && Enumerable.Range(0, tuple.Length).Any(i => tuple[i] is Microsoft.CodeAnalysis.Compilation));

    private static IncrementalStepRunReason[] Reasons(IEnumerable<IncrementalGeneratorRunStep> steps) =>
        steps.SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();

    private static IncrementalStepRunReason[] KernelStepReasons(GeneratorRunResult result) =>
        Reasons(KernelSteps.SelectMany(name => result.TrackedSteps[name]));

    private static IncrementalStepRunReason[] OutputReasons(GeneratorRunResult result) =>
        Reasons(result.TrackedOutputSteps.SelectMany(s => s.Value));

    [Fact]
    public void A_second_run_on_a_cloned_compilation_reuses_every_step()
    {
        CSharpCompilation compilation = Compilation();
        GeneratorRunResult result = RunTwice(compilation, compilation.Clone());
        Assert.All(KernelSteps, name => Assert.True(result.TrackedSteps.ContainsKey(name), $"no step named {name}"));
        foreach ((string name, ImmutableArray<IncrementalGeneratorRunStep> steps) in result.TrackedSteps)
        {
            // Roslyn's own steps that carry the compilation object (the input, and the pairing inside
            // ForAttributeWithMetadataName) are new with every compilation; everything after them is compared by value.
            if (steps.SelectMany(s => s.Outputs).Any(o => HoldsCompilation(o.Value))) continue;
            Assert.All(Reasons(steps), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step {name}: {r}"));
        }
        Assert.Equal(8, OutputReasons(result).Length);
        Assert.All(OutputReasons(result), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
    }

    [Fact]
    public void An_edit_to_an_unrelated_file_regenerates_nothing()
    {
        CSharpCompilation compilation = Compilation();
        GeneratorRunResult result = RunTwice(compilation, Edit(compilation, 2, t => t.Replace("2 * x", "x + x")));
        Assert.All(KernelStepReasons(result), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.All(OutputReasons(result), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
    }

    [Fact]
    public void An_edit_elsewhere_in_a_kernels_file_regenerates_nothing()
    {
        CSharpCompilation compilation = Compilation();
        GeneratorRunResult result = RunTwice(compilation, Edit(compilation, 0, t => t.Replace("public static partial class Kernels\n{", "public static partial class Kernels\n{\n    public static int Unrelated() => 42;\n")));
        Assert.All(OutputReasons(result), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
    }

    [Fact]
    public void An_edit_to_one_kernels_shape_regenerates_that_kernel_only()
    {
        CSharpCompilation compilation = Compilation();
        GeneratorRunResult result = RunTwice(compilation, Edit(compilation, 0, t => t.Replace("[Softmax(4, 100)]", "[Softmax(4, 101)]")));
        Assert.Single(KernelStepReasons(result), r => r == IncrementalStepRunReason.Modified);
        Assert.DoesNotContain(KernelStepReasons(result), r => r is IncrementalStepRunReason.New or IncrementalStepRunReason.Removed);
        IncrementalGeneratorRunStep[] regenerated = result.TrackedOutputSteps.SelectMany(s => s.Value)
            .Where(s => s.Outputs.Any(o => o.Reason != IncrementalStepRunReason.Cached)).ToArray();
        IncrementalGeneratorRunStep step = Assert.Single(regenerated);
        Assert.All(step.Outputs, o => Assert.Equal(IncrementalStepRunReason.Modified, o.Reason));
        GeneratedSourceResult rows = Assert.Single(result.GeneratedSources, s => s.HintName == "MyApp.Kernels.Rows_double_inplace.g.cs");
        Assert.Contains("[4, 101]", rows.SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_edit_to_one_training_kernels_options_regenerates_that_kernel_only()
    {
        CSharpCompilation compilation = Compilation();
        GeneratorRunResult result = RunTwice(compilation, Edit(compilation, 1, t => t.Replace("[SoftmaxCrossEntropy(-1, 50257)]", "[SoftmaxCrossEntropy(-1, 50257, IgnoreIndex = -1)]")));
        Assert.Single(KernelStepReasons(result), r => r == IncrementalStepRunReason.Modified);
        IncrementalGeneratorRunStep[] regenerated = result.TrackedOutputSteps.SelectMany(s => s.Value)
            .Where(s => s.Outputs.Any(o => o.Reason != IncrementalStepRunReason.Cached)).ToArray();
        Assert.Single(regenerated);
        GeneratedSourceResult loss = Assert.Single(result.GeneratedSources, s => s.HintName == "MyApp.Other.More.Loss_float_lossgradient.g.cs");
        Assert.Contains("if (target == -1)", loss.SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_model_holds_no_symbol_syntax_location_or_compilation()
    {
        CSharpCompilation compilation = Compilation();
        GeneratorRunResult result = RunTwice(compilation, Edit(compilation, 0, t => t.Replace("[Softmax(4, 100)]", "[Softmax(4, 101)]")));
        var walker = new ModelWalker();
        object[] outputs = KernelSteps.SelectMany(name => result.TrackedSteps[name]).SelectMany(step => step.Outputs).Select(o => o.Value).ToArray();
        Assert.Equal(8, outputs.Length);
        foreach (object value in outputs) walker.Walk(value, value.GetType().Name);
        Assert.Empty(walker.Forbidden);
        // The walk really reached the models, down to their shapes.
        Assert.Contains(walker.Visited, t => t.Name == "KernelModel");
        Assert.Contains(walker.Visited, t => t.Name == "KernelSpec");
        Assert.Contains(walker.Visited, t => t.Name == "KernelTarget");
        Assert.Contains(typeof(int[]), walker.Visited);
    }

    [Fact]
    public void The_model_walker_finds_compiler_objects_however_deep()
    {
        CSharpCompilation compilation = Compilation();
        SyntaxTree tree = compilation.SyntaxTrees[0];
        ISymbol symbol = compilation.GetTypeByMetadataName("MyApp.Kernels")!;
        var walker = new ModelWalker();
        walker.Walk(new object[] { ("fine", new List<object> { tree.GetRoot() }) }, "node");
        walker.Walk(ImmutableArray.Create(tree.GetRoot().GetLocation()), "location");
        walker.Walk(new KeyValuePair<string, ISymbol>("k", symbol), "symbol");
        walker.Walk(Tuple.Create(1, compilation), "compilation");
        Assert.Equal(4, walker.Forbidden.Count);
    }

    /// <summary>Walks an object graph through every field, and records each compiler object it holds.</summary>
    private sealed class ModelWalker
    {
        private readonly HashSet<object> _seen = new(ReferenceEqualityComparer.Instance);

        public List<string> Forbidden { get; } = [];

        public HashSet<Type> Visited { get; } = [];

        public void Walk(object? value, string path)
        {
            if (value is null) return;
            Type type = value.GetType();
            Visited.Add(type);
            if (value is ISymbol or SyntaxNode or SyntaxToken or SyntaxTree or Location or Microsoft.CodeAnalysis.Compilation or SemanticModel or AttributeData or SyntaxReference)
            {
                Forbidden.Add($"{path}: {type.FullName}");
                return;
            }
            if (type.IsPrimitive || type.IsEnum || value is string or decimal || (!type.IsValueType && !_seen.Add(value))) return;
            if (value is Array array)
            {
                int i = 0;
                foreach (object? item in (IEnumerable)array) Walk(item, $"{path}[{i++}]");
                return;
            }
            for (Type? t = type; t is not null && t != typeof(object); t = t.BaseType)
            {
                foreach (FieldInfo field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    Walk(field.GetValue(value), $"{path}.{field.Name}");
                }
            }
        }
    }
}
