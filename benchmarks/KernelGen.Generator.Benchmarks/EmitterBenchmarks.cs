using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Attributes;
using KernelGen.Generator.Emit;
using KernelGen.Generator.Model;
using KernelGen.Generator.Planning;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace KernelGen.Generator.Benchmarks;

/// <summary>
/// The parts of the first run that come after the reading, on the same 200 kernels: planning (choosing each path's
/// plan), writing the text (the emitter alone, on plans made beforehand), and what Roslyn then does with the text
/// (<c>AddSource</c> makes a <see cref="SourceText"/>, the driver parses it into a syntax tree).
/// </summary>
public class EmitterBenchmarks
{
    private KernelModel[] _models = null!;
    private KernelPlan[] _plans = null!;
    private string[] _sources = null!;

    /// <summary>Characters written for the 200 kernels.</summary>
    public static long Characters { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        var trees = new List<SyntaxTree>();
        for (int f = 0; f < GeneratorBenchmarks.Files; f++)
        {
            trees.Add(CSharpSyntaxTree.ParseText(GeneratorBenchmarks.KernelFile(f), new CSharpParseOptions(LanguageVersion.Latest), $"Kernels{f}.cs"));
        }
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new SoftmaxGenerator().AsSourceGenerator()],
                driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true))
            .RunGenerators(GeneratorBenchmarks.Compilation(trees));
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        _models = [.. new[] { SoftmaxGenerator.Steps.SoftmaxKernels, SoftmaxGenerator.Steps.LogSoftmaxKernels }
            .SelectMany(name => result.TrackedSteps[name]).SelectMany(step => step.Outputs).Select(o => (KernelModel)o.Value)];
        if (_models.Length != GeneratorBenchmarks.Files * GeneratorBenchmarks.KernelsPerFile || _models.Any(m => m.Spec is null || m.Target is null))
        {
            throw new System.InvalidOperationException($"expected {GeneratorBenchmarks.Files * GeneratorBenchmarks.KernelsPerFile} valid kernels, got {_models.Length}");
        }
        _plans = [.. _models.Select(m => PlanChooser.Choose(m.Spec!))];
        _sources = Emit();
        Characters = _sources.Sum(s => (long)s.Length);
    }

    /// <summary>Each kernel's plans chosen (the plan objects built), nothing written.</summary>
    [Benchmark]
    public object Plan() => _models.Select(m => PlanChooser.Choose(m.Spec!)).ToArray();

    /// <summary>The text of each kernel written from its plan: the emitter alone.</summary>
    [Benchmark]
    public string[] Emit() => [.. _models.Select((m, i) => KernelEmitter.Emit(m.Target!, _plans[i], m.Spec!.Parameters == ParameterKind.TensorSpans))];

    /// <summary>What Roslyn does with each text after AddSource: a SourceText, and its syntax tree.</summary>
    [Benchmark]
    public int ParseOutput()
    {
        int nodes = 0;
        foreach (string source in _sources)
        {
            SyntaxTree tree = CSharpSyntaxTree.ParseText(SourceText.From(source, System.Text.Encoding.UTF8), new CSharpParseOptions(LanguageVersion.Latest));
            nodes += tree.GetRoot().FullSpan.Length;
        }
        return nodes;
    }
}
