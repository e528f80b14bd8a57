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

/// <summary>A containing type, re-declared around the generated part: e.g. ("partial class", "Outer", "&lt;T&gt;").</summary>
internal sealed record ContainingType(string Declaration, string Name, string TypeParameters);

/// <summary>One parameter of the kernel method as declared: modifiers such as <c>scoped</c> or <c>this</c>, and its name.</summary>
internal sealed record KernelParameter(string Prefix, string Name);

/// <summary>Where the generated body goes: everything needed to re-declare the partial method, as text.</summary>
internal sealed record KernelTarget(
    string? Namespace,
    EquatableArray<ContainingType> ContainingTypes,
    string Modifiers,
    string MethodName,
    EquatableArray<KernelParameter> Parameters,
    ElementKind Element,
    string HintName);

/// <summary>What the kernel computes: the validated attribute and signature, as plain values.</summary>
internal sealed record KernelSpec(
    KernelOperation Operation,
    ElementKind Element,
    bool InPlace,
    EquatableArray<int> Shape,
    int Axis);

/// <summary>
/// The model of one [Softmax]/[LogSoftmax] method: where it is, and either what to compute
/// (<see cref="Spec"/>) or, for a misdeclared kernel, the reason (<see cref="Problem"/>) for a body
/// that throws. <see cref="Target"/> is null when no implementation can legally be emitted.
/// Holds no symbols, syntax, locations or compilations, so the incremental pipeline can cache it.
/// </summary>
internal sealed record KernelModel(KernelTarget? Target, KernelSpec? Spec, string? Problem);
