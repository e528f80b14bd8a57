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
/// Where the generated body goes: everything needed to re-declare the partial method, as text.
/// <see cref="Signature"/> is the declaration after the modifiers, with fully qualified types, e.g.
/// <c>void Probs(global::System.ReadOnlySpan&lt;float&gt; x, global::System.Span&lt;float&gt; y)</c>; it is exact
/// for any signature, so that a misdeclared kernel can still get a body that throws.
/// </summary>
internal sealed record KernelTarget(
    string? Namespace,
    EquatableArray<ContainingType> ContainingTypes,
    string Modifiers,
    string MethodName,
    string Signature,
    EquatableArray<string> ParameterNames,
    string HintName);

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
