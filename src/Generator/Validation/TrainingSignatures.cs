using System.Collections.Immutable;
using System.Linq;
using KernelGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace KernelGen.Generator.Validation;

/// <summary>
/// The parameter lists of the training kernels: [SoftmaxGradient] and [LogSoftmaxGradient] take
/// <c>(ReadOnlySpan&lt;T&gt; y, ReadOnlySpan&lt;T&gt; dy, Span&lt;T&gt; dx)</c> or its tensor-span form; [SoftmaxCrossEntropy]
/// takes <c>(ReadOnlySpan&lt;T&gt; logits, ReadOnlySpan&lt;int&gt; targets, Span&lt;T&gt; losses)</c> and optionally
/// <c>Span&lt;T&gt; logitsGradient</c>. Part of <see cref="KernelReader"/>, which the generator and the analyzer share.
/// </summary>
internal static class TrainingSignatures
{
    private const string GradientSignature =
        "(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx): the {0}'s output, the gradient flowing into it, and the gradient it writes, with T float or double (or the same with ReadOnlyTensorSpan<T> and TensorSpan<T>)";

    private const string CrossEntropySignature =
        "(ReadOnlySpan<T> logits, ReadOnlySpan<int> targets, Span<T> losses) for the losses, or (ReadOnlySpan<T> logits, ReadOnlySpan<int> targets, Span<T> losses, Span<T> logitsGradient) for the losses and the gradient, with T float or double";

    /// <summary>
    /// Checks a training kernel's parameters. Returns whether they are the kernel's, and then its element type,
    /// <paramref name="form"/> (for [SoftmaxCrossEntropy], whether it writes the gradient) and span kind.
    /// </summary>
    public static bool Check(IMethodSymbol method, KernelOperation operation, ImmutableArray<KernelProblem>.Builder problems, out ElementKind element, out KernelForm form, out ParameterKind kind)
    {
        element = ElementKind.Float;
        kind = ParameterKind.Spans;
        bool crossEntropy = operation is KernelOperation.CrossEntropy or KernelOperation.CrossEntropyWithGradient;
        ImmutableArray<IParameterSymbol> p = method.Parameters;
        form = crossEntropy ? (p.Length == 4 ? KernelForm.LossAndGradient : KernelForm.Loss) : KernelForm.Gradient;
        if (KernelReader.AnyHasErrors(p))
        {
            return false; // The compiler reports the unknown type; a second error about the parameters would only confuse.
        }
        bool ok = true;
        foreach (IParameterSymbol parameter in p)
        {
            if (KernelReader.ParameterModifier(parameter) is { } modifier)
            {
                problems.Add(new KernelProblem(KernelDiagnostics.ParameterModifier, ProblemSite.MethodName, [parameter.Name, method.Name, modifier.TrimEnd()]));
                ok = false;
            }
        }

        // The spans of T, in order (the first read-only): the parameters whose element type must be the kernel's.
        IParameterSymbol[] spans;
        if (crossEntropy)
        {
            bool listOk = p.Length is 3 or 4
                && KernelReader.IsSpan(p[0].Type, readOnly: true, out _)
                && KernelReader.IsSpan(p[2].Type, readOnly: false, out _)
                && (p.Length == 3 || KernelReader.IsSpan(p[3].Type, readOnly: false, out _));
            if (!listOk)
            {
                problems.Add(Bad(method, operation, CrossEntropySignature));
                return false;
            }
            if (!KernelReader.IsSpan(p[1].Type, readOnly: true, out ITypeSymbol target) || target.SpecialType != SpecialType.System_Int32)
            {
                problems.Add(new KernelProblem(KernelDiagnostics.BadTargets, ProblemSite.MethodName, [method.Name, p[1].Name, Display(p[1].Type)]));
                return false;
            }
            spans = p.Length == 3 ? [p[0], p[2]] : [p[0], p[2], p[3]];
        }
        else
        {
            kind = p.Length > 0 && KernelReader.IsTensorSpan(p[0].Type, readOnly: true, out _) ? ParameterKind.TensorSpans : ParameterKind.Spans;
            bool listOk = p.Length == 3
                && KernelReader.IsSpanOf(kind, p[0].Type, readOnly: true, out _)
                && KernelReader.IsSpanOf(kind, p[1].Type, readOnly: true, out _)
                && KernelReader.IsSpanOf(kind, p[2].Type, readOnly: false, out _);
            if (!listOk)
            {
                string what = operation == KernelOperation.LogSoftmaxGradient ? "log-softmax" : "softmax";
                problems.Add(Bad(method, operation, string.Format(System.Globalization.CultureInfo.InvariantCulture, GradientSignature, what)));
                return false;
            }
            spans = [p[0], p[1], p[2]];
        }

        ITypeSymbol first = ElementOf(kind, spans[0], readOnly: true);
        for (int i = 1; i < spans.Length; i++)
        {
            IParameterSymbol other = spans[i];
            ITypeSymbol type = ElementOf(kind, other, readOnly: !crossEntropy && i == 1); // dy is read-only too
            if (!SymbolEqualityComparer.Default.Equals(first, type))
            {
                problems.Add(new KernelProblem(KernelDiagnostics.MixedTrainingElementTypes, ProblemSite.MethodName,
                    [method.Name, spans[0].Name, other.Name, Display(first), Display(type), crossEntropy ? " (the targets apart, which are int)" : ""]));
                return false;
            }
        }
        switch (first.SpecialType)
        {
            case SpecialType.System_Single:
                element = ElementKind.Float;
                break;
            case SpecialType.System_Double:
                element = ElementKind.Double;
                break;
            default:
                problems.Add(new KernelProblem(KernelDiagnostics.UnsupportedElementType, ProblemSite.MethodName, [method.Name, Display(first)]));
                return false;
        }
        return ok;
    }

    private static KernelProblem Bad(IMethodSymbol method, KernelOperation operation, string expected)
    {
        string list = string.Join(", ", method.Parameters.Select(p => p.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
        return new KernelProblem(KernelDiagnostics.BadTrainingParameters, ProblemSite.MethodName, [method.Name, list, KernelReader.AttributeText(operation), expected]);
    }

    private static ITypeSymbol ElementOf(ParameterKind kind, IParameterSymbol parameter, bool readOnly)
    {
        KernelReader.IsSpanOf(kind, parameter.Type, readOnly, out ITypeSymbol element);
        return element;
    }

    private static string Display(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
}
