using System.Collections.Immutable;
using KernelGen.Generator.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KernelGen.Generator.Diagnostics;

/// <summary>
/// Reports every misdeclared kernel ([Softmax], [LogSoftmax] and the training attributes; KG0001 and up). It reads each kernel with the
/// generator's own <see cref="KernelReader"/>, so what is reported and what is generated always agree; the
/// generator itself reports nothing, which keeps its output cacheable in the IDE.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class KernelAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => KernelDiagnostics.All;

    public override void Initialize(AnalysisContext context)
    {
        // Not GeneratedCodeAnalysisFlags.None: C# merges the attributes of a partial method's two parts, so the
        // [GeneratedCode] on the implementing part KernelGen writes makes the user's own declaration count as
        // generated code. Generated files hold no [Softmax] declarations of KernelGen's, so nothing else is read.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.EnableConcurrentExecution();
        context.RegisterSyntaxNodeAction(AnalyzeMethod, SyntaxKind.MethodDeclaration);
    }

    private static void AnalyzeMethod(SyntaxNodeAnalysisContext context)
    {
        var syntax = (MethodDeclarationSyntax)context.Node;
        if (syntax.AttributeLists.Count == 0
            || context.SemanticModel.GetDeclaredSymbol(syntax, context.CancellationToken) is not IMethodSymbol method
            || KernelReader.FindKernelAttribute(method, syntax, out var operation) is not { } attribute)
        {
            return;
        }
        KernelReading reading = KernelReader.Read(method, syntax, attribute, operation, semanticModel: null, context.CancellationToken);
        foreach (KernelProblem problem in reading.Problems)
        {
            Location location = problem.Site == ProblemSite.Attribute && attribute.ApplicationSyntaxReference is { } reference
                ? reference.GetSyntax(context.CancellationToken).GetLocation()
                : syntax.Identifier.GetLocation();
            context.ReportDiagnostic(Diagnostic.Create(problem.Descriptor, location, problem.Arguments));
        }
    }
}
