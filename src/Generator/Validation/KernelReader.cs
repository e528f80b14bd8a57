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
/// Reads a kernel method ([Softmax], [LogSoftmax], [SoftmaxGradient], [LogSoftmaxGradient], [SoftmaxCrossEntropy]) into a <see cref="KernelModel"/> and checks it. The generator
/// and the analyzer both call this, so what is reported and what is generated can never disagree.
/// </summary>
internal static class KernelReader
{
    public const string SoftmaxAttributeName = "KernelGen.SoftmaxAttribute";
    public const string LogSoftmaxAttributeName = "KernelGen.LogSoftmaxAttribute";
    public const string SoftmaxGradientAttributeName = "KernelGen.SoftmaxGradientAttribute";
    public const string LogSoftmaxGradientAttributeName = "KernelGen.LogSoftmaxGradientAttribute";
    public const string SoftmaxCrossEntropyAttributeName = "KernelGen.SoftmaxCrossEntropyAttribute";

    /// <summary>
    /// The kernel attributes, in the order that decides which one answers for a method carrying several (KG0014): the
    /// first of them written on it. [SoftmaxCrossEntropy] is read as <see cref="KernelOperation.CrossEntropy"/> and
    /// becomes <see cref="KernelOperation.CrossEntropyWithGradient"/> when the signature has the gradient.
    /// </summary>
    private static readonly (string MetadataName, KernelOperation Operation)[] KernelAttributes =
    [
        (SoftmaxAttributeName, KernelOperation.Softmax),
        (LogSoftmaxAttributeName, KernelOperation.LogSoftmax),
        (SoftmaxGradientAttributeName, KernelOperation.SoftmaxGradient),
        (LogSoftmaxGradientAttributeName, KernelOperation.LogSoftmaxGradient),
        (SoftmaxCrossEntropyAttributeName, KernelOperation.CrossEntropy),
    ];

    /// <summary>The attribute's name as written in C#, for messages: "Softmax", "SoftmaxCrossEntropy".</summary>
    public static string AttributeText(KernelOperation operation) => operation switch
    {
        KernelOperation.Softmax => "Softmax",
        KernelOperation.LogSoftmax => "LogSoftmax",
        KernelOperation.SoftmaxGradient => "SoftmaxGradient",
        KernelOperation.LogSoftmaxGradient => "LogSoftmaxGradient",
        _ => "SoftmaxCrossEntropy",
    };

    private static int Rank(KernelOperation operation) => operation == KernelOperation.CrossEntropyWithGradient ? 4 : (int)operation;

    /// <summary>
    /// The kernel attribute written on this declaration, as the generator's pipeline finds it (a method with several is
    /// read for the first of <see cref="KernelAttributes"/>, which reports KG0014); null when it has none.
    /// </summary>
    public static AttributeData? FindKernelAttribute(IMethodSymbol method, MethodDeclarationSyntax syntax, out KernelOperation operation)
    {
        AttributeData? found = null;
        operation = KernelOperation.Softmax;
        foreach (AttributeData attribute in method.GetAttributes())
        {
            if (attribute.ApplicationSyntaxReference is not { } reference
                || reference.SyntaxTree != syntax.SyntaxTree
                || !syntax.Span.Contains(reference.Span))
            {
                continue; // Written on another part of a partial method: that declaration answers for it.
            }
            foreach ((string name, KernelOperation kind) in KernelAttributes)
            {
                if (IsAttribute(attribute, name) && (found is null || Rank(kind) < Rank(operation)))
                {
                    found = attribute;
                    operation = kind;
                }
            }
        }
        return found is not null && IsReadFor(method, operation) ? found : null;
    }

    /// <summary>
    /// Whether a method is read for this attribute: one with several kernel attributes is one error (KG0014), answered
    /// for by the first of them in <see cref="KernelAttributes"/> alone.
    /// </summary>
    public static bool IsReadFor(IMethodSymbol method, KernelOperation operation)
    {
        foreach ((string name, KernelOperation kind) in KernelAttributes)
        {
            if (Rank(kind) >= Rank(operation)) return true;
            if (HasAttribute(method, name)) return false;
        }
        return true;
    }

    // The first kernel attribute on the method other than the one being read, for KG0014; null when there is none.
    private static string? OtherKernelAttribute(IMethodSymbol method, KernelOperation operation)
    {
        foreach ((string name, KernelOperation kind) in KernelAttributes)
        {
            if (Rank(kind) != Rank(operation) && HasAttribute(method, name)) return AttributeText(kind);
        }
        return null;
    }

    /// <summary>
    /// Reads and checks a kernel. The generator passes the <paramref name="semanticModel"/>, to learn whether an
    /// implementation can be written (<see cref="KernelModel.Target"/>); the analyzer needs only the problems.
    /// </summary>
    public static KernelReading Read(IMethodSymbol method, MethodDeclarationSyntax syntax, AttributeData attribute, KernelOperation operation, SemanticModel? semanticModel, CancellationToken cancellationToken)
    {
        var problems = ImmutableArray.CreateBuilder<KernelProblem>();
        string name = method.Name;
        bool canImplement = CheckDeclaration(method, syntax, problems, cancellationToken);
        ElementKind element;
        bool inPlace;
        ParameterKind parameterKind;
        KernelForm form;
        bool isKernelSignature;
        if (operation is KernelOperation.Softmax or KernelOperation.LogSoftmax)
        {
            isKernelSignature = CheckParameters(method, problems, out element, out inPlace, out parameterKind);
            form = KernelForm.Softmax;
        }
        else
        {
            isKernelSignature = TrainingSignatures.Check(method, operation, problems, out element, out form, out parameterKind);
            inPlace = false;
            if (form == KernelForm.LossAndGradient) operation = KernelOperation.CrossEntropyWithGradient;
        }
        cancellationToken.ThrowIfCancellationRequested();

        KernelSpec? spec = null;
        bool attributeReadable = TryReadAttribute(attribute, out EquatableArray<int> shape, out int axis, out KernelOptions options);
        if (attributeReadable)
        {
            if (CheckShape(shape, axis, problems) && CheckCrossEntropyShape(shape, operation, problems)) CheckOptions(shape, axis, options, operation, problems);
            if (operation == KernelOperation.CrossEntropy && options.ZeroMaskedRows && isKernelSignature)
            {
                problems.Add(new KernelProblem(KernelDiagnostics.MaskedRowsWithoutGradient, ProblemSite.Attribute, [name, element == ElementKind.Float ? "float" : "double"]));
            }
            if (OtherKernelAttribute(method, operation) is { } other)
            {
                problems.Add(new KernelProblem(KernelDiagnostics.BothAttributes, ProblemSite.Attribute, [name, AttributeText(operation), other]));
            }
            if (problems.Count == 0 && isKernelSignature)
            {
                spec = new KernelSpec(operation, element, inPlace, shape, axis, options, parameterKind);
            }
        }

        // The element type when the declaration is exactly a kernel's (parameters, void, not generic); else null.
        ElementKind? kernelElement = isKernelSignature && method.ReturnsVoid && method.TypeParameters.IsEmpty ? element : null;
        KernelTarget? target = semanticModel is not null && canImplement && CanDeclareImplementation(method, syntax, kernelElement is not null, semanticModel, cancellationToken)
            ? ReadTarget(method, syntax, kernelElement, inPlace, parameterKind, form)
            : null;
        string? problem = spec is not null ? null
            : problems.Count > 0 ? problems[0].Message
            : attributeReadable ? "The kernel's declaration does not compile: see the compiler's errors on it"
            : "The kernel's attribute arguments are not constants the generator can read: see the compiler's error on the attribute";
        return new KernelReading(new KernelModel(target, spec, problem), problems.ToImmutable());
    }

    public static bool HasAttribute(IMethodSymbol method, string metadataName)
    {
        foreach (AttributeData attribute in method.GetAttributes())
        {
            if (IsAttribute(attribute, metadataName)) return true;
        }
        return false;
    }

    // "KernelGen.SoftmaxAttribute": a top-level type of that name in namespace KernelGen (cheaper than ToDisplayString).
    private static bool IsAttribute(AttributeData attribute, string metadataName) =>
        attribute.AttributeClass is { ContainingType: null, ContainingNamespace: { Name: "KernelGen", ContainingNamespace.IsGlobalNamespace: true } } type
        && metadataName.Length == type.Name.Length + 10
        && metadataName.EndsWith(type.Name, System.StringComparison.Ordinal);

    // The declaration itself: accessibility, partial, body, containing types, generics, return type, async/extern.
    // Returns whether an implementing declaration can legally be emitted for it (one that throws, for a generic
    // or non-void method: its signature is copied exactly).
    private static bool CheckDeclaration(IMethodSymbol method, MethodDeclarationSyntax syntax, ImmutableArray<KernelProblem>.Builder problems, CancellationToken cancellationToken)
    {
        string name = method.Name;
        bool canImplement = true;
        SyntaxTokenList modifiers = syntax.Modifiers;
        if (!HasAccessibility(syntax))
        {
            problems.Add(new KernelProblem(KernelDiagnostics.MissingAccessibility, ProblemSite.MethodName, [name]));
        }
        if (!modifiers.Any(SyntaxKind.PartialKeyword))
        {
            problems.Add(new KernelProblem(KernelDiagnostics.NotPartial, ProblemSite.MethodName, [name]));
            canImplement = false;
        }
        else if (syntax.Body is not null || syntax.ExpressionBody is not null
            || (method.PartialImplementationPart is { } implementation && !IsWrittenByKernelGen(implementation, cancellationToken)))
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
        }
        if (!method.ReturnsVoid)
        {
            problems.Add(new KernelProblem(KernelDiagnostics.NotVoid, ProblemSite.MethodName, [name, method.ReturnType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)]));
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
    // Returns whether the signature is a kernel's, and then its element type and whether it works in place.
    private static bool CheckParameters(IMethodSymbol method, ImmutableArray<KernelProblem>.Builder problems, out ElementKind element, out bool inPlace, out ParameterKind kind)
    {
        element = ElementKind.Float;
        kind = ParameterKind.Spans;
        string name = method.Name;
        ImmutableArray<IParameterSymbol> parameters = method.Parameters;
        inPlace = parameters.Length == 1;
        if (AnyHasErrors(parameters))
        {
            return false; // The compiler reports the unknown type; a second error about the parameters would only confuse.
        }
        bool ok = true;
        foreach (IParameterSymbol parameter in parameters)
        {
            string? modifier = ParameterModifier(parameter);
            if (modifier is not null)
            {
                problems.Add(new KernelProblem(KernelDiagnostics.ParameterModifier, ProblemSite.MethodName, [parameter.Name, name, modifier.TrimEnd()]));
                ok = false;
            }
        }

        kind = parameters.Length > 0 && IsTensorSpan(parameters[0].Type, readOnly: parameters.Length == 2, out _) ? ParameterKind.TensorSpans : ParameterKind.Spans;
        bool shapeOk = parameters.Length switch
        {
            1 => IsSpanOf(kind, parameters[0].Type, readOnly: false, out _),
            2 => IsSpanOf(kind, parameters[0].Type, readOnly: true, out _) && IsSpanOf(kind, parameters[1].Type, readOnly: false, out _),
            _ => false,
        };
        if (!shapeOk)
        {
            string list = string.Join(", ", parameters.Select(p => p.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
            problems.Add(new KernelProblem(KernelDiagnostics.BadParameters, ProblemSite.MethodName, [name, list]));
            return false;
        }

        IsSpanOf(kind, parameters[0].Type, readOnly: !inPlace, out ITypeSymbol first);
        ITypeSymbol last = first;
        if (!inPlace) IsSpanOf(kind, parameters[1].Type, readOnly: false, out last);
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

    // "ref ", "out ", "in ", "ref readonly ", "params " or null: the modifiers a kernel parameter cannot have.
    internal static string? ParameterModifier(IParameterSymbol parameter) =>
        parameter.IsParams ? "params " : parameter.RefKind switch
        {
            RefKind.Ref => "ref ",
            RefKind.Out => "out ",
            RefKind.In => "in ",
            RefKind.RefReadOnlyParameter => "ref readonly ",
            _ => null,
        };

    internal static bool IsSpanOf(ParameterKind kind, ITypeSymbol type, bool readOnly, out ITypeSymbol element) =>
        kind == ParameterKind.TensorSpans ? IsTensorSpan(type, readOnly, out element) : IsSpan(type, readOnly, out element);

    // System.Numerics.Tensors.ReadOnlyTensorSpan<T> / TensorSpan<T> (the System.Numerics.Tensors package).
    internal static bool IsTensorSpan(ITypeSymbol type, bool readOnly, out ITypeSymbol element)
    {
        element = type;
        if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
            && named.ContainingNamespace is { Name: "Tensors", ContainingNamespace: { Name: "Numerics", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } }
            && named.Name == (readOnly ? "ReadOnlyTensorSpan" : "TensorSpan"))
        {
            element = named.TypeArguments[0];
            return true;
        }
        return false;
    }

    internal static bool IsSpan(ITypeSymbol type, bool readOnly, out ITypeSymbol element)
    {
        element = type;
        if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
            && named.ContainingNamespace is { Name: "System", ContainingNamespace.IsGlobalNamespace: true }
            && named.Name == (readOnly ? "ReadOnlySpan" : "Span"))
        {
            element = named.TypeArguments[0];
            return true;
        }
        return false;
    }

    // Reads Shape (constructor, params int[]) and Axis (named). False when the compiler could not bind
    // them to constants: it reports that itself, and the generator adds nothing.
    private static bool TryReadAttribute(AttributeData attribute, out EquatableArray<int> shape, out int axis, out KernelOptions options)
    {
        shape = EquatableArray<int>.Empty;
        axis = -1;
        options = KernelOptions.Default;
        if (attribute.AttributeClass is null or IErrorTypeSymbol || attribute.ConstructorArguments.Length != 1)
        {
            return false;
        }
        TypedConstant shapeArgument = attribute.ConstructorArguments[0];
        if (shapeArgument.Kind != TypedConstantKind.Array)
        {
            return false;
        }
        ImmutableArray<TypedConstant> values = shapeArgument.IsNull ? ImmutableArray<TypedConstant>.Empty : shapeArgument.Values;
        var dims = ImmutableArray.CreateBuilder<int>(values.Length);
        foreach (TypedConstant dim in values)
        {
            if (dim.Kind != TypedConstantKind.Primitive || dim.Value is not int value) return false;
            dims.Add(value);
        }
        foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
        {
            object? value = named.Value.Value;
            switch (named.Key)
            {
                case "Axis" when value is int a:
                    axis = a;
                    break;
                case "Scale" when value is float f:
                    options = options with { Scale = f };
                    break;
                case "Causal" when value is bool b:
                    options = options with { Causal = b };
                    break;
                case "MaskedRows" when value is int policy:
                    options = options with { ZeroMaskedRows = policy == 1 };
                    break;
                case "Parallel" when value is bool b:
                    options = options with { Parallel = b };
                    break;
                case "IgnoreIndex" when value is int ignore:
                    options = options with { IgnoreIndex = ignore };
                    break;
                case "Axis" or "Scale" or "Causal" or "MaskedRows" or "Parallel" or "IgnoreIndex":
                    return false; // not a constant the compiler could bind: it reports that itself
            }
        }
        shape = new EquatableArray<int>(dims.MoveToImmutable());
        return true;
    }

    private static bool CheckShape(EquatableArray<int> shape, int axis, ImmutableArray<KernelProblem>.Builder problems)
    {
        ShapeProblem problem = ShapeMath.Analyze(shape, axis, allowDynamicLeading: true, out _, out int index);
        if (problem == ShapeProblem.None) return true;
        string message = ShapeMath.Describe(problem, ShapeMath.Format(shape), shape.Count, axis, index, index >= 0 ? shape[index] : 0);
        DiagnosticDescriptor descriptor = problem == ShapeProblem.AxisOutOfRange ? KernelDiagnostics.AxisOutOfRange : KernelDiagnostics.InvalidShape;
        problems.Add(new KernelProblem(descriptor, ProblemSite.Attribute, [message]));
        return false;
    }

    // [SoftmaxCrossEntropy]'s shape is (rows, classes), against a shape otherwise valid.
    private static bool CheckCrossEntropyShape(EquatableArray<int> shape, KernelOperation operation, ImmutableArray<KernelProblem>.Builder problems)
    {
        if (operation is not (KernelOperation.CrossEntropy or KernelOperation.CrossEntropyWithGradient) || shape.Count == 2) return true;
        string shapeText = ShapeMath.Format(shape);
        string why = shape.Count == 1
            ? $"[SoftmaxCrossEntropy] takes the shape (rows, classes), but {shapeText} gives the classes alone: for one row write [SoftmaxCrossEntropy(1, {shape[0]})], for any number [SoftmaxCrossEntropy(-1, {shape[0]})]"
            : $"[SoftmaxCrossEntropy] takes the shape (rows, classes), but {shapeText} has rank {shape.Count}: flatten the dimensions before the classes into the rows, e.g. [SoftmaxCrossEntropy(-1, {shape[shape.Count - 1]})] (the rows are the batch times the tokens)";
        problems.Add(new KernelProblem(KernelDiagnostics.CrossEntropyShape, ProblemSite.Attribute, [why]));
        return false;
    }

    // Scale, Causal and Parallel against a valid shape and axis.
    private static void CheckOptions(EquatableArray<int> shape, int axis, KernelOptions options, KernelOperation operation, ImmutableArray<KernelProblem>.Builder problems)
    {
        string shapeText = options.Causal || options.Parallel ? ShapeMath.Format(shape) : ""; // for the messages
        int rank = shape.Count;
        ShapeMath.TryNormalizeAxis(axis, rank, out int normalized);
        bool dynamic = shape[0] == ShapeMath.DynamicDimension;
        if (float.IsNaN(options.Scale) || float.IsInfinity(options.Scale) || options.Scale < 0)
        {
            problems.Add(new KernelProblem(KernelDiagnostics.InvalidScale, ProblemSite.Attribute,
                [options.Scale.ToString("R", System.Globalization.CultureInfo.InvariantCulture)]));
        }
        if (options.Causal)
        {
            string? why = rank < 2 ? $"Causal masks the last two dimensions [..., Q, K], but shape {shapeText} has rank {rank}: give the queries and the keys, e.g. [{AttributeText(operation)}(12, 128, 128, Causal = true)]"
                : normalized != rank - 1 ? $"Causal masks keys along the last axis, but the axis is {axis}: use Axis = -1 with shape {shapeText}"
                : dynamic && rank == 2 ? $"Causal needs the number of queries Q at compile time, but shape {shapeText} leaves it to -1: put the -1 before [Q, K], e.g. [-1, 128, 128]"
                : null;
            if (why is not null) problems.Add(new KernelProblem(KernelDiagnostics.CausalShape, ProblemSite.Attribute, [why]));
        }
        if (options.Parallel)
        {
            string? why = normalized == 0 ? $"Parallel splits the leading dimension across cores, so the softmax axis cannot be the leading one (axis {axis} of {shapeText}): add a leading batch dimension or drop Parallel"
                : options.Causal && rank < 3 ? $"Parallel with Causal splits whole [Q, K] matrices across cores, and shape {shapeText} has only one: add a leading batch or head dimension, e.g. [-1, {shape[rank - 2]}, {shape[rank - 1]}]"
                : null;
            if (why is not null) problems.Add(new KernelProblem(KernelDiagnostics.ParallelAxis, ProblemSite.Attribute, [why]));
        }
    }

    // Whether an implementing declaration written in another file can compile: anything else would add a
    // second, confusing error to the compiler's or KernelGen's own (CS8795 remains only where C# requires it).
    private static bool CanDeclareImplementation(IMethodSymbol method, MethodDeclarationSyntax syntax, bool isKernel, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        if (syntax.Identifier.IsMissing || syntax.ContainsDiagnostics || method.IsVararg || syntax.Parent is not TypeDeclarationSyntax
            || syntax.ExplicitInterfaceSpecifier is not null)
        {
            return false; // Half-typed or misplaced: the compiler's syntax errors say what to fix.
        }
        if (!HasAccessibility(syntax) && !MayOmitAccessibility(method, syntax))
        {
            return false;
        }
        if (IsExtensionDeclaration(syntax)
            && method.ContainingType is not { IsStatic: true, IsGenericType: false, ContainingType: null })
        {
            return false; // CS1106, which the compiler reports on the type, outside the declaration.
        }
        for (INamedTypeSymbol? type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            if (type.IsFileLocal || type.IsImplicitlyDeclared) return false;
        }
        if (HasErrors(method.ReturnType)
            || AnyHasErrorsOrIsPointer(method.Parameters)
            || method.TypeParameters.Any(t => t.ConstraintTypes.Any(HasErrors)))
        {
            return false;
        }
        if (isKernel && IsPlainDeclaration(method, syntax))
        {
            return true;
        }
        // Any error the compiler finds in the declaration itself (duplicate parameter names, a modifier not valid
        // there, ...) would be repeated by a copy of it. Errors in the attribute's arguments do not matter, and
        // CS8795 (no implementation yet) is what the implementation fixes. Asking costs about as much as the rest
        // of the reading, and the generator reads every kernel again after any edit, so the common, plainly
        // valid declaration skips it (the fuzz tests check that a copy of it never fails to compile).
        return !semanticModel.GetDeclarationDiagnostics(syntax.Span, cancellationToken).Any(d =>
            d.Severity == DiagnosticSeverity.Error
            && d.Id != "CS8795"
            && !syntax.AttributeLists.Any(list => list.Span.Contains(d.Location.SourceSpan)));
    }

    // For a kernel's declaration: at most one of public/internal/private plus static, no constraint clause, in a
    // class, struct or record (static if that is), named unlike it and unlike any other member, with distinct
    // parameter names: then nothing in it can fail to compile.
    private static bool IsPlainDeclaration(IMethodSymbol method, MethodDeclarationSyntax syntax)
    {
        int accessibility = 0;
        foreach (SyntaxToken modifier in syntax.Modifiers)
        {
            switch (modifier.Kind())
            {
                case SyntaxKind.PublicKeyword or SyntaxKind.InternalKeyword or SyntaxKind.PrivateKeyword:
                    accessibility++;
                    break;
                case SyntaxKind.StaticKeyword or SyntaxKind.PartialKeyword:
                    break;
                default:
                    return false;
            }
        }
        ImmutableArray<IParameterSymbol> parameters = method.Parameters;
        return accessibility <= 1
            && syntax.ConstraintClauses.Count == 0
            && method.ContainingType is { TypeKind: TypeKind.Class or TypeKind.Struct } type
            && (method.IsStatic || !type.IsStatic)
            && method.Name != type.Name
            && type.GetMembers(method.Name).Length == 1
            && DistinctNames(parameters);
    }

    private static bool DistinctNames(ImmutableArray<IParameterSymbol> parameters)
    {
        for (int i = 1; i < parameters.Length; i++)
        {
            for (int j = 0; j < i; j++)
            {
                if (parameters[i].Name == parameters[j].Name) return false;
            }
        }
        return true;
    }

    private static bool HasAccessibility(MethodDeclarationSyntax syntax)
    {
        foreach (SyntaxToken m in syntax.Modifiers)
        {
            if (m.IsKind(SyntaxKind.PublicKeyword) || m.IsKind(SyntaxKind.InternalKeyword) || m.IsKind(SyntaxKind.PrivateKeyword) || m.IsKind(SyntaxKind.ProtectedKeyword)) return true;
        }
        return false;
    }

    private static bool IsExtensionDeclaration(MethodDeclarationSyntax syntax)
    {
        foreach (ParameterSyntax parameter in syntax.ParameterList.Parameters)
        {
            if (parameter.Modifiers.Any(SyntaxKind.ThisKeyword)) return true;
        }
        return false;
    }

    internal static bool AnyHasErrors(ImmutableArray<IParameterSymbol> parameters)
    {
        foreach (IParameterSymbol p in parameters)
        {
            if (HasErrors(p.Type)) return true;
        }
        return false;
    }

    private static bool AnyHasErrorsOrIsPointer(ImmutableArray<IParameterSymbol> parameters)
    {
        foreach (IParameterSymbol p in parameters)
        {
            if (HasErrors(p.Type) || p.Type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer) return true;
        }
        return false;
    }

    // C# lets a partial method without accessibility only be void, with no out parameter and none of these modifiers
    // (CS8796-CS8798): otherwise the copied implementation would repeat the compiler's error.
    private static bool MayOmitAccessibility(IMethodSymbol method, MethodDeclarationSyntax syntax) =>
        method.ReturnsVoid
        && !method.Parameters.Any(p => p.RefKind == RefKind.Out)
        && !syntax.Modifiers.Any(m => m.IsKind(SyntaxKind.VirtualKeyword) || m.IsKind(SyntaxKind.OverrideKeyword) || m.IsKind(SyntaxKind.SealedKeyword) || m.IsKind(SyntaxKind.NewKeyword) || m.IsKind(SyntaxKind.ExternKeyword));

    private static bool HasErrors(ITypeSymbol type) => type switch
    {
        IErrorTypeSymbol => true,
        IArrayTypeSymbol array => HasErrors(array.ElementType),
        IPointerTypeSymbol pointer => HasErrors(pointer.PointedAtType),
        INamedTypeSymbol named => named.TypeArguments.Any(HasErrors),
        _ => false,
    };

    // Whether a partial method's implementing part is the one KernelGen wrote (the analyzer sees generated code).
    private static bool IsWrittenByKernelGen(IMethodSymbol implementation, CancellationToken cancellationToken) =>
        implementation.DeclaringSyntaxReferences.Any(r => r.GetSyntax(cancellationToken) is MethodDeclarationSyntax declaration
            && declaration.AttributeLists.SelectMany(list => list.Attributes).Any(a =>
                a.Name.ToString().EndsWith("GeneratedCode", System.StringComparison.Ordinal)
                && a.ArgumentList?.Arguments.FirstOrDefault()?.Expression is LiteralExpressionSyntax literal
                && literal.Token.ValueText == Emit.KernelEmitter.GeneratorName));

    private static readonly SymbolDisplayFormat TypeFormat =
        SymbolDisplayFormat.FullyQualifiedFormat.AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    // element is null when the declaration is not a kernel's (parameters, void, not generic): it then only gets a body that throws.
    // A kernel's signature and the file's name are kept as parts and written only when the file is (KernelTarget).
    private static KernelTarget ReadTarget(IMethodSymbol method, MethodDeclarationSyntax syntax, ElementKind? element, bool inPlace, ParameterKind kind, KernelForm form)
    {
        string? ns = null;
        for (INamespaceSymbol? n = method.ContainingNamespace; n is { IsGlobalNamespace: false }; n = n.ContainingNamespace)
        {
            ns = ns is null ? n.Name : n.Name + "." + ns;
        }
        INamedTypeSymbol containing = method.ContainingType;
        ImmutableArray<ContainingType> types;
        if (containing.ContainingType is null)
        {
            types = ImmutableArray.Create(Containing(containing));
        }
        else
        {
            var builder = ImmutableArray.CreateBuilder<ContainingType>();
            for (INamedTypeSymbol? type = containing; type is not null; type = type.ContainingType) builder.Insert(0, Containing(type));
            types = builder.ToImmutable();
        }
        string modifiers = Modifiers(syntax);
        ImmutableArray<IParameterSymbol> p = method.Parameters;
        if (element is { } e)
        {
            KernelParameterPrefixes prefixes = method.IsExtensionMethod ? KernelParameterPrefixes.This : 0;
            for (int i = 0; i < p.Length; i++)
            {
                if (IsDeclaredScoped(p[i], syntax)) prefixes |= (KernelParameterPrefixes)((int)KernelParameterPrefixes.FirstScoped << i);
            }
            ImmutableArray<string> names = p.Length switch
            {
                1 => ImmutableArray.Create(Identifier(p[0].Name)),
                2 => ImmutableArray.Create(Identifier(p[0].Name), Identifier(p[1].Name)),
                _ => p.Select(x => Identifier(x.Name)).ToImmutableArray(),
            };
            return new KernelTarget(ns, new EquatableArray<ContainingType>(types), modifiers, method.Name, e, inPlace, kind, prefixes, null, new EquatableArray<string>(names), form);
        }
        return new KernelTarget(ns, new EquatableArray<ContainingType>(types), modifiers, method.Name, null, false, ParameterKind.Spans, KernelParameterPrefixes.None,
            Signature(method), p.Select(x => Identifier(x.Name)).ToEquatableArray());
    }

    private static ContainingType Containing(INamedTypeSymbol type)
    {
        string declaration = type.IsRecord
            ? (type.TypeKind == TypeKind.Struct ? "partial record struct" : "partial record")
            : type.TypeKind switch
            {
                TypeKind.Struct => "partial struct",
                TypeKind.Interface => "partial interface",
                _ => "partial class",
            };
        if (type.IsRefLikeType) declaration = "ref " + declaration;
        string typeParameters = type.TypeParameters.Length == 0 ? "" : "<" + string.Join(", ", type.TypeParameters.Select(t => Identifier(t.Name))) + ">";
        return new ContainingType(declaration, Identifier(type.Name), typeParameters, type.Arity > 0 ? type.Name + "`" + type.Arity : type.Name);
    }

    // The declaration's modifiers but partial, as written: "public static" (common pairs without a new string).
    private static string Modifiers(MethodDeclarationSyntax syntax)
    {
        string? first = null, second = null;
        int count = 0;
        foreach (SyntaxToken modifier in syntax.Modifiers)
        {
            if (modifier.IsKind(SyntaxKind.PartialKeyword)) continue;
            if (++count == 1) first = modifier.ValueText;
            else if (count == 2) second = modifier.ValueText;
        }
        return count switch
        {
            0 => "",
            1 => first!,
            2 => (first, second) switch
            {
                ("public", "static") => "public static",
                ("internal", "static") => "internal static",
                ("private", "static") => "private static",
                _ => first + " " + second,
            },
            _ => string.Join(" ", syntax.Modifiers.Where(m => !m.IsKind(SyntaxKind.PartialKeyword)).Select(m => m.ValueText)),
        };
    }

    // The declaration after its modifiers, exact enough for an implementing part: "void M<T>(global::System.Span<T> d) where T : struct".
    private static string Signature(IMethodSymbol method)
    {
        var text = new StringBuilder();
        text.Append(method.RefKind switch { RefKind.Ref => "ref ", RefKind.RefReadOnly => "ref readonly ", _ => "" });
        text.Append(method.ReturnType.ToDisplayString(TypeFormat)).Append(' ').Append(Identifier(method.Name));
        if (method.TypeParameters.Length > 0)
        {
            text.Append('<').Append(string.Join(", ", method.TypeParameters.Select(t => Identifier(t.Name)))).Append('>');
        }
        text.Append('(').Append(string.Join(", ", method.Parameters.Select(Parameter))).Append(')');
        foreach (ITypeParameterSymbol t in method.TypeParameters)
        {
            var constraints = new List<string>();
            if (t.HasReferenceTypeConstraint) constraints.Add(t.ReferenceTypeConstraintNullableAnnotation == NullableAnnotation.Annotated ? "class?" : "class");
            else if (t.HasUnmanagedTypeConstraint) constraints.Add("unmanaged");
            else if (t.HasValueTypeConstraint) constraints.Add("struct");
            else if (t.HasNotNullConstraint) constraints.Add("notnull");
            constraints.AddRange(t.ConstraintTypes.Select(c => c.ToDisplayString(TypeFormat)));
            if (t.HasConstructorConstraint) constraints.Add("new()");
            if (t.AllowsRefLikeType) constraints.Add("allows ref struct");
            if (constraints.Count > 0) text.Append(" where ").Append(Identifier(t.Name)).Append(" : ").Append(string.Join(", ", constraints));
        }
        return text.ToString();
    }

    private static string Parameter(IParameterSymbol p)
    {
        string prefix = (p.Ordinal == 0 && p.ContainingSymbol is IMethodSymbol { IsExtensionMethod: true } ? "this " : "")
            + (IsDeclaredScoped(p) ? "scoped " : ""); // Not ScopedKind: params spans and out parameters are scoped implicitly.
        return prefix + ParameterModifier(p) + p.Type.ToDisplayString(TypeFormat) + " " + Identifier(p.Name);
    }

    private static bool IsDeclaredScoped(IParameterSymbol p) =>
        p.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is ParameterSyntax syntax && syntax.Modifiers.Any(SyntaxKind.ScopedKeyword));

    // The same, for a parameter of the declaration being read: its syntax is at hand (no DeclaringSyntaxReferences).
    private static bool IsDeclaredScoped(IParameterSymbol p, MethodDeclarationSyntax declaration)
    {
        SeparatedSyntaxList<ParameterSyntax> parameters = declaration.ParameterList.Parameters;
        return parameters.Count == ((IMethodSymbol)p.ContainingSymbol).Parameters.Length
            ? parameters[p.Ordinal].Modifiers.Any(SyntaxKind.ScopedKeyword)
            : IsDeclaredScoped(p);
    }

    private static string Identifier(string name) =>
        SyntaxFacts.IsReservedKeyword(SyntaxFacts.GetKeywordKind(name)) ? "@" + name : name;
}
