using System.Threading;
using KernelGen.Generator.Emit;
using KernelGen.Generator.Model;
using KernelGen.Generator.Planning;
using KernelGen.Generator.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KernelGen.Generator;

/// <summary>
/// Writes the bodies of [Softmax] and [LogSoftmax] partial methods: for each kernel, a numerically
/// stable softmax specialised at compile time for its shape and axis.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class SoftmaxGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline steps, for the incrementality tests.</summary>
    public static class Steps
    {
        public const string SoftmaxKernels = nameof(SoftmaxKernels);
        public const string LogSoftmaxKernels = nameof(LogSoftmaxKernels);
    }

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // 1. Find the methods carrying each attribute and read each into a small, equatable model.
        IncrementalValuesProvider<KernelModel> softmax = context.SyntaxProvider
            .ForAttributeWithMetadataName(KernelReader.SoftmaxAttributeName, IsMethod, (c, ct) => Read(c, KernelOperation.Softmax, ct))
            .WithTrackingName(Steps.SoftmaxKernels);
        IncrementalValuesProvider<KernelModel> logSoftmax = context.SyntaxProvider
            .ForAttributeWithMetadataName(KernelReader.LogSoftmaxAttributeName, IsMethod, (c, ct) => Read(c, KernelOperation.LogSoftmax, ct))
            .WithTrackingName(Steps.LogSoftmaxKernels);

        // 2. Plan each kernel and emit one file per kernel: a pure function of the model.
        context.RegisterSourceOutput(softmax, Emit);
        context.RegisterSourceOutput(logSoftmax, Emit);
    }

    private static bool IsMethod(SyntaxNode node, CancellationToken _) => node is MethodDeclarationSyntax;

    private static KernelModel Read(GeneratorAttributeSyntaxContext context, KernelOperation operation, CancellationToken cancellationToken)
    {
        var method = (IMethodSymbol)context.TargetSymbol;
        if (!KernelReader.IsReadFor(method, operation))
        {
            return new KernelModel(null, null, null); // Both attributes (KG0014): the [Softmax] step answers for it.
        }
        return KernelReader.Read(method, (MethodDeclarationSyntax)context.TargetNode, context.Attributes[0], operation, context.SemanticModel, cancellationToken).Model;
    }

    private static void Emit(SourceProductionContext context, KernelModel model)
    {
        if (model.Target is null)
        {
            return; // No implementation can legally be written; the analyzer reports why.
        }
        string source = model.Spec is not null
            ? KernelEmitter.Emit(model.Target, PlanChooser.Choose(model.Spec), model.Spec.Parameters == ParameterKind.TensorSpans)
            : KernelEmitter.EmitThrowing(model.Target, model.Problem ?? "The kernel is misdeclared.");
        try
        {
            context.AddSource(model.Target.HintName, source);
        }
        catch (System.ArgumentException)
        {
            // A hint name already added: only a second declaration of the very same method has one (CS0111/CS0756
            // report it), and it gets no second implementation.
        }
    }
}
