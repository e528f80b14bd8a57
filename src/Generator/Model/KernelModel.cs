namespace KernelGen.Generator.Model;

/// <summary>Which function a kernel computes.</summary>
internal enum KernelOperation
{
    Softmax,
    LogSoftmax,
}

/// <summary>The element type T of the kernel's spans.</summary>
internal enum ElementKind
{
    Float,
    Double,
}

/// <summary>A containing type, re-declared around the generated part: e.g. ("partial class", "Outer", "&lt;T&gt;", "Outer`1").</summary>
internal sealed record ContainingType(string Declaration, string Name, string TypeParameters, string MetadataName);

/// <summary>
/// Where the generated body goes: everything needed to re-declare the partial method. A kernel's signature is
/// kept as its parts (<see cref="Element"/>, <see cref="InPlace"/>, <see cref="Kind"/>, <see cref="Prefixes"/> and
/// the parameter names), and any other as the text of <see cref="DeclaredSignature"/>; <see cref="Signature"/> and
/// <see cref="HintName"/> are written from them when the file is (the generator reads every kernel again after any
/// edit, and writes only the ones that changed).
/// </summary>
internal sealed record KernelTarget(
    string? Namespace,
    EquatableArray<ContainingType> ContainingTypes,
    string Modifiers,
    string MethodName,
    ElementKind? Element,
    bool InPlace,
    ParameterKind Kind,
    KernelParameterPrefixes Prefixes,
    string? DeclaredSignature,
    EquatableArray<string> ParameterNames)
{
    /// <summary>
    /// The declaration after the modifiers, with fully qualified types, e.g.
    /// <c>void Probs(global::System.ReadOnlySpan&lt;float&gt; x, global::System.Span&lt;float&gt; y)</c>; exact for any
    /// signature, so that a misdeclared kernel can still get a body that throws.
    /// </summary>
    public string Signature => DeclaredSignature ?? KernelSignature();

    /// <summary>The generated file's name: namespace, containing types, method and a suffix telling overloads apart.</summary>
    public string HintName
    {
        get
        {
            var name = new System.Text.StringBuilder();
            if (Namespace is not null) name.Append(Namespace).Append('.');
            for (int i = 0; i < ContainingTypes.Count; i++)
            {
                if (i > 0) name.Append('+');
                name.Append(ContainingTypes[i].MetadataName);
            }
            name.Append('.').Append(MethodName).Append('_');
            if (Element is { } e)
            {
                name.Append(e == ElementKind.Float ? "float" : "double");
                if (Kind == ParameterKind.TensorSpans) name.Append("_tensor");
                if (InPlace) name.Append("_inplace");
            }
            else
            {
                name.Append("sig").Append(Fnv1a(Signature).ToString("x8", System.Globalization.CultureInfo.InvariantCulture));
            }
            return name.Append(".g.cs").ToString();
        }
    }

    private string KernelSignature()
    {
        string e = Element == ElementKind.Float ? "float" : "double";
        string readOnlySpan = Kind == ParameterKind.TensorSpans ? "global::System.Numerics.Tensors.ReadOnlyTensorSpan" : "global::System.ReadOnlySpan";
        string span = Kind == ParameterKind.TensorSpans ? "global::System.Numerics.Tensors.TensorSpan" : "global::System.Span";
        string first = ((Prefixes & KernelParameterPrefixes.This) != 0 ? "this " : "") + ((Prefixes & KernelParameterPrefixes.FirstScoped) != 0 ? "scoped " : "");
        string method = Microsoft.CodeAnalysis.CSharp.SyntaxFacts.IsReservedKeyword(Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(MethodName)) ? "@" + MethodName : MethodName;
        return InPlace
            ? $"void {method}({first}{span}<{e}> {ParameterNames[0]})"
            : $"void {method}({first}{readOnlySpan}<{e}> {ParameterNames[0]}, {((Prefixes & KernelParameterPrefixes.SecondScoped) != 0 ? "scoped " : "")}{span}<{e}> {ParameterNames[1]})";
    }

    private static uint Fnv1a(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text) hash = unchecked((hash ^ c) * 16777619);
        return hash;
    }
}

/// <summary>What a kernel's parameters are declared with beyond their type: <c>this</c> on the first, <c>scoped</c>.</summary>
[System.Flags]
internal enum KernelParameterPrefixes
{
    None = 0,
    This = 1,
    FirstScoped = 2,
    SecondScoped = 4,
}

/// <summary>Whether the kernel takes spans or .NET's tensor spans (<c>ReadOnlyTensorSpan&lt;T&gt;</c>, <c>TensorSpan&lt;T&gt;</c>).</summary>
internal enum ParameterKind
{
    Spans,
    TensorSpans,
}

/// <summary>The attribute's options beyond shape and axis (issue #7), as plain values.</summary>
internal sealed record KernelOptions(float Scale, bool Causal, bool ZeroMaskedRows, bool Parallel)
{
    public static KernelOptions Default { get; } = new(1f, false, false, false);
}

/// <summary>
/// What the kernel computes: the validated attribute and signature, as plain values. A leading dimension of -1
/// in <see cref="Shape"/> means "as many as the span holds".
/// </summary>
internal sealed record KernelSpec(
    KernelOperation Operation,
    ElementKind Element,
    bool InPlace,
    EquatableArray<int> Shape,
    int Axis,
    KernelOptions Options,
    ParameterKind Parameters);

/// <summary>
/// The model of one [Softmax]/[LogSoftmax] method: where it is, and either what to compute
/// (<see cref="Spec"/>) or, for a misdeclared kernel, the reason (<see cref="Problem"/>) for a body
/// that throws. <see cref="Target"/> is null when no implementation can legally be emitted.
/// Holds no symbols, syntax, locations or compilations, so the incremental pipeline can cache it.
/// </summary>
internal sealed record KernelModel(KernelTarget? Target, KernelSpec? Spec, string? Problem);
