using KernelGen.Generator.Emit;
using KernelGen.Generator.Model;

namespace KernelGen.Generator.Planning;

/// <summary>
/// How a training kernel (issue #14) computes. The vector work lives in the runtime's
/// <c>KernelGen.CompilerServices.TrainingRows</c>, one call per row or slab; a plan writes the loop around those calls
/// with the shape's constants, as the body of the kernel's <c>Compute</c> method. Each kind of plan lives in a file of
/// its own in src/Generator/Plans.
/// </summary>
internal abstract record TrainingPlan(TensorFacts Tensor)
{
    /// <summary>A short name, e.g. "gradient rows".</summary>
    public abstract string Name { get; }

    /// <summary>The plan in words, for the generated doc comment.</summary>
    public abstract string Describe();

    /// <summary>
    /// Writes the body of <c>Compute</c>: for a gradient it reads <c>ref T y</c> and <c>ref T dy</c> and writes
    /// <c>ref T dx</c>; for the cross-entropy it reads <c>ref T x</c> and <c>ref int targets</c> and writes
    /// <c>ref T losses</c> (and <c>ref T dx</c>). A run-time element count is in <c>count</c>.
    /// </summary>
    public abstract void Write(CodeWriter writer);

    public string Element => Tensor.Element;

    /// <summary>The scale as a literal of the element type: <c>1f</c>, <c>0.125f</c>, <c>1d</c>, <c>0.125d</c> (never an int).</summary>
    public string ScaleArgument => Tensor.ElementKind == ElementKind.Float ? Tensor.ScaleLiteral : Tensor.ScaleLiteral + "d";

    /// <summary>The row function of TrainingRows this plan calls per row (or slab), e.g. "SoftmaxGradient".</summary>
    protected string GradientFunction(bool columns) =>
        (Tensor.Operation == KernelOperation.LogSoftmaxGradient ? "LogSoftmaxGradient" : "SoftmaxGradient") + (columns ? "Columns" : "");

    /// <summary>What the row function computes, in words.</summary>
    protected string GradientFormula => Tensor.Operation == KernelOperation.LogSoftmaxGradient
        ? $"a pass for sum(dy), then one writing dx = {ScaleFactor}(dy - exp(y) * sum(dy))"
        : $"a pass for sum(dy * y), then one writing dx = {ScaleFactor}y * (dy - sum(dy * y))";

    /// <summary>"scale * " when the kernel has a Scale, for the formulas in words.</summary>
    protected string ScaleFactor => Tensor.IsScaled ? "scale * " : "";
}
