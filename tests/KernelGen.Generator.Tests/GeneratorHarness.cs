using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Basic.Reference.Assemblies;
using KernelGen.Generator;
using KernelGen.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KernelGen.Generator.Tests;

/// <summary>Runs the generator (and the analyzer) on source text, as the compiler would in a user's project.</summary>
public static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly ImmutableArray<MetadataReference> References =
        [.. Net100.References.All, MetadataReference.CreateFromFile(typeof(SoftmaxAttribute).Assembly.Location),
         MetadataReference.CreateFromFile(typeof(System.Numerics.Tensors.TensorSpan<>).Assembly.Location)];

    public static CSharpCompilation Compile(params string[] sources) =>
        CSharpCompilation.Create(
            "UserProject",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"User{i}.cs")),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: false));

    public static GeneratorDriver Driver(bool trackSteps = false) =>
        CSharpGeneratorDriver.Create(
            [new SoftmaxGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>The generator's output for the sources, and the diagnostics of the whole compilation after it ran.</summary>
    public static (GeneratorDriverRunResult Run, Compilation Output, ImmutableArray<Diagnostic> Diagnostics) Run(params string[] sources)
    {
        CSharpCompilation input = Compile(sources);
        GeneratorDriver driver = Driver().RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        ImmutableArray<Diagnostic> diagnostics = generatorDiagnostics.AddRange(output.GetDiagnostics());
        return (driver.GetRunResult(), output, diagnostics);
    }

    /// <summary>
    /// What a build shows: the generator runs, then the compiler and the analyzer look at the result (generated
    /// code included). Every diagnostic from all three, in source order.
    /// </summary>
    public static async Task<(GeneratorDriverRunResult Run, Compilation Output, ImmutableArray<Diagnostic> Diagnostics)> Build(params string[] sources)
    {
        var (run, output, diagnostics) = Run(sources);
        ImmutableArray<Diagnostic> analyzer = await AnalyzerDiagnostics(output);
        return (run, output, diagnostics.AddRange(analyzer).OrderBy(d => d.Location.SourceTree?.FilePath).ThenBy(d => d.Location.SourceSpan.Start).ToImmutableArray());
    }

    /// <summary>The <see cref="KernelAnalyzer"/>'s diagnostics on a compilation; exceptions it throws go to <paramref name="onException"/> (AD0001 otherwise).</summary>
    public static Task<ImmutableArray<Diagnostic>> AnalyzerDiagnostics(Compilation compilation, bool reportSuppressed = false, Action<Exception>? onException = null)
    {
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]),
            onException is null ? null : (e, _, _) => onException(e),
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false,
            reportSuppressedDiagnostics: reportSuppressed);
        return compilation.WithAnalyzers([new KernelAnalyzer()], options).GetAnalyzerDiagnosticsAsync();
    }

    public static string Describe(ImmutableArray<Diagnostic> diagnostics) =>
        string.Join(Environment.NewLine, diagnostics.Select(d => d.ToString()));
}
