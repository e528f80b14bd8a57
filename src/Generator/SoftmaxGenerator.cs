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
/// stable softmax specialised at compile time for its shape and axis; and of the training kernels
/// ([SoftmaxGradient], [LogSoftmaxGradient], [SoftmaxCrossEntropy]), which call the runtime's row functions.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class SoftmaxGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline steps, for the incrementality tests.</summary>
    public static class Steps
    {
        public const string SoftmaxKernels = nameof(SoftmaxKernels);
        public const string LogSoftmaxKernels = nameof(LogSoftmaxKernels);
        public const string SoftmaxGradientKernels = nameof(SoftmaxGradientKernels);
        public const string LogSoftmaxGradientKernels = nameof(LogSoftmaxGradientKernels);
        public const string SoftmaxCrossEntropyKernels = nameof(SoftmaxCrossEntropyKernels);
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
        // The training kernels (issue #14): the same reading and model, their own plans.
        IncrementalValuesProvider<KernelModel> softmaxGradient = context.SyntaxProvider
            .ForAttributeWithMetadataName(KernelReader.SoftmaxGradientAttributeName, IsMethod, (c, ct) => Read(c, KernelOperation.SoftmaxGradient, ct))
            .WithTrackingName(Steps.SoftmaxGradientKernels);
        IncrementalValuesProvider<KernelModel> logSoftmaxGradient = context.SyntaxProvider
            .ForAttributeWithMetadataName(KernelReader.LogSoftmaxGradientAttributeName, IsMethod, (c, ct) => Read(c, KernelOperation.LogSoftmaxGradient, ct))
            .WithTrackingName(Steps.LogSoftmaxGradientKernels);
        IncrementalValuesProvider<KernelModel> crossEntropy = context.SyntaxProvider
            .ForAttributeWithMetadataName(KernelReader.SoftmaxCrossEntropyAttributeName, IsMethod, (c, ct) => Read(c, KernelOperation.CrossEntropy, ct))
            .WithTrackingName(Steps.SoftmaxCrossEntropyKernels);

        // 2. Plan each kernel and emit one file per kernel: a pure function of the model.
        context.RegisterSourceOutput(softmax, Emit);
        context.RegisterSourceOutput(logSoftmax, Emit);
        context.RegisterSourceOutput(softmaxGradient, Emit);
        context.RegisterSourceOutput(logSoftmaxGradient, Emit);
        context.RegisterSourceOutput(crossEntropy, Emit);
    }

    private static bool IsMethod(SyntaxNode node, CancellationToken _) => node is MethodDeclarationSyntax;

    private static KernelModel Read(GeneratorAttributeSyntaxContext context, KernelOperation operation, CancellationToken cancellationToken)
    {
        var method = (IMethodSymbol)context.TargetSymbol;
        if (!KernelReader.IsReadFor(method, operation))
        {
            return new KernelModel(null, null, null); // Several kernel attributes (KG0014): the first one's step answers for it.
        }
        return KernelReader.Read(method, (MethodDeclarationSyntax)context.TargetNode, context.Attributes[0], operation, context.SemanticModel, cancellationToken).Model;
    }

    private static void Emit(SourceProductionContext context, KernelModel model)
    {
        if (model.Target is null)
        {
            return; // No implementation can legally be written; the analyzer reports why.
        }
        string source = model.Spec is null ? KernelEmitter.EmitThrowing(model.Target, model.Problem ?? "The kernel is misdeclared.")
            : model.Spec.IsTraining ? TrainingEmitter.Emit(model.Target, TrainingPlanChooser.Choose(model.Spec))
            : KernelEmitter.Emit(model.Target, PlanChooser.Choose(model.Spec), model.Spec.Parameters == ParameterKind.TensorSpans);
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
