using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace KernelGen.Build;

/// <summary>
/// The kernels the execution tests declare, as a user would, and the source file that declares them. Compiled into
/// the generator program (build/GenerateExecutionKernels) and into the execution tests, which check that the
/// committed DeclaredKernels.g.cs is exactly what <see cref="Write"/> returns.
/// </summary>
internal static class ExecutionKernelList
{
    public static readonly string OutputPath = Path.Combine("tests", "KernelGen.Execution.Tests", "DeclaredKernels.g.cs");

    public static readonly string ConformancePath = Path.Combine("tests", "data", "onnx-conformance");

    /// <summary>One declared kernel: operation, shape (a leading -1 allowed), axis, element type and options.</summary>
    public sealed record Kernel(string Op, int[] Shape, int Axis, string Element, bool InPlace, bool Parallel)
    {
        public bool Equals(Kernel? other) => other is not null && Op == other.Op && Shape.SequenceEqual(other.Shape) && Axis == other.Axis
            && Element == other.Element && InPlace == other.InPlace && Parallel == other.Parallel;

        public override int GetHashCode() => HashCode.Combine(Op, Shape.Length, Axis, Element, InPlace, Parallel);

        public string Name
        {
            get
            {
                string axis = Axis < 0 ? "m" + (-Axis).ToString(CultureInfo.InvariantCulture) : Axis.ToString(CultureInfo.InvariantCulture);
                string dims = string.Join("x", Shape.Select(d => d == -1 ? "n" : d.ToString(CultureInfo.InvariantCulture)));
                return $"{Op}_{dims}_axis{axis}_{Element}{(InPlace ? "_inplace" : "")}{(Parallel ? "_parallel" : "")}";
            }
        }
    }

    /// <summary>The directory holding KernelGen.sln at or above <paramref name="start"/>, or null.</summary>
    public static string? FindRepositoryRoot(string start)
    {
        for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KernelGen.sln"))) return dir.FullName;
        }
        return null;
    }

    /// <summary>Each conformance case's operation, shape and axis, in file-name order.</summary>
    public static IEnumerable<(string Op, int[] Shape, int Axis)> ReadConformanceShapes(string root)
    {
        foreach (string file in Directory.GetFiles(Path.Combine(root, ConformancePath), "*.json").OrderBy(f => f, StringComparer.Ordinal))
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(file));
            JsonElement c = doc.RootElement;
            yield return (c.GetProperty("op").GetString()!, c.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray(), c.GetProperty("axis").GetInt32());
        }
    }

    /// <summary>Every kernel under test, each once, in declaration order.</summary>
    public static List<Kernel> Kernels(IEnumerable<(string Op, int[] Shape, int Axis)> conformance)
    {
        var kernels = new List<Kernel>();
        void Add(string op, int[] shape, int axis = -1, string element = "float", bool inPlace = false, bool parallel = false)
        {
            var k = new Kernel(op, shape, axis, element, inPlace, parallel);
            if (!kernels.Contains(k)) kernels.Add(k);
        }

        // The client's notebook.
        foreach (int[] shape in new[] { new[] { 3, 3 }, [3, 2], [4, 3, 2], [36, 10, 4, 3, 2] })
        {
            foreach (string op in new[] { "Softmax", "LogSoftmax" })
            {
                foreach (string element in new[] { "float", "double" }) Add(op, shape, -1, element);
            }
            Add("Softmax", shape, -1, "float", inPlace: true);
        }
        // Every row length 1..70 and some long ones, on the last axis.
        foreach (int length in Enumerable.Range(1, 70).Concat([127, 128, 129, 1000, 4096, 50257]))
        {
            int rows = length < 1000 ? 3 : 1;
            Add("Softmax", [rows, length]);
            if (length <= 20 || length is 31 or 32 or 33 or 64 or 65 or 127 or 128 or 129 or 1000)
            {
                Add("LogSoftmax", [rows, length]);
                Add("Softmax", [rows, length], -1, "double");
                Add("Softmax", [rows, length], -1, "float", inPlace: true);
            }
            if (length <= 10 || length is 17 or 64 or 129)
            {
                Add("LogSoftmax", [rows, length], -1, "double");
                Add("LogSoftmax", [rows, length], -1, "float", inPlace: true);
            }
        }
        // Tensors smaller than one group of short rows (issue #12): a row per partial vector (Lanes.LoadFirst/StoreFirst),
        // or one transposed group read and written only as far as the tensor goes.
        foreach (int rows in new[] { 1, 2, 5, 7 })
        {
            foreach (int length in rows == 1 ? Enumerable.Range(2, 14) : [2, 3, 5, 7, 9])
            {
                Add("Softmax", [rows, length]);
                Add("LogSoftmax", [rows, length]);
                Add("Softmax", [rows, length], -1, "double");
                Add("LogSoftmax", [rows, length], -1, "double", inPlace: true);
                Add("Softmax", [rows, length], -1, "float", inPlace: true);
            }
        }
        // Every axis of these shapes.
        foreach (int[] shape in new[] { new[] { 2, 3, 5, 7 }, [4, 33, 6], [64, 512], [3, 1, 8], [1, 1, 1], [12, 128, 128] })
        {
            for (int axis = 0; axis < shape.Length; axis++)
            {
                Add("Softmax", shape, axis);
                Add("LogSoftmax", shape, axis);
                Add("Softmax", shape, axis, "double");
                Add("Softmax", shape, axis, "float", inPlace: true);
            }
        }
        // Non-last axes whose slabs are narrower than a vector (tiny slabs, narrow columns): axis lengths 2 and 3 over
        // every inner width below a vector.
        foreach (int length in new[] { 2, 3, 7, 12 })
        {
            for (int inner = 2; inner < 8; inner++)
            {
                Add("Softmax", [8, length, inner], 1);
                Add("Softmax", [4, length, inner], 1, "double");
                if (length == 2) Add("LogSoftmax", [8, length, inner], 1);
                if (length == 7) Add("LogSoftmax", [4, length, inner], 1, "double"); // an overlapping period, its exps out of line
            }
        }
        // The largest tiny-slab groups (issue #12): float columns of 2 and 4 along an axis of 18, double columns of 2 along
        // an axis of 32 (32 vectors). Since the half-vector plan, float columns of 4 and double columns of 2 along axes of 16
        // or more run that plan on the Vector256 path instead; these kernels now test it.
        Add("Softmax", [2, 18, 2], 1);
        Add("Softmax", [2, 18, 4], 1, "float", inPlace: true);
        Add("LogSoftmax", [2, 18, 4], 1);
        Add("Softmax", [2, 32, 2], 1, "double");
        Add("LogSoftmax", [2, 32, 2], 1, "double");
        // Float tiny-slab groups of 19 to 24 vectors alone; groups of 15 and 16 vectors in a loop with an overlapping last
        // group in a method of its own; and groups of more than 8 vectors left over from a run-time count, staged in a
        // method of their own (issue #12).
        foreach (int[] shape in new[] { new[] { 2, 19, 2 }, [2, 8, 3], [2, 4, 5], [2, 3, 7], [37, 5, 3], [37, 16, 2] })
        {
            Add("Softmax", shape, 1);
            Add("LogSoftmax", shape, 1);
            Add("Softmax", shape, 1, "float", inPlace: true);
            Add("LogSoftmax", shape, 1, "float", inPlace: true);
        }
        // Whole tiny-slab groups of 24 vectors (one group, and a loop of them with a last group), and plain softmax groups
        // of 25 to 30 vectors of several vectors per axis position and of 28 and 32 vectors of columns of 4, alone, in a
        // loop and from a run-time count (issue #12); the columns of 4 now run the half-vector plan.
        foreach (int[] shape in new[] { new[] { 4, 24, 2 }, [8, 8, 3], [37, 8, 6] })
        {
            Add("Softmax", shape, 1);
            Add("LogSoftmax", shape, 1, "float", inPlace: true);
        }
        foreach (int[] shape in new[] { new[] { 2, 9, 3 }, [8, 10, 3], [37, 5, 5], [4, 10, 6], [37, 4, 7], [-1, 9, 3], [2, 32, 4], [37, 28, 4] })
        {
            Add("Softmax", shape, 1);
            Add("Softmax", shape, 1, "float", inPlace: true);
        }
        // Plain softmax tiny-slab groups of 31 to 48 vectors in tensors of whole groups (issue #12): float columns of 3, 5,
        // 6 and 7 and double columns of 3, one group and loops with a last group, in place.
        foreach (int[] shape in new[] { new[] { 8, 12, 3 }, [37, 16, 3], [37, 9, 5], [8, 16, 6], [9, 6, 7] })
        {
            Add("Softmax", shape, 1);
            Add("Softmax", shape, 1, "float", inPlace: true);
        }
        Add("Softmax", [2, 11, 3], 1);
        Add("Softmax", [2, 11, 6], 1, "float", inPlace: true);
        Add("Softmax", [2, 11, 3], 1, "double");
        Add("Softmax", [-1, 11, 3], 1);
        Add("Softmax", [4, 16, 3], 1, "double");
        Add("Softmax", [37, 11, 3], 1, "double", inPlace: true);
        // Double tiny-slab groups of 24 to 30 vectors (columns of 3 along axes of 8 to 10), alone, in a loop and from a
        // run-time count, since double has an exp of its own (issue #12).
        Add("Softmax", [2, 8, 3], 1, "double");
        Add("LogSoftmax", [37, 8, 3], 1, "double");
        Add("Softmax", [8, 10, 3], 1, "double", inPlace: true);
        Add("Softmax", [-1, 9, 3], 1, "double");
        // Double columns of 7 vectors or more that are not whole pairs, log-softmax and in place (issue #12).
        Add("LogSoftmax", [2, 9, 34], 1, "double");
        Add("Softmax", [3, 5, 29], 1, "double", inPlace: true);
        Add("Softmax", [-1, 14]);
        Add("LogSoftmax", [-1, 14], -1, "float", inPlace: true);
        Add("Softmax", [-1, 12]);
        Add("Softmax", [-1, 16, 2], 1);
        Add("LogSoftmax", [-1, 16, 2], 1, "float", inPlace: true);
        // Plain float columns of 2 in part of one tiny-slab group of 25 to 27 vectors (issue #12): two and three slabs, in
        // place.
        Add("Softmax", [2, 27, 2], 1);
        Add("Softmax", [3, 26, 2], 1);
        Add("Softmax", [3, 25, 2], 1, "float", inPlace: true);
        // Columns packed several axis positions per vector (issue #12): halves (float columns of 8 and double columns of 4
        // on the Vector512 path, float columns of 4 and double columns of 2 on the Vector256 path), quarters (float columns
        // of 4 and double columns of 2 on Vector512, float columns of 2 on Vector256) and eighths (float columns of 2 on
        // Vector512), along axes that fill whole vectors and axes that end with a vector overlapping the one before it,
        // one slab and a loop of them; log-softmax and in place.
        foreach (int[] shape in new[] { new[] { 2, 6, 8 }, [3, 8, 8], [2, 9, 8], [5, 33, 8], [1, 16, 8], [2, 16, 4], [3, 17, 4], [2, 12, 4], [3, 13, 4], [2, 8, 2], [3, 9, 2], [2, 33, 2], [37, 12, 2], [2, 24, 2], [3, 25, 2] })
        {
            Add("Softmax", shape, 1);
            Add("LogSoftmax", shape, 1);
            Add("Softmax", shape, 1, "float", inPlace: true);
            Add("LogSoftmax", shape, 1, "float", inPlace: true);
        }
        foreach (int[] shape in new[] { new[] { 2, 6, 4 }, [3, 9, 4], [2, 33, 4], [2, 16, 2], [3, 17, 2], [2, 12, 2], [3, 13, 2] })
        {
            Add("Softmax", shape, 1, "double");
            Add("LogSoftmax", shape, 1, "double");
            Add("Softmax", shape, 1, "double", inPlace: true);
        }
        // Float rows of 9 to 16 Vector512s in registers (rows of 129 to 256, issue #12), their sum folded into double 8
        // vectors at a time: one row (shifted by its first element), three in a loop, log-softmax and in place.
        foreach (int length in new[] { 200, 256 })
        {
            Add("Softmax", [1, length]);
            Add("Softmax", [3, length]);
            Add("LogSoftmax", [3, length]);
            Add("Softmax", [3, length], -1, "float", inPlace: true);
            Add("LogSoftmax", [1, length], -1, "float", inPlace: true);
        }
        // Float columns of 4 to 7 that run the Vector128 path on AVX2 and AVX-512 hardware (issue #12; columns of 5 along
        // axes of 11 to 13 since 2026-12-01), and the same in double.
        foreach (int[] shape in new[] { new[] { 2, 4, 5 }, [3, 7, 7], [2, 12, 6], [2, 16, 5], [2, 20, 7], [2, 13, 5], [37, 11, 5] })
        {
            Add("Softmax", shape, 1);
            Add("LogSoftmax", shape, 1);
            Add("Softmax", shape, 1, "double");
            Add("Softmax", shape, 1, "float", inPlace: true);
        }
        // Rows of 3 to 8 floats transposed 8 at a time (Lanes.Transpose; rows of 4 Lanes.TransposeBlocks) and, from 16
        // rows, 16 at a time on the Vector512 path (Lanes.TransposePairs; rows of 4 Lanes.TransposeBlocks) (issue #12): one
        // group, whole groups and a last group overlapping the one before it, in place (each row's vector store reaches into
        // the next row; rows of 4 store the vector that holds the first new row one 128-bit block at a time).
        foreach (int length in new[] { 3, 4, 5, 6, 7, 8 })
        {
            foreach (int rows in new[] { 8, 13, 21, 32 })
            {
                Add("Softmax", [rows, length]);
                Add("LogSoftmax", [rows, length]);
                Add("Softmax", [rows, length], -1, "float", inPlace: true);
                Add("LogSoftmax", [rows, length], -1, "float", inPlace: true);
            }
        }
        // Rows of 9 to 14 floats transposed 8 at a time in two 8 x 8 transposes on the Vector256 path (rows of 15 and 16 in
        // registers), and rows of 10 to 16 16 at a time on the Vector512 path (issue #12): one group, whole groups and a
        // last group overlapping, in place.
        foreach (int length in new[] { 9, 10, 12, 13, 14, 15, 16 })
        {
            foreach (int rows in new[] { 8, 13, 21, 48 })
            {
                Add("Softmax", [rows, length]);
                Add("LogSoftmax", [rows, length]);
                Add("Softmax", [rows, length], -1, "float", inPlace: true);
                Add("LogSoftmax", [rows, length], -1, "float", inPlace: true);
            }
        }
        // Rows of 3 to 11 doubles transposed 8 at a time on the Vector512 path (Lanes.Transpose of 8 x 8 doubles; rows of 9
        // to 11 in two vectors each) (issue #12): one group, whole groups and a last group overlapping, in place, and a
        // run-time count of rows.
        foreach (int length in new[] { 3, 4, 5, 7, 8, 9, 11 })
        {
            foreach (int rows in new[] { 8, 13, 21 })
            {
                Add("Softmax", [rows, length], -1, "double");
                Add("LogSoftmax", [rows, length], -1, "double");
                Add("Softmax", [rows, length], -1, "double", inPlace: true);
                Add("LogSoftmax", [rows, length], -1, "double", inPlace: true);
            }
            Add("Softmax", [-1, length], -1, "double");
        }
        // Columns whose leftover vectors (one more, a last one overlapping, or both) join one block with two or three
        // chains (issue #12), on 8 and 16 lanes: 9 (one and a tail), 20, 25, 40 and 47 columns.
        foreach (int inner in new[] { 9, 20, 25, 40, 47 })
        {
            Add("Softmax", [2, 5, inner], 1);
            Add("LogSoftmax", [2, 5, inner], 1);
            Add("Softmax", [2, 5, inner], 1, "double");
            Add("Softmax", [2, 5, inner], 1, "float", inPlace: true);
            Add("LogSoftmax", [2, 5, inner], 1, "float", inPlace: true);
        }
        // Wide columns (a non-last axis with an inner dimension of several vectors): blocks of 64 vectors, a last partial
        // block, a tail vector in the last block or in a block of its own.
        foreach (int[] shape in new[] { new[] { 3, 700 }, [2, 1030], [2, 516] })
        {
            Add("Softmax", shape, 0);
            Add("LogSoftmax", shape, 0);
            Add("Softmax", shape, 0, "double");
            Add("Softmax", shape, 0, "float", inPlace: true);
            Add("LogSoftmax", shape, 0, "float", inPlace: true);
        }
        // Double columns of 512 or more along an axis of 30 or more (21 on Vector256): wide columns swept row by row (issue #12).
        foreach (int[] shape in new[] { new[] { 2, 30, 512 }, [2, 21, 512], [31, 700] })
        {
            int axis = shape.Length - 2;
            Add("Softmax", shape, axis, "double");
            Add("LogSoftmax", shape, axis, "double");
            Add("Softmax", shape, axis, "double", inPlace: true);
        }
        // A leading -1 (as many as the span holds) on the layout of every plan, both operations: the paths then take
        // a run-time element count.
        foreach ((int[] shape, int axis) in new (int[], int)[] { ([1], -1), ([2], -1), ([3], -1), ([7], -1), ([20], -1), ([100], -1), ([3, 2], 1), ([2, 4], 1), ([5, 6], 1), ([4, 20], 1), ([3, 40], 1), ([7, 5], 1) })
        {
            int[] dynamic = [-1, .. shape];
            foreach (string op in new[] { "Softmax", "LogSoftmax" })
            {
                Add(op, dynamic, axis);
                Add(op, dynamic, axis, "double");
            }
            Add("LogSoftmax", dynamic, axis, "float", inPlace: true);
        }
        // Parallel on a shape large enough to split, both operations.
        foreach (string op in new[] { "Softmax", "LogSoftmax" })
        {
            Add(op, [4, 100], -1, parallel: true);
            Add(op, [-1, 3, 50], -1, parallel: true);
        }
        // Every conformance case's shape and axis.
        foreach ((string op, int[] shape, int axis) in conformance) Add(op, shape, axis);
        return kernels;
    }

    /// <summary>The text of DeclaredKernels.g.cs, and how many kernels it declares.</summary>
    public static (string Text, int Count) Write(IEnumerable<(string Op, int[] Shape, int Axis)> conformance)
    {
        List<Kernel> kernels = Kernels(conformance);
        var s = new StringBuilder();
        void W(string line) => s.Append(line).Append('\n');
        static string Dims(int[] shape) => string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));

        W("// <auto-generated>Written by build/GenerateExecutionKernels (dotnet run --project build/GenerateExecutionKernels); run it again to change the list.</auto-generated>");
        W("using System;");
        W("using KernelGen;");
        W("");
        W("namespace KernelGen.Execution.Tests;");
        W("");
        W("/// <summary>The kernels under test, declared as a user would; KernelGen generates their bodies.</summary>");
        W("public static partial class DeclaredKernels");
        W("{");
        foreach (Kernel k in kernels)
        {
            string options = (k.Axis == -1 ? "" : $", Axis = {k.Axis.ToString(CultureInfo.InvariantCulture)}") + (k.Parallel ? ", Parallel = true" : "");
            W($"    [{k.Op}({Dims(k.Shape)}{options})]");
            W(k.InPlace
                ? $"    public static partial void {k.Name}(Span<{k.Element}> data);"
                : $"    public static partial void {k.Name}(ReadOnlySpan<{k.Element}> input, Span<{k.Element}> output);");
            W("");
        }
        W("    /// <summary>Every kernel above, with what it was declared for.</summary>");
        W("    public static readonly DeclaredKernel[] All =");
        W("    [");
        foreach (Kernel k in kernels)
        {
            string element = char.ToUpperInvariant(k.Element[0]) + k.Element[1..];
            string call = k.InPlace ? $"inPlace{element}: {k.Name}" : $"@{k.Element}: {k.Name}";
            W($"        new(\"{k.Name}\", \"{k.Op}\", [{Dims(k.Shape)}], {k.Axis.ToString(CultureInfo.InvariantCulture)}, {call}),");
        }
        W("    ];");
        W("}");
        return (s.ToString(), kernels.Count);
    }
}
