using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ScottPlot;

namespace KernelGen.PlanSweep;

/// <summary>
/// Draws one heat map: the generated kernel's speed-up over the best alternative at each point, on a log2 colour scale,
/// with the speed-up written in each cell (clamped to 0.25x .. 16x for the colour). Columns are row (or axis) lengths, rows are row counts (or inner sizes).
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
            values[Array.IndexOf(rows, r.Point.Across), Array.IndexOf(columns, r.Point.Length)] = Math.Log2(r.SpeedUp);
        }

        var plot = new Plot();
        var colormap = new ScottPlot.Colormaps.Turbo();
        bool label = columns.Length * rows.Length <= 1200;
        for (int i = 0; i < rows.Length; i++)
        {
            for (int j = 0; j < columns.Length; j++)
            {
                if (double.IsNaN(values[i, j])) continue;
                double fraction = Math.Clamp((values[i, j] + 2) / 6, 0, 1); // log2 speed-up -2 .. 4
                var cell = plot.Add.Rectangle(j - 0.5, j + 0.5, i - 0.5, i + 0.5);
                cell.FillStyle.Color = colormap.GetColor(fraction);
                cell.LineStyle.Width = 0;
                if (!label) continue;
                double speedUp = Math.Pow(2, values[i, j]);
                var text = plot.Add.Text(speedUp.ToString(speedUp < 10 ? "F1" : "F0", CultureInfo.InvariantCulture), j, i);
                text.LabelFontSize = 9;
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontColor = fraction > 0.8 || fraction < 0.15 ? Colors.White : Colors.Black;
            }
        }
        plot.Axes.SetLimits(-0.5, columns.Length - 0.5, -0.5, rows.Length - 0.5);
        plot.Axes.Bottom.TickGenerator = Ticks(columns);
        plot.Axes.Left.TickGenerator = Ticks(rows);
        plot.Axes.Bottom.Label.Text = lastAxis ? "row length" : "axis length";
        plot.Axes.Left.Label.Text = lastAxis ? "rows" : "inner size";
        plot.Title(title + "\nspeed-up of the generated kernel over the best alternative\n(colour: blue 0.25x, green 1x, red 16x or more)");
        plot.SavePng(path, Math.Max(760, 80 + columns.Length * 28), Math.Max(340, 170 + rows.Length * 26));
    }

    private static ScottPlot.TickGenerators.NumericManual Ticks(int[] values)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        int step = values.Length > 40 ? 4 : 1;
        for (int i = 0; i < values.Length; i += step) ticks.AddMajor(i, values[i].ToString(CultureInfo.InvariantCulture));
        return ticks;
    }
}
