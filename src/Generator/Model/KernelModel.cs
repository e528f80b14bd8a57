namespace KernelGen.Generator.Model;

/// <summary>Which function a kernel computes.</summary>
internal enum KernelOperation
{
    Softmax,
    LogSoftmax,
    /// <summary>[SoftmaxGradient]: dx = Scale * y * (dy - sum(dy * y)).</summary>
    SoftmaxGradient,
    /// <summary>[LogSoftmaxGradient]: dx = Scale * (dy - exp(y) * sum(dy)).</summary>
    LogSoftmaxGradient,
    /// <summary>[SoftmaxCrossEntropy] declared with losses only.</summary>
    CrossEntropy,
    /// <summary>[SoftmaxCrossEntropy] declared with losses and the logits' gradient.</summary>
    CrossEntropyWithGradient,
}

/// <summary>The parameter list of a kernel's signature (its element type and span kind apart).</summary>
internal enum KernelForm
{
    /// <summary>(ReadOnlySpan&lt;T&gt; input, Span&lt;T&gt; output) or (Span&lt;T&gt; data): [Softmax], [LogSoftmax].</summary>
    Softmax,
    /// <summary>(ReadOnlySpan&lt;T&gt; y, ReadOnlySpan&lt;T&gt; dy, Span&lt;T&gt; dx): the gradients.</summary>
    Gradient,
    /// <summary>(ReadOnlySpan&lt;T&gt; logits, ReadOnlySpan&lt;int&gt; targets, Span&lt;T&gt; losses).</summary>
    Loss,
    /// <summary>(ReadOnlySpan&lt;T&gt; logits, ReadOnlySpan&lt;int&gt; targets, Span&lt;T&gt; losses, Span&lt;T&gt; logitsGradient).</summary>
    LossAndGradient,
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
/// kept as its parts (<see cref="Element"/>, <see cref="InPlace"/>, <see cref="Kind"/>, <see cref="Prefixes"/>,
/// <see cref="Form"/> and the parameter names), and any other as the text of <see cref="DeclaredSignature"/>; <see cref="Signature"/> and
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
    EquatableArray<string> ParameterNames,
    KernelForm Form = KernelForm.Softmax)
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
                name.Append(Form switch
                {
                    KernelForm.Gradient => "_gradient",
                    KernelForm.Loss => "_loss",
                    KernelForm.LossAndGradient => "_lossgradient",
                    _ => "",
                });
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
        string readOnlySpan = (Kind == ParameterKind.TensorSpans ? "global::System.Numerics.Tensors.ReadOnlyTensorSpan" : "global::System.ReadOnlySpan") + $"<{e}>";
        string span = (Kind == ParameterKind.TensorSpans ? "global::System.Numerics.Tensors.TensorSpan" : "global::System.Span") + $"<{e}>";
        const string targets = "global::System.ReadOnlySpan<int>";
        string[] types = Form switch
        {
            KernelForm.Gradient => [readOnlySpan, readOnlySpan, span],
            KernelForm.Loss => [readOnlySpan, targets, span],
            KernelForm.LossAndGradient => [readOnlySpan, targets, span, span],
            _ => InPlace ? [span] : [readOnlySpan, span],
        };
        string method = Microsoft.CodeAnalysis.CSharp.SyntaxFacts.IsReservedKeyword(Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(MethodName)) ? "@" + MethodName : MethodName;
        var text = new System.Text.StringBuilder("void ").Append(method).Append('(');
        for (int i = 0; i < types.Length; i++)
        {
            if (i > 0) text.Append(", ");
            if (i == 0 && (Prefixes & KernelParameterPrefixes.This) != 0) text.Append("this ");
            if (((int)Prefixes & (int)KernelParameterPrefixes.FirstScoped << i) != 0) text.Append("scoped ");
            text.Append(types[i]).Append(' ').Append(ParameterNames[i]);
        }
        return text.Append(')').ToString();
    }

    private static uint Fnv1a(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text) hash = unchecked((hash ^ c) * 16777619);
        return hash;
    }
}

/// <summary>What a kernel's parameters are declared with beyond their type: <c>this</c> on the first, <c>scoped</c> (parameter i's flag is <c>FirstScoped &lt;&lt; i</c>).</summary>
[System.Flags]
internal enum KernelParameterPrefixes
{
    None = 0,
    This = 1,
    FirstScoped = 2,
    SecondScoped = 4,
    ThirdScoped = 8,
    FourthScoped = 16,
}

/// <summary>Whether the kernel takes spans or .NET's tensor spans (<c>ReadOnlyTensorSpan&lt;T&gt;</c>, <c>TensorSpan&lt;T&gt;</c>).</summary>
internal enum ParameterKind
{
    Spans,
    TensorSpans,
}

/// <summary>The attribute's options beyond shape and axis (issue #7), as plain values.</summary>
internal sealed record KernelOptions(float Scale, bool Causal, bool ZeroMaskedRows, bool Parallel, int IgnoreIndex = KernelOptions.DefaultIgnoreIndex)
{
    /// <summary>[SoftmaxCrossEntropy]'s default IgnoreIndex, as PyTorch's ignore_index.</summary>
    public const int DefaultIgnoreIndex = -100;

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
    ParameterKind Parameters)
{
    /// <summary>A training kernel (issue #14): a gradient or the cross-entropy, planned by TrainingPlanChooser.</summary>
    public bool IsTraining => Operation >= KernelOperation.SoftmaxGradient;
}

/// <summary>
/// The model of one kernel method ([Softmax], [LogSoftmax] or a training kernel): where it is, and either what to compute
/// (<see cref="Spec"/>) or, for a misdeclared kernel, the reason (<see cref="Problem"/>) for a body
/// that throws. <see cref="Target"/> is null when no implementation can legally be emitted.
/// Holds no symbols, syntax, locations or compilations, so the incremental pipeline can cache it.
/// </summary>
internal sealed record KernelModel(KernelTarget? Target, KernelSpec? Spec, string? Problem);
