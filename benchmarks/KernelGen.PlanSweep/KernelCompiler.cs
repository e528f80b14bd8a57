using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using Basic.Reference.Assemblies;
using KernelGen.Generator.Emit;
using KernelGen.Generator.Model;
using KernelGen.Generator.Planning;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KernelGen.PlanSweep;

/// <summary>A generated kernel's entry point: the user's partial method.</summary>
internal delegate void Kernel<T>(ReadOnlySpan<T> x, Span<T> y);

/// <summary>One kernel to compile: the plan of one candidate at one point.</summary>
internal sealed record KernelRequest(string TypeName, KernelSpec Spec, KernelPlan Plan);

/// <summary>
/// Emits kernels with the generator's own emitter (exactly the code a user's build gets for that plan) and compiles a
/// chunk of them in memory into a collectible assembly.
/// </summary>
internal sealed class KernelCompiler
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);
    private readonly MetadataReference[] _references =
        [.. Net100.References.All, MetadataReference.CreateFromFile(typeof(Kernels).Assembly.Location)];

    public static KernelSpec Spec(Point point, ElementKind element) =>
        new(KernelOperation.Softmax, element, false, new EquatableArray<int>(System.Collections.Immutable.ImmutableArray.Create(point.Shape)), point.Axis, KernelOptions.Default, ParameterKind.Spans);

    public static string Source(KernelRequest request)
    {
        string e = request.Spec.Element == ElementKind.Float ? "float" : "double";
        var target = new KernelTarget("Sweep", new EquatableArray<ContainingType>(System.Collections.Immutable.ImmutableArray.Create(new ContainingType("static partial class", request.TypeName, "", request.TypeName))),
            "public static", "Run", request.Spec.Element, false, ParameterKind.Spans, KernelParameterPrefixes.None, null, new EquatableArray<string>(System.Collections.Immutable.ImmutableArray.Create("x", "y")));
        var text = new StringBuilder();
        text.Append("namespace Sweep { static partial class ").Append(request.TypeName)
            .Append(" { public static partial void Run(global::System.ReadOnlySpan<").Append(e).Append("> x, global::System.Span<").Append(e).Append("> y); } }\n");
        text.Append(KernelEmitter.Emit(target, request.Plan, tensorSpans: false));
        return text.ToString();
    }

    /// <summary>Compiles the kernels and returns each one's entry point, in order; the context is unloaded when the caller is done.</summary>
    public (AssemblyLoadContext Context, Delegate[] Kernels) Compile(IReadOnlyList<KernelRequest> requests)
    {
        SyntaxTree[] trees = [.. requests.Select(r => CSharpSyntaxTree.ParseText(Source(r), ParseOptions, path: r.TypeName + ".g.cs"))];
        var compilation = CSharpCompilation.Create("Sweep" + Guid.NewGuid().ToString("N"), trees, _references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, allowUnsafe: true));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        if (!result.Success)
        {
            string errors = string.Join(Environment.NewLine, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(10));
            throw new InvalidOperationException("A generated kernel did not compile:" + Environment.NewLine + errors);
        }
        image.Position = 0;
        var context = new AssemblyLoadContext("sweep", isCollectible: true);
        Assembly assembly = context.LoadFromStream(image);
        var kernels = new Delegate[requests.Count];
        for (int i = 0; i < requests.Count; i++)
        {
            MethodInfo run = assembly.GetType("Sweep." + requests[i].TypeName, throwOnError: true)!.GetMethod("Run")!;
            Type type = requests[i].Spec.Element == ElementKind.Float ? typeof(Kernel<float>) : typeof(Kernel<double>);
            kernels[i] = run.CreateDelegate(type);
        }
        return (context, kernels);
    }
}
