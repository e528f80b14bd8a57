// Shape arithmetic shared verbatim by the runtime (KernelGen.Runtime) and the source generator
// (KernelGen.Generator): both must agree exactly on what a valid shape and axis are, how a
// negative axis is read, and how a tensor splits into outer x axis x inner.
#nullable enable
using System;

namespace KernelGen.Shared
{
    /// <summary>What is wrong with a shape/axis pair, if anything.</summary>
    internal enum ShapeProblem
    {
        None = 0,
        EmptyShape,
        NonPositiveDimension,
        MisplacedDynamicDimension,
        ElementCountOverflow,
        AxisOutOfRange,
    }

    /// <summary>
    /// A row-major tensor seen from one axis: <c>Outer</c> independent slabs, each of
    /// <c>AxisLength</c> positions along the softmax axis, each position a run of <c>Inner</c>
    /// contiguous elements. The last axis has <c>Inner == 1</c>: its rows are contiguous.
    /// </summary>
    internal readonly struct ShapeLayout
    {
        public ShapeLayout(long outer, int axisLength, long inner, int axis, int rank)
        {
            Outer = outer;
            AxisLength = axisLength;
            Inner = inner;
            Axis = axis;
            Rank = rank;
        }

        /// <summary>Product of the dimensions before the axis (for a dynamic leading dimension, of the known ones).</summary>
        public long Outer { get; }
        /// <summary>Length of the softmax axis.</summary>
        public int AxisLength { get; }
        /// <summary>Product of the dimensions after the axis: the stride between consecutive positions on the axis.</summary>
        public long Inner { get; }
        /// <summary>The axis, normalized to 0..Rank-1.</summary>
        public int Axis { get; }
        public int Rank { get; }
        /// <summary>Element count (of the known dimensions, for a dynamic leading dimension).</summary>
        public long ElementCount => Outer * AxisLength * Inner;
        /// <summary>Number of independent softmax rows (outer x inner).</summary>
        public long RowCount => Outer * Inner;
        public bool IsLastAxis => Inner == 1;
    }

    internal static class ShapeMath
    {
        /// <summary>The value a leading dimension takes to mean "as many as the span holds".</summary>
        public const int DynamicDimension = -1;

        /// <summary>Reads a possibly negative axis; false if it is outside -rank..rank-1.</summary>
        public static bool TryNormalizeAxis(int axis, int rank, out int normalized)
        {
            normalized = axis < 0 ? axis + rank : axis;
            return normalized >= 0 && normalized < rank;
        }

        /// <summary>"-3 to 2" for rank 3: the axes that are valid for that rank.</summary>
        public static string ValidAxisRange(int rank) => rank <= 0 ? "none" : $"-{rank} to {rank - 1}";

#if NETSTANDARD2_0
        public static string Format(System.Collections.Generic.IReadOnlyList<int> shape)
        {
            int rank = shape.Count;
#else
        public static string Format(ReadOnlySpan<int> shape)
        {
            int rank = shape.Length;
#endif
            var text = new System.Text.StringBuilder("[");
            for (int i = 0; i < rank; i++)
            {
                if (i > 0) text.Append(", ");
                text.Append(shape[i]);
            }
            return text.Append(']').ToString();
        }

        /// <summary>
        /// Checks a shape and axis and splits the tensor around the axis. A leading
        /// <see cref="DynamicDimension"/> is accepted only when <paramref name="allowDynamicLeading"/>;
        /// the layout then counts only the known dimensions. On failure <paramref name="index"/> names
        /// the offending dimension (or is -1).
        /// </summary>
#if NETSTANDARD2_0
        public static ShapeProblem Analyze(System.Collections.Generic.IReadOnlyList<int> shape, int axis, bool allowDynamicLeading, out ShapeLayout layout, out int index)
        {
            int rank = shape.Count;
#else
        public static ShapeProblem Analyze(ReadOnlySpan<int> shape, int axis, bool allowDynamicLeading, out ShapeLayout layout, out int index)
        {
            int rank = shape.Length;
#endif
            layout = default;
            index = -1;
            if (rank == 0) return ShapeProblem.EmptyShape;
            long count = 1;
            for (int i = 0; i < rank; i++)
            {
                int dim = shape[i];
                index = i;
                if (allowDynamicLeading && dim == DynamicDimension)
                {
                    if (i > 0 || rank == 1) return ShapeProblem.MisplacedDynamicDimension;
                    continue;
                }
                if (dim <= 0) return ShapeProblem.NonPositiveDimension;
                count *= dim;
                if (count > int.MaxValue) return ShapeProblem.ElementCountOverflow;
            }
            index = -1;
            if (!TryNormalizeAxis(axis, rank, out int normalized)) return ShapeProblem.AxisOutOfRange;
            bool dynamic = shape[0] == DynamicDimension;
            if (dynamic && normalized == 0)
            {
                index = 0;
                return ShapeProblem.MisplacedDynamicDimension;
            }
            long outer = 1, inner = 1;
            for (int i = dynamic ? 1 : 0; i < normalized; i++) outer *= shape[i];
            for (int i = normalized + 1; i < rank; i++) inner *= shape[i];
            layout = new ShapeLayout(outer, shape[normalized], inner, normalized, rank);
            return ShapeProblem.None;
        }

        /// <summary>A sentence that says what is wrong and what to write instead.</summary>
        public static string Describe(ShapeProblem problem, string shapeText, int rank, int axis, int index, int dimension)
        {
            switch (problem)
            {
                case ShapeProblem.EmptyShape:
                    return "The shape is empty: give at least one dimension, for example [Softmax(128)] for a single row of 128";
                case ShapeProblem.NonPositiveDimension:
                    return $"Dimension {index} of shape {shapeText} is {dimension}: every dimension must be at least 1";
                case ShapeProblem.MisplacedDynamicDimension:
                    return $"Shape {shapeText} uses -1 at dimension {index}: -1 (as many as the span holds) is allowed only once, as the first dimension of a shape of rank 2 or more, and the axis must not be that dimension";
                case ShapeProblem.ElementCountOverflow:
                    return $"Shape {shapeText} has more than {int.MaxValue} elements: a span cannot hold it; use a smaller shape";
                case ShapeProblem.AxisOutOfRange:
                    return $"Axis {axis} is out of range for shape {shapeText} of rank {rank}: use an axis from {ValidAxisRange(rank)}";
                default:
                    return string.Empty;
            }
        }
    }
}
