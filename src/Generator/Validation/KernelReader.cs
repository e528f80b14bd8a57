using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using KernelGen.Generator.Model;
using KernelGen.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KernelGen.Generator.Validation;

/// <summary>Where a problem is reported: on the attribute, or on the method's name.</summary>
internal enum ProblemSite
{
    Attribute,
    MethodName,
}

/// <summary>One misuse found in a kernel declaration.</summary>
internal sealed record KernelProblem(DiagnosticDescriptor Descriptor, ProblemSite Site, object[] Arguments)
{
    public string Message => string.Format(System.Globalization.CultureInfo.InvariantCulture, Descriptor.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture), Arguments);
}

/// <summary>The model of a kernel and the problems found reading it.</summary>
internal sealed record KernelReading(KernelModel Model, ImmutableArray<KernelProblem> Problems);

/// <summary>
/// Reads a [Softmax]/[LogSoftmax] method into a <see cref="KernelModel"/> and checks it. The generator
/// and the analyzer both call this, so what is reported and what is generated can never disagree.
/// </summary>
internal static class KernelReader
{
    public const string SoftmaxAttributeName = "KernelGen.SoftmaxAttribute";
    public const string LogSoftmaxAttributeName = "KernelGen.LogSoftmaxAttribute";

    public static KernelReading Read(IMethodSymbol method, MethodDeclarationSyntax syntax, AttributeData attribute, KernelOperation operation, CancellationToken cancellationToken)
    {
        var problems = ImmutableArray.CreateBuilder<KernelProblem>();
        string name = method.Name;
        bool canImplement = CheckDeclaration(method, syntax, problems);
        ElementKind element = ElementKind.Float;
        bool inPlace = false;
        canImplement &= CheckParameters(method, problems, ref element, ref inPlace);
        cancellationToken.ThrowIfCancellationRequested();

        KernelSpec? spec = null;
        bool attributeReadable = TryReadAttribute(attribute, out EquatableArray<int> shape, out int axis);
        if (attributeReadable)
        {
            CheckShape(shape, axis, problems);
            if (operation == KernelOperation.Softmax && HasAttribute(method, LogSoftmaxAttributeName))
            {
                problems.Add(new KernelProblem(KernelDiagnostics.BothAttributes, ProblemSite.Attribute, [name]));
            }
            if (problems.Count == 0)
            {
                spec = new KernelSpec(operation, element, inPlace, shape, axis);
            }
        }

        KernelTarget? target = canImplement ? ReadTarget(method, syntax, element) : null;
        string? problem = spec is not null ? null
            : problems.Count > 0 ? problems[0].Message
            : "The kernel's attribute arguments are not constants the generator can read: see the compiler's error on the attribute";
        return new KernelReading(new KernelModel(target, spec, problem), problems.ToImmutable());
    }

    public static bool HasAttribute(IMethodSymbol method, string metadataName) =>
        method.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == metadataName);

    // The declaration itself: accessibility, partial, body, containing types, generics, return type, async/extern.
    // Returns whether an implementing declaration can legally be emitted for it.
    private static bool CheckDeclaration(IMethodSymbol method, MethodDeclarationSyntax syntax, ImmutableArray<KernelProblem>.Builder problems)
    {
        string name = method.Name;
        bool canImplement = true;
        SyntaxTokenList modifiers = syntax.Modifiers;
        if (!modifiers.Any(m => m.IsKind(SyntaxKind.PublicKeyword) || m.IsKind(SyntaxKind.InternalKeyword) || m.IsKind(SyntaxKind.PrivateKeyword) || m.IsKind(SyntaxKind.ProtectedKeyword)))
        {
            problems.Add(new KernelProblem(KernelDiagnostics.MissingAccessibility, ProblemSite.MethodName, [name]));
        }
        if (!modifiers.Any(SyntaxKind.PartialKeyword))
        {
            problems.Add(new KernelProblem(KernelDiagnostics.NotPartial, ProblemSite.MethodName, [name]));
            canImplement = false;
        }
        else if (syntax.Body is not null || syntax.ExpressionBody is not null)
        {
            problems.Add(new KernelProblem(KernelDiagnostics.HasBody, ProblemSite.MethodName, [name]));
            canImplement = false;
        }
        for (SyntaxNode? node = syntax.Parent; node is not null; node = node.Parent)
        {
            if (node is TypeDeclarationSyntax type && !type.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                problems.Add(new KernelProblem(KernelDiagnostics.ContainingTypeNotPartial, ProblemSite.MethodName, [type.Identifier.ValueText, name]));
                canImplement = false;
            }
        }
        if (method.TypeParameters.Length > 0)
        {
            problems.Add(new KernelProblem(KernelDiagnostics.GenericMethod, ProblemSite.MethodName, [name]));
            canImplement = false;
        }
        if (!method.ReturnsVoid)
        {
            problems.Add(new KernelProblem(KernelDiagnostics.NotVoid, ProblemSite.MethodName, [name, method.ReturnType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)]));
            canImplement = false;
        }
        foreach (SyntaxToken modifier in modifiers)
        {
            if (modifier.IsKind(SyntaxKind.AsyncKeyword) || modifier.IsKind(SyntaxKind.ExternKeyword))
            {
                problems.Add(new KernelProblem(KernelDiagnostics.AsyncOrExtern, ProblemSite.MethodName, [name, modifier.ValueText]));
                canImplement = false;
            }
        }
        return canImplement;
    }

    // (ReadOnlySpan<T> input, Span<T> output) or (Span<T> data), T float or double, no ref/out/in/params.
    private static bool CheckParameters(IMethodSymbol method, ImmutableArray<KernelProblem>.Builder problems, ref ElementKind element, ref bool inPlace)
    {
        string name = method.Name;
        ImmutableArray<IParameterSymbol> parameters = method.Parameters;
        bool ok = true;
        foreach (IParameterSymbol parameter in parameters)
        {
            string? modifier = parameter.IsParams ? "params" : parameter.RefKind switch
            {
                RefKind.Ref => "ref",
                RefKind.Out => "out",
                RefKind.In => "in",
                RefKind.RefReadOnlyParameter => "ref readonly",
                _ => null,
            };
            if (modifier is not null)
            {
                problems.Add(new KernelProblem(KernelDiagnostics.ParameterModifier, ProblemSite.MethodName, [parameter.Name, name, modifier]));
                ok = false;
            }
        }

        bool shapeOk = parameters.Length switch
        {
            1 => IsSpan(parameters[0].Type, readOnly: false, out _),
            2 => IsSpan(parameters[0].Type, readOnly: true, out _) && IsSpan(parameters[1].Type, readOnly: false, out _),
            _ => false,
        };
        if (!shapeOk)
        {
            string list = string.Join(", ", parameters.Select(p => p.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
            problems.Add(new KernelProblem(KernelDiagnostics.BadParameters, ProblemSite.MethodName, [name, list]));
            return false;
        }

        inPlace = parameters.Length == 1;
        IsSpan(parameters[0].Type, readOnly: !inPlace, out ITypeSymbol first);
        ITypeSymbol last = first;
        if (!inPlace) IsSpan(parameters[1].Type, readOnly: false, out last);
        string Display(ITypeSymbol t) => t.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
        if (!SymbolEqualityComparer.Default.Equals(first, last))
        {
            problems.Add(new KernelProblem(KernelDiagnostics.MixedElementTypes, ProblemSite.MethodName, [name, Display(first), Display(last)]));
            return false;
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
                problems.Add(new KernelProblem(KernelDiagnostics.UnsupportedElementType, ProblemSite.MethodName, [name, Display(first)]));
                return false;
        }
        return ok;
    }

    private static bool IsSpan(ITypeSymbol type, bool readOnly, out ITypeSymbol element)
    {
        element = type;
        if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
            && named.ContainingNamespace is { Name: "System", ContainingNamespace.IsGlobalNamespace: true }
            && named.MetadataName == (readOnly ? "ReadOnlySpan`1" : "Span`1"))
        {
            element = named.TypeArguments[0];
            return true;
        }
        return false;
    }

    // Reads Shape (constructor, params int[]) and Axis (named). False when the compiler could not bind
    // them to constants: it reports that itself, and the generator adds nothing.
    private static bool TryReadAttribute(AttributeData attribute, out EquatableArray<int> shape, out int axis)
    {
        shape = EquatableArray<int>.Empty;
        axis = -1;
        if (attribute.AttributeClass is null or IErrorTypeSymbol || attribute.ConstructorArguments.Length != 1)
        {
            return false;
        }
        TypedConstant shapeArgument = attribute.ConstructorArguments[0];
        if (shapeArgument.Kind != TypedConstantKind.Array)
        {
            return false;
        }
        var dims = new List<int>();
        if (!shapeArgument.IsNull)
        {
            foreach (TypedConstant dim in shapeArgument.Values)
            {
                if (dim.Kind != TypedConstantKind.Primitive || dim.Value is not int value) return false;
                dims.Add(value);
            }
        }
        foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
        {
            if (named.Key == "Axis")
            {
                if (named.Value.Value is not int value) return false;
                axis = value;
            }
        }
        shape = dims.ToEquatableArray();
        return true;
    }

    private static void CheckShape(EquatableArray<int> shape, int axis, ImmutableArray<KernelProblem>.Builder problems)
    {
        ShapeProblem problem = ShapeMath.Analyze(shape, axis, allowDynamicLeading: false, out _, out int index);
        if (problem == ShapeProblem.None) return;
        string message = ShapeMath.Describe(problem, ShapeMath.Format(shape), shape.Count, axis, index, index >= 0 ? shape[index] : 0);
        DiagnosticDescriptor descriptor = problem == ShapeProblem.AxisOutOfRange ? KernelDiagnostics.AxisOutOfRange : KernelDiagnostics.InvalidShape;
        problems.Add(new KernelProblem(descriptor, ProblemSite.Attribute, [message]));
    }

    private static KernelTarget ReadTarget(IMethodSymbol method, MethodDeclarationSyntax syntax, ElementKind element)
    {
        string? ns = method.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;
        var types = new List<ContainingType>();
        for (INamedTypeSymbol? type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            string keyword = type.IsRecord
                ? (type.TypeKind == TypeKind.Struct ? "record struct" : "record")
                : type.TypeKind switch
                {
                    TypeKind.Struct => "struct",
                    TypeKind.Interface => "interface",
                    _ => "class",
                };
            string declaration = (type.IsRefLikeType ? "ref " : "") + "partial " + keyword;
            string typeParameters = type.TypeParameters.Length == 0 ? "" : "<" + string.Join(", ", type.TypeParameters.Select(t => t.Name)) + ">";
            types.Insert(0, new ContainingType(declaration, type.Name, typeParameters));
        }
        string modifiers = string.Join(" ", syntax.Modifiers.Where(m => !m.IsKind(SyntaxKind.PartialKeyword)).Select(m => m.ValueText));
        var parameters = method.Parameters.Select(p => new KernelParameter(
            (method.IsExtensionMethod && p.Ordinal == 0 ? "this " : "") + (p.ScopedKind == ScopedKind.ScopedValue ? "scoped " : ""),
            p.Name)).ToEquatableArray();
        return new KernelTarget(ns, types.ToEquatableArray(), modifiers, method.Name, parameters, element, HintName(ns, types, method.Name, element, parameters.Count == 1));
    }

    private static string HintName(string? ns, List<ContainingType> types, string method, ElementKind element, bool inPlace)
    {
        var text = new StringBuilder();
        if (ns is not null) text.Append(ns).Append('.');
        foreach (ContainingType type in types)
        {
            text.Append(type.Name);
            if (type.TypeParameters.Length > 0) text.Append('`').Append(type.TypeParameters.Count(c => c == ',') + 1);
            text.Append('.');
        }
        text.Append(method).Append('_').Append(element == ElementKind.Float ? "float" : "double");
        if (inPlace) text.Append("_inplace");
        return text.Append(".g.cs").ToString();
    }
}
