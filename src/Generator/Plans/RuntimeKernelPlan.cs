using KernelGen.Generator.Emit;
using KernelGen.Generator.Planning;

namespace KernelGen.Generator.Plans;

/// <summary>
/// Calls the runtime's generic kernel (<c>KernelGen.Kernels</c>), which handles any shape and axis.
/// Used where no specialised plan exists yet.
/// </summary>
internal sealed record RuntimeKernelPlan(TensorFacts Tensor, Lanes Lanes) : PathPlan(Tensor, Lanes)
{
    public override string Name => "the runtime's generic kernel";

    public override string Describe() =>
        $"calls KernelGen.Kernels.{(Tensor.IsLog ? "LogSoftmax" : "Softmax")}, the runtime's generic kernel for any shape and axis, on the equivalent layout [{Tensor.Outer}, {Tensor.Length}, {Tensor.Inner}] with axis 1 (no specialised plan exists for this layout yet).";

    public override bool IsPathIndependent => true;

    public override void Write(CodeWriter writer)
    {
        string function = Tensor.IsLog ? "LogSoftmax" : "Softmax";
        writer.Line($"Kernels.{function}(MemoryMarshal.CreateReadOnlySpan(ref x, {Tensor.Count}), MemoryMarshal.CreateSpan(ref y, {Tensor.Count}), Shape, 1);");
    }
}
