using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace KernelGen.Tests;

/// <summary>One softmax case from the ONNX project's backend tests (tests/data/onnx-conformance, see its README).</summary>
public sealed record ConformanceCase(string Name, string Op, int[] Shape, int Axis, float[] Input, double[] Expected)
{
    public bool IsLog => Op == "LogSoftmax";

    public override string ToString() => Name;
}

public static class Conformance
{
    /// <summary>Relative bound from the suite's README: PyTorch's float32 outputs reach 2.7e-7 relative.</summary>
    public const double RelativeTolerance = 2.7e-7;

    /// <summary>Below this, a float result is compared absolutely (it may be flushed to 0).</summary>
    public const double AbsoluteBelow = 1e-30;

    /// <summary>The folder of the cases inside the repository: tests/data/onnx-conformance.</summary>
    public static string Directory
    {
        get
        {
            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "KernelGen.sln")))
                {
                    string path = Path.Combine(dir.FullName, "tests", "data", "onnx-conformance");
                    if (!System.IO.Directory.Exists(path)) throw new DirectoryNotFoundException($"The conformance cases are expected at {path}.");
                    return path;
                }
            }
            throw new DirectoryNotFoundException("KernelGen.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static IReadOnlyList<ConformanceCase> All { get; } = Load();

    public static ConformanceCase Get(string name) => All.Single(c => c.Name == name);

    public static IEnumerable<object[]> Names => All.Select(c => new object[] { c.Name });

    private static List<ConformanceCase> Load()
    {
        var cases = new List<ConformanceCase>();
        foreach (string file in System.IO.Directory.GetFiles(Directory, "*.json").OrderBy(f => f, StringComparer.Ordinal))
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(file));
            JsonElement root = doc.RootElement;
            cases.Add(new ConformanceCase(
                root.GetProperty("name").GetString()!,
                root.GetProperty("op").GetString()!,
                root.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                root.GetProperty("axis").GetInt32(),
                root.GetProperty("input").EnumerateArray().Select(e => e.GetSingle()).ToArray(),
                root.GetProperty("expected_float64_reference").EnumerateArray().Select(ReadDouble).ToArray()));
        }
        if (cases.Count == 0) throw new InvalidOperationException("No conformance cases found in " + Directory);
        return cases;
    }

    private static double ReadDouble(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? e.GetString() switch { "NaN" or "nan" => double.NaN, "Infinity" or "inf" => double.PositiveInfinity, "-Infinity" or "-inf" => double.NegativeInfinity, var s => double.Parse(s!, System.Globalization.CultureInfo.InvariantCulture) }
        : e.GetDouble();
}
