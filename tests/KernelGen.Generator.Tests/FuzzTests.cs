using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KernelGen.Generator.Tests;

/// <summary>
/// The generator and the analyzer on code as it is being typed, and on random declarations built from every
/// misuse: no run may throw (CS8785 for the generator, AD0001 for the analyzer), take more than a second, or
/// produce generated code that does not compile.
/// </summary>
public class FuzzTests
{
    /// <summary>
    /// The limit per run. Other builds share this machine's two cores, so a run over it is run again and judged on
    /// the faster of the two: an input that is really slow stays slow, one that was only descheduled does not.
    /// </summary>
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(1);

    private const string Before = "using System;\nusing KernelGen;\n\nnamespace MyApp;\n\npublic static partial class Kernels\n{\n    public static int n = 3;\n";
    private const string After = "\n}\n";

    private static readonly string[] Declarations =
    [
        "    [Softmax(12, 128, 128)]\n    public static partial void AttentionProbs(ReadOnlySpan<float> scores, Span<float> probs);\n",
        "    [LogSoftmax(36, 10, 4, 3, 2, Axis = -1)]\n    internal static partial void LogProbs(Span<double> data);\n",
        "    [Softmax(64, 512, Axis = 0)] private static partial void Columns(scoped ReadOnlySpan<float> x, Span<float> y);\n",
        "    [KernelGen.Softmax(new[] { 2, 3 }, Axis = 1), LogSoftmax(3)]\n    public static partial int Both<T>(in ReadOnlySpan<T> x, out Span<double> y) where T : struct;\n",
        "    [SoftmaxCrossEntropy(-1, 50257, IgnoreIndex = -1)]\n    public static partial void Loss(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> losses, scoped Span<float> dx);\n",
    ];

    [Fact]
    public async Task Every_prefix_of_a_kernel_declaration_typed_into_a_class()
    {
        var runner = new Runner();
        await runner.WarmUp();
        foreach (string declaration in Declarations)
        {
            for (int length = 0; length <= declaration.Length; length++)
            {
                await runner.Check(Before + declaration[..length] + After);
            }
        }
        runner.AssertNoFailures();
    }

    [Fact]
    public async Task Every_prefix_of_a_whole_file()
    {
        var runner = new Runner();
        string file = Before + Declarations[0] + Declarations[2] + After;
        await runner.WarmUp();
        for (int length = 0; length <= file.Length; length++)
        {
            await runner.Check(file[..length]);
        }
        runner.AssertNoFailures();
    }

    [Fact]
    public async Task Random_declarations_built_from_every_misuse()
    {
        var runner = new Runner();
        var random = new Random(20251128);
        await runner.WarmUp();
        for (int i = 0; i < 2000; i++)
        {
            await runner.Check(RandomSource(random));
        }
        runner.AssertNoFailures();
    }

    private static readonly string[] Containers =
    [
        "public static partial class K", "public static class K", "public partial struct S", "internal partial record R",
        "public partial class G<T> where T : class", "public ref partial struct RS", "partial interface I",
    ];

    private static readonly string[] Attributes =
    [
        "[Softmax(3, 4)]", "[LogSoftmax(2, 3, 4, Axis = 1)]", "[Softmax]", "[Softmax()]", "[Softmax(0)]", "[Softmax(-1, 4)]",
        "[Softmax(65536, 65536)]", "[Softmax(3, Axis = 5)]", "[Softmax(3, Axis = -2)]", "[Softmax(n)]", "[Softmax(3, Axis = n)]",
        "[Softmax(\"x\")]", "[Softmax(3), LogSoftmax(3)]", "[Softmax(new[] { 2, 3 })]", "[Softmax(null)]", "[KernelGen.LogSoftmax(7)]",
        "[Softmax(Undefined)]", "[Softmax(int.MaxValue)]", "[LogSoftmax(2, 3)][Softmax(2, 3)]", "[Softmax(2.5)]", "[Softmax(3, Axis = 0, Axis = 0)]",
        "[Softmax(3, Shape = null)]", "[Obsolete, Softmax(5)]", "[Softmax(3", "[Softmax(1 << 20, 1 << 11)]",
        "[SoftmaxGradient(3, 4)]", "[LogSoftmaxGradient(-1, 2, 3, Axis = 1, Causal = true)]", "[SoftmaxGradient(4, 4, Causal = true, Parallel = true)]",
        "[SoftmaxCrossEntropy(3, 4)]", "[SoftmaxCrossEntropy(-1, 4, IgnoreIndex = n)]", "[SoftmaxCrossEntropy(4)]", "[SoftmaxCrossEntropy(2, 3, 4, MaskedRows = MaskedRowPolicy.Zero)]",
        "[SoftmaxCrossEntropy(3, 4), SoftmaxGradient(3, 4)]",
    ];

    private static readonly string[] Modifiers =
        ["public", "internal", "private", "protected", "static", "partial", "async", "extern", "unsafe", "new", "virtual", "readonly", "override", "sealed"];

    private static readonly string[] Returns = ["void", "void", "void", "int", "float", "ref float", "System.Threading.Tasks.Task", "T", "Spam"];

    private static readonly string[] Names = ["M", "M", "N", "@class", "Kernel", "K"];

    private static readonly string[] TypeParameters = ["", "", "", "<T>", "<T, U>"];

    private static readonly string[] Constraints = ["", "", " where T : struct", " where T : class?, new()", " where T : unmanaged, IComparable<T>", " where T : notnull"];

    private static readonly string[] Parameters =
    [
        "ReadOnlySpan<float> x", "Span<float> y", "Span<double> d", "ReadOnlySpan<double> x", "Span<int> y", "float[] a",
        "ref Span<float> r", "in ReadOnlySpan<float> i", "out Span<float> o", "params Span<float> p", "scoped Span<float> s",
        "Span<T> t", "Spam<float> z", "float* p", "int n", "Span<float?> q", "this Span<float> e", "ref readonly Span<float> rr",
        "scoped ref Span<float> sr", "ReadOnlySpan<float> @event", "Span<float> y = default",
        "ReadOnlySpan<int> targets", "ReadOnlySpan<float> dy", "scoped Span<float> dx", "System.Numerics.Tensors.ReadOnlyTensorSpan<float> t",
    ];

    private static readonly string[] Bodies = [";", ";", ";", " { }", " => throw null;", "", " {"];

    private static string Pick(Random random, string[] items) => items[random.Next(items.Length)];

    private static string RandomSource(Random random)
    {
        var text = new StringBuilder("using System;\nusing KernelGen;\n\nnamespace MyApp;\n\n");
        bool nested = random.Next(5) == 0;
        if (nested) text.Append(random.Next(2) == 0 ? "public partial class Outer\n{\n" : "public class Outer\n{\n");
        text.Append(Pick(random, Containers)).Append("\n{\n    public static int n = 3;\n");
        int kernels = 1 + random.Next(3);
        for (int k = 0; k < kernels; k++)
        {
            text.Append("    ").Append(Pick(random, Attributes));
            if (random.Next(6) == 0) text.Append(Pick(random, Attributes));
            text.Append("\n    ");
            var modifiers = Modifiers.Where(m => random.Next(m is "public" or "static" or "partial" ? 2 : 12) == 0).OrderBy(_ => random.Next()).ToList();
            if (random.Next(3) > 0)
            {
                modifiers.Remove("partial");
                modifiers.Add("partial"); // usually last, as C# wants before the return type
            }
            text.Append(string.Join(" ", modifiers)).Append(' ').Append(Pick(random, Returns)).Append(' ').Append(Pick(random, Names));
            text.Append(Pick(random, TypeParameters)).Append('(');
            text.Append(string.Join(", ", Enumerable.Range(0, random.Next(4)).Select(_ => Pick(random, Parameters)))).Append(')');
            text.Append(Pick(random, Constraints)).Append(Pick(random, Bodies)).Append('\n');
        }
        text.Append("}\n");
        if (nested) text.Append("}\n");
        string source = text.ToString();
        return random.Next(8) == 0 ? source[..random.Next(source.Length)] : source; // sometimes half-typed
    }

    /// <summary>Runs the generator and the analyzer on one source and records every failure.</summary>
    private sealed class Runner
    {
        private static readonly CSharpCompilation Empty = GeneratorHarness.Compile();
        private readonly List<string> _failures = [];
        private int _runs;

        /// <summary>A first run, not judged: it includes compiling the generator, the analyzer and Roslyn to machine code.</summary>
        public Task WarmUp() => Run(Before + Declarations[0] + After);

        public async Task Check(string source)
        {
            _runs++;
            (List<string> problems, TimeSpan elapsed) = await Run(source);
            if (elapsed > Limit) (problems, elapsed) = await Run(source);
            if (elapsed > Limit) problems.Add($"took {elapsed.TotalMilliseconds:F0} ms, twice");
            if (problems.Count > 0 && _failures.Count < 5)
            {
                _failures.Add($"--- source:\n{source}\n--- problems:\n{string.Join("\n", problems)}");
            }
        }

        private static async Task<(List<string> Problems, TimeSpan Elapsed)> Run(string source)
        {
            CSharpCompilation input = Empty.AddSyntaxTrees(CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path: "User0.cs"));
            var exceptions = new List<Exception>();
            var clock = Stopwatch.StartNew();
            GeneratorDriver driver = GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
            ImmutableArray<Diagnostic> analyzer = await GeneratorHarness.AnalyzerDiagnostics(output, onException: e => { lock (exceptions) exceptions.Add(e); });
            clock.Stop();

            var problems = new List<string>();
            if (driver.GetRunResult().Results.Single().Exception is { } e) problems.Add("the generator threw " + e);
            problems.AddRange(exceptions.Select(x => "the analyzer threw " + x));
            problems.AddRange(generatorDiagnostics.Concat(analyzer).Where(d => d.Id is "CS8785" or "AD0001").Select(d => d.ToString()));
            // Generated code never adds an error of its own: a misdeclared kernel gets a body only when it compiles.
            problems.AddRange(output.GetDiagnostics()
                .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree is { } tree && !input.SyntaxTrees.Contains(tree))
                .Select(d => "generated code: " + d));
            return (problems, clock.Elapsed);
        }

        public void AssertNoFailures()
        {
            Assert.True(_runs > 100, "the fuzz ran too few cases");
            Assert.True(_failures.Count == 0, string.Join("\n\n", _failures));
        }
    }
}
