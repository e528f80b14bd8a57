using System.Collections.Generic;
using System.Linq;

namespace KernelGen.PlanSweep;

/// <summary>
/// One shape of the sweep: for the last axis, <see cref="Count"/> rows of <see cref="Length"/>; for a non-last axis,
/// <see cref="Outer"/> slabs of <see cref="Length"/> x <see cref="Inner"/>, softmax over the middle dimension.
/// </summary>
internal sealed record Point(bool LastAxis, int Outer, int Length, int Inner)
{
    public int[] Shape => LastAxis ? [Outer, Length] : [Outer, Length, Inner];
    public int Axis => 1;
    public int Elements => Outer * Length * Inner;
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
    /// <summary>The heat map's second coordinate: rows for the last axis, the inner size otherwise.</summary>
    public int Across => LastAxis ? Outer : Inner;
}

/// <summary>The grid of shapes (issue #12): the full grid, or a sample of it for a quick run.</summary>
internal static class Grid
{
    public const int MaxElements = 1 << 20;

    /// <summary>
    /// Row counts of the last-axis grid; slabs of the non-last-axis grid. 37 is no whole number of any plan's group (8 or
    /// 16 rows, 8 slabs): its rows or slabs left over take the overlapping last group or the staged rows, code that the
    /// whole-group counts never run (the fourth round found a group written twice running out of the JIT's inlining
    /// budget there, up to 2.7x slower, that the grid of 1, 3, 32 and 256 could not see).
    /// </summary>
    public static readonly int[] RowCounts = [1, 3, 32, 37, 256];
    public const int Slabs = 2;

    /// <summary>Slabs of the non-last-axis points whose columns are narrower than a Vector256 of floats (2 to 7; a column
    /// of 1 is a last-axis row, already in the grid), where the plans transpose groups of slabs: 37 leaves slabs over.</summary>
    public const int RemainderSlabs = 37;

    public static IEnumerable<int> RowLengths(bool quick) => quick
        ? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 16, 17, 20, 24, 31, 32, 33, 48, 64, 100, 127, 128, 129, 255, 256, 1000]
        : Enumerable.Range(1, 64).Concat([100, 127, 128, 129, 255, 256, 1000]);

    public static IEnumerable<int> AxisLengths(bool quick) => quick
        ? [2, 3, 4, 5, 7, 8, 12, 16, 31, 64]
        : Enumerable.Range(2, 63);

    public static IEnumerable<int> InnerSizes(bool quick) => quick
        ? [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 15, 16, 17, 24, 33, 40, 64, 512]
        : Enumerable.Range(1, 40).Concat([64, 512]);

    public static List<Point> Points(bool quick, bool lastAxis, bool nonLastAxis)
    {
        var points = new List<Point>();
        if (lastAxis)
        {
            foreach (int length in RowLengths(quick))
            {
                foreach (int rows in RowCounts)
                {
                    if ((long)rows * length <= MaxElements) points.Add(new Point(true, rows, length, 1));
                }
            }
        }
        if (nonLastAxis)
        {
            foreach (int length in AxisLengths(quick))
            {
                foreach (int inner in InnerSizes(quick))
                {
                    points.Add(new Point(false, Slabs, length, inner));
                }
            }
            // The remainder slab count on a sample of axis lengths (the quick grid's) for the narrow columns.
            foreach (int length in AxisLengths(quick: true))
            {
                for (int inner = 2; inner <= 7; inner++) points.Add(new Point(false, RemainderSlabs, length, inner));
            }
        }
        return points;
    }

    /// <summary>Points written as "2x31x25,32x7": rows x length (last axis) or slabs x length x inner (middle axis).</summary>
    public static List<Point> Parse(string shapes) =>
        [.. shapes.Split(',').Select(shape => shape.Split('x').Select(int.Parse).ToArray()).Select(d => d.Length == 2
            ? new Point(true, d[0], d[1], 1)
            : new Point(false, d[0], d[1], d[2]))];
}
