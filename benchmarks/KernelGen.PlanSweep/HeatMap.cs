using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ScottPlot;

namespace KernelGen.PlanSweep;

/// <summary>
/// Draws one heat map: the generated kernel's speed-up over the best alternative at each point, on a log2 colour scale,
/// with the speed-up written in each cell. Columns are row (or axis) lengths, rows are row counts (or inner sizes).
/// </summary>
internal static class HeatMap
{
    public static void Draw(string path, IReadOnlyList<PointResult> results, bool lastAxis, string title)
    {
        int[] columns = [.. results.Select(r => r.Point.Length).Distinct().Order()];
        int[] rows = [.. results.Select(r => r.Point.Across).Distinct().Order()];
        var values = new double[rows.Length, columns.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            for (int j = 0; j < columns.Length; j++) values[i, j] = double.NaN;
        }
        foreach (PointResult r in results)
        {
            values[Array.IndexOf(rows, r.Point.Across), Array.IndexOf(columns, r.Point.Length)] = Math.Clamp(Math.Log2(r.SpeedUp), -2, 4);
        }

        var plot = new Plot();
        var map = plot.Add.Heatmap(values);
        map.Colormap = new ScottPlot.Colormaps.Turbo();
        map.FlipVertically = true;
        map.Extent = new CoordinateRect(-0.5, columns.Length - 0.5, -0.5, rows.Length - 0.5);
        map.ManualRange = new ScottPlot.Range(-2, 4);
        var bar = plot.Add.ColorBar(map);
        bar.Label = "log2 speed-up over the best alternative (0 = equal)";
        foreach (PointResult r in results)
        {
            if (columns.Length > 40 && rows.Length > 20) break; // too many cells to label
            var label = plot.Add.Text(r.SpeedUp.ToString(r.SpeedUp < 10 ? "F1" : "F0", CultureInfo.InvariantCulture),
                Array.IndexOf(columns, r.Point.Length), Array.IndexOf(rows, r.Point.Across));
            label.LabelFontSize = 9;
            label.LabelAlignment = Alignment.MiddleCenter;
            label.LabelFontColor = Colors.Black;
        }
        plot.Axes.Bottom.TickGenerator = Ticks(columns);
        plot.Axes.Left.TickGenerator = Ticks(rows);
        plot.Axes.Bottom.Label.Text = lastAxis ? "row length" : "axis length";
        plot.Axes.Left.Label.Text = lastAxis ? "rows" : "inner size";
        plot.Title(title);
        plot.SavePng(path, Math.Max(600, 60 + columns.Length * 28), Math.Max(300, 140 + rows.Length * 26));
    }

    private static ScottPlot.TickGenerators.NumericManual Ticks(int[] values)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        int step = values.Length > 40 ? 4 : 1;
        for (int i = 0; i < values.Length; i += step) ticks.AddMajor(i, values[i].ToString(CultureInfo.InvariantCulture));
        return ticks;
    }
}
