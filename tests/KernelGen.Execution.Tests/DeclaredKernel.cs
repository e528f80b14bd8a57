using System;

namespace KernelGen.Execution.Tests;

public delegate void FloatKernel(ReadOnlySpan<float> input, Span<float> output);
public delegate void DoubleKernel(ReadOnlySpan<double> input, Span<double> output);
public delegate void FloatInPlaceKernel(Span<float> data);
public delegate void DoubleInPlaceKernel(Span<double> data);

/// <summary>A generated kernel under test and what it was declared for.</summary>
public sealed class DeclaredKernel
{
    public DeclaredKernel(string name, string op, int[] shape, int axis,
        FloatKernel? @float = null, DoubleKernel? @double = null, FloatInPlaceKernel? inPlaceFloat = null, DoubleInPlaceKernel? inPlaceDouble = null)
    {
        Name = name;
        Op = op;
        Shape = shape;
        Axis = axis;
        Float = @float;
        Double = @double;
        InPlaceFloat = inPlaceFloat;
        InPlaceDouble = inPlaceDouble;
    }

    public string Name { get; }
    public string Op { get; }
    public int[] Shape { get; }
    public int Axis { get; }
    public bool IsLog => Op == "LogSoftmax";
    public FloatKernel? Float { get; }
    public DoubleKernel? Double { get; }
    public FloatInPlaceKernel? InPlaceFloat { get; }
    public DoubleInPlaceKernel? InPlaceDouble { get; }
    public bool IsFloat => Float is not null || InPlaceFloat is not null;

    /// <summary>Runs the kernel on a copy of the input (in place or not) and returns the result.</summary>
    public float[] Run(float[] input)
    {
        var output = new float[input.Length];
        if (Float is not null) Float(input, output);
        else
        {
            input.CopyTo(output, 0);
            InPlaceFloat!(output);
        }
        return output;
    }

    public double[] Run(double[] input)
    {
        var output = new double[input.Length];
        if (Double is not null) Double(input, output);
        else
        {
            input.CopyTo(output, 0);
            InPlaceDouble!(output);
        }
        return output;
    }

    public override string ToString() => Name;
}
