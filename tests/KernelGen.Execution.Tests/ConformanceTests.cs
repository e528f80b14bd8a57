using System.Linq;
using KernelGen.Tests;

namespace KernelGen.Execution.Tests;

/// <summary>The ONNX conformance cases through a generated kernel declared for each case's shape and axis.</summary>
public class ConformanceTests
{
    [Theory]
    [MemberData(nameof(Conformance.Names), MemberType = typeof(Conformance))]
    public void Generated_kernel_matches_the_float64_reference(string name)
    {
        ConformanceCase c = Conformance.Get(name);
        DeclaredKernel kernel = DeclaredKernels.All.Single(k => k.Float is not null && k.Op == c.Op && k.Axis == c.Axis && k.Shape.SequenceEqual(c.Shape));
        float[] output = kernel.Run(c.Input);
        Tolerance.AssertClose(c.Expected, Tolerance.Widen(output), Conformance.RelativeTolerance, Conformance.AbsoluteBelow, name);
    }
}
