using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace KernelGen.Generator.Validation;

/// <summary>
/// Every diagnostic KernelGen reports. Each message says what is wrong and what to write instead;
/// each has a page at docs/diagnostics/KGxxxx.md.
/// </summary>
internal static class KernelDiagnostics
{
    private const string Category = "KernelGen";
    private const string HelpRoot = "https://github.com/kernelgen/kernelgen/blob/main/docs/diagnostics/";

    /// <summary>Every descriptor, in id order: what the analyzer supports.</summary>
    public static ImmutableArray<DiagnosticDescriptor> All => s_all ??= ImmutableArray.Create(
        MissingAccessibility, NotPartial, HasBody, ContainingTypeNotPartial, GenericMethod, NotVoid, AsyncOrExtern,
        BadParameters, UnsupportedElementType, MixedElementTypes, ParameterModifier, InvalidShape, AxisOutOfRange, BothAttributes, InvalidScale, CausalShape, ParallelAxis,
        BadTrainingParameters, MixedTrainingElementTypes, BadTargets, CrossEntropyShape, MaskedRowsWithoutGradient);

    private static ImmutableArray<DiagnosticDescriptor>? s_all;

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + id + ".md");

    public static readonly DiagnosticDescriptor MissingAccessibility = Error("KG0001",
        "Kernel method needs an explicit accessibility",
        "Kernel method '{0}' has no accessibility modifier, so C# lets it have no body and silently removes every call to it: declare it 'public', 'internal', 'protected' or 'private', e.g. 'public static partial void {0}(...);'");

    public static readonly DiagnosticDescriptor NotPartial = Error("KG0002",
        "Kernel method must be partial",
        "Kernel method '{0}' must be declared 'partial' with no body, so that KernelGen can write the body: e.g. 'public static partial void {0}(ReadOnlySpan<float> input, Span<float> output);'");

    public static readonly DiagnosticDescriptor HasBody = Error("KG0003",
        "Kernel method already has a body",
        "Kernel method '{0}' already has a body: KernelGen writes it; remove the body and end the declaration with ';'");

    public static readonly DiagnosticDescriptor ContainingTypeNotPartial = Error("KG0004",
        "Type containing a kernel must be partial",
        "Type '{0}', which contains kernel method '{1}', must be declared 'partial' so that KernelGen can add the kernel's body to it");

    public static readonly DiagnosticDescriptor GenericMethod = Error("KG0005",
        "Kernel method cannot be generic",
        "Kernel method '{0}' cannot be generic: remove its type parameters and declare one kernel per element type (float or double)");

    public static readonly DiagnosticDescriptor NotVoid = Error("KG0006",
        "Kernel method must return void",
        "Kernel method '{0}' returns '{1}': a kernel writes its result into its output span; declare it as returning 'void'");

    public static readonly DiagnosticDescriptor AsyncOrExtern = Error("KG0007",
        "Kernel method cannot be async or extern",
        "Kernel method '{0}' is declared '{1}': remove the '{1}' modifier; a kernel is a synchronous method whose body KernelGen writes");

    public static readonly DiagnosticDescriptor BadParameters = Error("KG0008",
        "Kernel method has the wrong parameters",
        "Kernel method '{0}' has parameters ({1}): declare either (ReadOnlySpan<T> input, Span<T> output) or (Span<T> data) for in place, with T float or double (or the same with ReadOnlyTensorSpan<T> and TensorSpan<T>)");

    public static readonly DiagnosticDescriptor UnsupportedElementType = Error("KG0009",
        "Kernel element type must be float or double",
        "Kernel method '{0}' works on '{1}': use float or double as the element type of its spans");

    public static readonly DiagnosticDescriptor MixedElementTypes = Error("KG0010",
        "Kernel input and output must have the same element type",
        "Kernel method '{0}' reads '{1}' and writes '{2}': use the same element type for both, e.g. (ReadOnlySpan<{1}> input, Span<{1}> output)");

    public static readonly DiagnosticDescriptor ParameterModifier = Error("KG0011",
        "Kernel parameter cannot have a modifier",
        "Parameter '{0}' of kernel method '{1}' is declared '{2}': remove the modifier; spans are passed by value");

    public static readonly DiagnosticDescriptor InvalidShape = Error("KG0012",
        "Kernel shape is invalid",
        "{0}");

    public static readonly DiagnosticDescriptor AxisOutOfRange = Error("KG0013",
        "Kernel axis is out of range",
        "{0}");

    public static readonly DiagnosticDescriptor InvalidScale = Error("KG0015",
        "Kernel scale must be finite and not negative",
        "Scale is {0}: use a finite value of at least 0, e.g. Scale = 0.125f for 1/sqrt(64) in attention, or 1/temperature for sampling");

    public static readonly DiagnosticDescriptor CausalShape = Error("KG0016",
        "Causal needs [..., Q, K] with the softmax over K",
        "{0}");

    public static readonly DiagnosticDescriptor ParallelAxis = Error("KG0017",
        "Parallel needs a leading dimension to split",
        "{0}");

    public static readonly DiagnosticDescriptor BothAttributes = Error("KG0014",
        "Kernel method has more than one kernel attribute",
        "Kernel method '{0}' has both [{1}] and [{2}]: keep one, and declare a second method for the other");

    public static readonly DiagnosticDescriptor BadTrainingParameters = Error("KG0018",
        "Training kernel has the wrong parameters",
        "Kernel method '{0}' has parameters ({1}): [{2}] takes {3}");

    public static readonly DiagnosticDescriptor MixedTrainingElementTypes = Error("KG0019",
        "Training kernel spans must have one element type",
        "Parameters '{1}' and '{2}' of kernel method '{0}' have element types '{3}' and '{4}': declare every span of the kernel with one element type, float or double{5}");

    public static readonly DiagnosticDescriptor BadTargets = Error("KG0020",
        "Cross-entropy targets must be ReadOnlySpan<int>",
        "Parameter '{1}' of kernel method '{0}' holds the targets but is declared '{2}': declare it 'ReadOnlySpan<int> {1}', one class index per row (or IgnoreIndex)");

    public static readonly DiagnosticDescriptor CrossEntropyShape = Error("KG0021",
        "Cross-entropy shape must be (rows, classes)",
        "{0}");

    public static readonly DiagnosticDescriptor MaskedRowsWithoutGradient = Error("KG0022",
        "MaskedRows applies to the cross-entropy's gradient",
        "MaskedRows = Zero decides the gradient of a row whose every logit is -inf, but kernel method '{0}' writes no gradient (such a row's loss is +inf either way): remove MaskedRows, or add a 'Span<{1}> logitsGradient' parameter");
}
