using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using BenchmarkDotNet.Attributes;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KernelGen.Generator.Benchmarks;

/// <summary>
/// The generator on a project of 200 kernels of mixed shapes, operations, element types and layouts, in 20 files
/// of 10, beside 20 files of ordinary code: the first run, and the incremental run after a one-line edit (each
/// incremental invocation makes the edit, alternating it with its undo, on a new compilation as an IDE would).
/// Each is measured for KernelGen and for three baselines (<see cref="Baselines"/>) in the same run, so that
/// KernelGen's cost can be given as a ratio to Roslyn's floor.
/// </summary>
public class GeneratorBenchmarks
{
    /// <summary>The generator measured: KernelGen, or one of the baselines.</summary>
    public enum Generator
    {
        KernelGen,
        NoOutput,
        ConstantFile,
        BindTypes,

        /// <summary>KernelGen's reading, then a constant file: KernelGen less the planning and writing.</summary>
        KernelGenReading,
    }

    [ParamsAllValues]
    public Generator Under { get; set; }

    public const int Files = 20;
    public const int KernelsPerFile = 10;

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly (int[] Shape, int Axis)[] Shapes =
    [
        ([3, 3], -1), ([12, 128, 128], -1), ([4, 100], -1), ([64, 512], 0), ([50257], -1), ([36, 10, 4, 3, 2], -1),
        ([2, 3, 5, 7], 1), ([8, 1000], -1), ([16, 33], -1), ([4, 33, 6], 1), ([1, 1, 1], 2), ([128, 64], -1),
    ];

    private CSharpCompilation _compilation = null!;
    private GeneratorDriver _driver = null!;
    private Compilation _current = null!;
    private SyntaxTree _kernels = null!, _kernelsEdited = null!, _plain = null!, _plainEdited = null!;

    public static string KernelFile(int file, int? editedKernel = null)
    {
        var text = new StringBuilder($"using System;\nusing KernelGen;\n\nnamespace Bench.Models{file};\n\npublic static partial class Kernels{file}\n{{\n");
        for (int k = 0; k < KernelsPerFile; k++)
        {
            int i = file * KernelsPerFile + k;
            (int[] shape, int axis) = Shapes[i % Shapes.Length];
            if (editedKernel == k) shape = [.. shape[..^1], shape[^1] + 1]; // the one-line edit: the last dimension grows by one
            string op = i % 3 == 2 ? "LogSoftmax" : "Softmax";
            string element = i % 4 == 3 ? "double" : "float";
            string parameters = i % 5 == 4 ? $"Span<{element}> data" : $"ReadOnlySpan<{element}> input, Span<{element}> output";
            text.Append($"    [{op}({string.Join(", ", shape)}, Axis = {axis})]\n    public static partial void K{i:D3}({parameters});\n\n");
        }
        return text.Append("}\n").ToString();
    }

    public static string PlainFile(int file, int value = 42) =>
        $"namespace Bench.Plain{file};\n\npublic static class Helpers{file}\n{{\n    public static int Answer() => {value};\n    public static int Twice(int x) => 2 * x;\n}}\n";

    public static CSharpCompilation Compilation(IEnumerable<SyntaxTree> trees) =>
        CSharpCompilation.Create("Bench", trees,
            [.. Net100.References.All, MetadataReference.CreateFromFile(typeof(SoftmaxAttribute).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver NewDriver(Generator generator = Generator.KernelGen) =>
        CSharpGeneratorDriver.Create([Create(generator).AsSourceGenerator()], parseOptions: ParseOptions);

    private static IIncrementalGenerator Create(Generator generator) => generator switch
    {
        Generator.NoOutput => new Baselines.NoOutput(),
        Generator.ConstantFile => new Baselines.ConstantFile(),
        Generator.BindTypes => new Baselines.BindTypes(),
        Generator.KernelGenReading => new Baselines.KernelGenReading(),
        _ => new SoftmaxGenerator(),
    };

    private static SyntaxTree Parse(string text, string path) => CSharpSyntaxTree.ParseText(text, ParseOptions, path);

    [GlobalSetup]
    public void Setup()
    {
        var trees = new List<SyntaxTree>();
        for (int f = 0; f < Files; f++)
        {
            trees.Add(Parse(KernelFile(f), $"Kernels{f}.cs"));
            trees.Add(Parse(PlainFile(f), $"Plain{f}.cs"));
        }
        _compilation = Compilation(trees);
        _kernels = trees[2 * 7];
        _kernelsEdited = Parse(KernelFile(7, editedKernel: 4), _kernels.FilePath);
        _plain = trees[2 * 7 + 1];
        _plainEdited = Parse(PlainFile(7, value: 43), _plain.FilePath);
        _current = _compilation;
        _driver = NewDriver(Under).RunGenerators(_compilation);
        ImmutableArray<GeneratedSourceResult> sources = _driver.GetRunResult().Results.Single().GeneratedSources;
        int expected = Under == Generator.NoOutput ? 0 : Files * KernelsPerFile;
        if (sources.Length != expected)
        {
            throw new System.InvalidOperationException($"{Under}: expected {expected} generated files, got {sources.Length}");
        }
    }

    /// <summary>The first run: a new driver on a new compilation (the symbols it binds are new too).</summary>
    [Benchmark]
    public GeneratorDriver FirstRun() => NewDriver(Under).RunGenerators(_compilation.Clone());

    /// <summary>One kernel's shape edited (one line), then the generator again: that kernel is planned and written anew.</summary>
    [Benchmark]
    public GeneratorDriver IncrementalAfterShapeEdit() => Toggle(_kernels, _kernelsEdited);

    /// <summary>One line of a file without kernels edited, then the generator again: nothing is regenerated.</summary>
    [Benchmark]
    public GeneratorDriver IncrementalAfterUnrelatedEdit() => Toggle(_plain, _plainEdited);

    // Makes the edit, or undoes it if the current compilation has it: every invocation is one one-line edit.
    private GeneratorDriver Toggle(SyntaxTree original, SyntaxTree edited)
    {
        _current = _current.ContainsSyntaxTree(edited) ? _current.ReplaceSyntaxTree(edited, original) : _current.ReplaceSyntaxTree(original, edited);
        return _driver = _driver.RunGenerators(_current);
    }
}
