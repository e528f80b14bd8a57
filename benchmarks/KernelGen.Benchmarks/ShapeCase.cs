using System;
using System.Collections.Generic;
using System.Linq;

namespace KernelGen.Benchmarks;

/// <summary>A softmax benchmark shape: float tensor, row-major, softmax along <see cref="Axis"/>.</summary>
public sealed class ShapeCase
{
    internal ShapeCase(string name, int[] shape, int axis)
    {
        Name = name;
        Shape = shape;
        Axis = axis < 0 ? axis + shape.Length : axis;
        Count = shape.Aggregate(1, (a, b) => a * b);
        Length = shape[Axis];
        Outer = shape.Take(Axis).Aggregate(1, (a, b) => a * b);
        Inner = shape.Skip(Axis + 1).Aggregate(1, (a, b) => a * b);
    }

    /// <summary>The name used as the benchmark parameter, e.g. <c>12x128x128</c> or <c>64x512_axis0</c>.</summary>
    public string Name { get; }
    public int[] Shape { get; }
    /// <summary>The softmax axis, non-negative.</summary>
    public int Axis { get; }
    public int Count { get; }
    /// <summary>The length of the softmax axis.</summary>
    public int Length { get; }
    /// <summary>The product of the dimensions before the axis.</summary>
    public int Outer { get; }
    /// <summary>The product of the dimensions after the axis (1 for the last axis).</summary>
    public int Inner { get; }
    public bool IsLastAxis => Inner == 1;

    /// <summary>Like <c>[12, 128, 128]</c> or <c>[64, 512] axis 0</c>.</summary>
    public string Display => "[" + string.Join(", ", Shape) + "]" + (IsLastAxis ? "" : $" axis {Axis}");

    /// <summary>Every shape the softmax suite measures, in the order the report lists them.</summary>
    public static IReadOnlyList<ShapeCase> All { get; } =
    [
        new("1024", [1024], -1),
        new("50257", [50257], -1),
        new("12x128x128", [12, 128, 128], -1),
        new("64x512_axis0", [64, 512], 0),
        new("4x3x2", [4, 3, 2], -1),
        new("36x10x4x3x2", [36, 10, 4, 3, 2], -1),
        new("3x3", [3, 3], -1),
        new("2x3x5x7_axis1", [2, 3, 5, 7], 1),
        new("8x512x512", [8, 512, 512], -1),
        new("12x1024x1024", [12, 1024, 1024], -1),
    ];

    /// <summary>The parameter values, for <c>[ParamsSource]</c>.</summary>
    public static IEnumerable<string> Names => All.Select(s => s.Name);

    public static ShapeCase Get(string name) =>
        All.FirstOrDefault(s => s.Name == name) ?? throw new ArgumentException($"No shape named '{name}'; known: {string.Join(", ", Names)}.", nameof(name));

    public override string ToString() => Name;
}

/// <summary>Deterministic benchmark data.</summary>
public static class BenchmarkData
{
    /// <summary>The seed of every data set: the numbers are the same on every run.</summary>
    public const int Seed = 20240531;

    /// <summary>normal(0, <paramref name="stddev"/>) floats (Box-Muller), written into <paramref name="destination"/>.</summary>
    public static void FillNormal(Span<float> destination, double stddev, int seed = Seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < destination.Length; i++)
        {
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            destination[i] = (float)(stddev * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
    }

    /// <summary>A pinned array (stable address for ONNX Runtime, the same memory for every method) of normal(0, stddev) floats.</summary>
    public static float[] PinnedNormal(int count, double stddev, int seed = Seed)
    {
        float[] values = GC.AllocateArray<float>(count, pinned: true);
        FillNormal(values, stddev, seed);
        return values;
    }

    /// <summary>A pinned array of zeros.</summary>
    public static float[] PinnedZeros(int count) => GC.AllocateArray<float>(count, pinned: true);
}
