using KernelGen.Tests;

namespace KernelGen.Runtime.Tests;

/// <summary>The ONNX backend-test softmax cases (tests/data/onnx-conformance) through the generic kernels.</summary>
public class ConformanceTests
{
    [Fact]
    public void All_twenty_cases_are_loaded()
    {
        Assert.Equal(20, Conformance.All.Count);
    }

    [Theory]
    [MemberData(nameof(Conformance.Names), MemberType = typeof(Conformance))]
    public void Generic_kernel_matches_the_float64_reference(string name)
    {
        ConformanceCase c = Conformance.Get(name);
        var output = new float[c.Input.Length];
        if (c.IsLog) Kernels.LogSoftmax(c.Input, output, c.Shape, c.Axis);
        else Kernels.Softmax(c.Input, output, c.Shape, c.Axis);
        Tolerance.AssertClose(c.Expected, Tolerance.Widen(output), Conformance.RelativeTolerance, Conformance.AbsoluteBelow, name);
    }
}
