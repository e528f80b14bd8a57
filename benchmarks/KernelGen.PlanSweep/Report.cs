using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace KernelGen.PlanSweep;

/// <summary>One point of one run: the generated kernel (the chooser's plan), the best candidate and the alternatives.</summary>
internal sealed record PointResult(string Element, string Width, Point Point, Measurement Chosen, Measurement BestCandidate, Measurement BestAlternative, IReadOnlyDictionary<string, double> Alternatives)
{
    /// <summary>How many times faster the generated kernel is than the fastest alternative.</summary>
    public double SpeedUp => BestAlternative.Nanoseconds / Chosen.Nanoseconds;
    public double OverTensorPrimitives => Alternatives["TensorPrimitives"] / Chosen.Nanoseconds;
    /// <summary>How many times faster the best candidate is than the chooser's plan (1 where the chooser picked it).</summary>
    public double Missed => Chosen.Nanoseconds / BestCandidate.Nanoseconds;
}

/// <summary>Summarises the sweep's CSV files: a markdown summary and heat maps.</summary>
internal static class Report
{
    public static void Write(string directory, string? doc)
    {
        var text = new StringBuilder();
        text.AppendLine("# Plan sweep results");
        text.AppendLine();
        text.AppendLine("Written by `dotnet run -c Release --project benchmarks/KernelGen.PlanSweep -- --report " + directory.Replace('\\', '/') + "` from the CSV files beside it.");
        text.AppendLine("Speed-ups are ratios of medians measured in the same process and round-robin (see docs/performance.md, \"The plan sweep\").");
        foreach (string file in Directory.GetFiles(directory, "*.csv").Where(f => !f.EndsWith("-recheck.csv", StringComparison.Ordinal) && !f.EndsWith("-exp-floor.csv", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            (string header, List<Measurement> measurements) = Read(file);
            List<PointResult> results = Summarise(measurements);
            if (results.Count == 0) continue;
            string name = Path.GetFileNameWithoutExtension(file);
            text.AppendLine();
            text.AppendLine($"## {name}");
            text.AppendLine();
            text.AppendLine(header);
            WriteSummary(text, results);
            string recheckFile = Path.Combine(directory, name + "-recheck.csv");
            if (File.Exists(recheckFile)) WriteRecheck(text, Summarise(Read(recheckFile).Measurements));
            // One map for the last axis, one for the middle axis of 2 slabs, one for the middle axis of 37 slabs.
            foreach ((string map, string label, string title, Func<Point, bool> where) in new (string, string, string, Func<Point, bool>)[]
            {
                ("last-axis", "last axis", "last axis, rows by row length", p => p.LastAxis),
                ("non-last-axis", "non-last axis", $"a middle axis, {Grid.Slabs} slabs, inner size by axis length", p => !p.LastAxis && p.Outer == Grid.Slabs),
                ("non-last-axis-remainder", $"non-last axis, {Grid.RemainderSlabs} slabs", $"a middle axis, {Grid.RemainderSlabs} slabs, inner size by axis length", p => !p.LastAxis && p.Outer == Grid.RemainderSlabs),
            })
            {
                List<PointResult> kind = [.. results.Where(r => where(r.Point))];
                if (kind.Count == 0) continue;
                string png = $"{name}-{map}.png";
                HeatMap.Draw(Path.Combine(directory, png), kind, kind[0].Point.LastAxis, $"{name}: {title}");
                text.AppendLine();
                text.AppendLine($"![{name} {label}]({png})");
            }
        }
        File.WriteAllText(Path.Combine(directory, "summary.md"), text.ToString());
        Console.WriteLine($"Wrote {Path.Combine(directory, "summary.md")}");
        _ = doc;
    }

    private static (string Header, List<Measurement> Measurements) Read(string file)
    {
        string[] lines = File.ReadAllLines(file);
        string header = lines.FirstOrDefault(l => l.StartsWith('#'))?.TrimStart('#', ' ') ?? "";
        return (header, [.. lines.Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith("element", StringComparison.Ordinal)).Select(Measurement.Parse)]);
    }

    // The points below 1.0x measured again in a fresh process with three times the rounds (Program.Recheck).
    private static void WriteRecheck(StringBuilder text, List<PointResult> again)
    {
        string F(double v) => v.ToString("F2", CultureInfo.InvariantCulture);
        List<PointResult> still = [.. again.Where(r => r.SpeedUp < 1).OrderBy(r => r.SpeedUp)];
        text.AppendLine();
        text.AppendLine($"Rechecked in a fresh process with three times the rounds (`-recheck.csv`): {still.Count} of the {again.Count} points are still below 1.0x{(still.Count == 0 ? "" : ": " + string.Join(", ", still.Select(r => $"{r.Point.ShapeText} axis {r.Point.Axis} {F(r.SpeedUp)}x ({r.Chosen.Method} against {r.BestAlternative.Method})")))}; the others measured {(again.Count == still.Count ? "-" : $"{F(again.Where(r => r.SpeedUp >= 1).Min(r => r.SpeedUp))}x to {F(again.Where(r => r.SpeedUp >= 1).Max(r => r.SpeedUp))}x")}.");
    }

    public static List<PointResult> Summarise(List<Measurement> measurements) =>
        [.. measurements.GroupBy(m => (m.Element, m.Width, m.Point)).Select(g =>
        {
            Measurement[] candidates = [.. g.Where(m => m.IsCandidate)];
            Measurement[] alternatives = [.. g.Where(m => !m.IsCandidate)];
            Measurement chosen = candidates.FirstOrDefault(m => m.IsChosen) ?? candidates.MinBy(m => m.Nanoseconds)!;
            return new PointResult(g.Key.Element, g.Key.Width, g.Key.Point, chosen, candidates.MinBy(m => m.Nanoseconds)!,
                alternatives.MinBy(m => m.Nanoseconds)!, alternatives.ToDictionary(m => m.Method, m => m.Nanoseconds));
        })];

    private static void WriteSummary(StringBuilder text, List<PointResult> results)
    {
        string F(double v) => v.ToString("F2", CultureInfo.InvariantCulture);
        string Ns(double v) => v < 100 ? v.ToString("F1", CultureInfo.InvariantCulture) : v.ToString("F0", CultureInfo.InvariantCulture);
        string Describe(PointResult r) => $"{r.Point.ShapeText} axis {r.Point.Axis}";
        int below = results.Count(r => r.SpeedUp < 1);
        text.AppendLine();
        text.AppendLine($"- {results.Count} points; the generated kernel is slower than the best alternative on {below} ({F(100.0 * below / results.Count)} %); median speed-up {F(Median(results.Select(r => r.SpeedUp)))}x, lowest {F(results.Min(r => r.SpeedUp))}x.");
        int disagree = results.Count(r => !r.Chosen.Agrees);
        if (disagree > 0) text.AppendLine($"- **{disagree} points where the generated kernel disagrees with Kernels.Softmax.**");
        int missed = results.Count(r => r.Missed > 1.1);
        text.AppendLine($"- Another candidate plan is more than 10 % faster than the chooser's on {missed} points.");
        foreach ((string label, Func<PointResult, bool> where, double target) in new (string, Func<PointResult, bool>, double)[]
        {
            ("last-axis rows of 2 to 15, 32 or more rows", r => r.Point.LastAxis && r.Point.Length is >= 2 and <= 15 && r.Point.Outer >= 32, 4),
            ("last-axis rows of 16 to 64, 32 or more rows", r => r.Point.LastAxis && r.Point.Length is >= 16 and <= 64 && r.Point.Outer >= 32, 2),
        })
        {
            List<PointResult> set = [.. results.Where(where)];
            if (set.Count == 0) continue;
            int under = set.Count(r => r.OverTensorPrimitives < target);
            text.AppendLine($"- {label}: speed-up over TensorPrimitives from {F(set.Min(r => r.OverTensorPrimitives))}x to {F(set.Max(r => r.OverTensorPrimitives))}x; below the target {target}x on {under} of {set.Count}.");
        }
        foreach ((int rows, int length) in new[] { (3, 3), (3, 2), (1, 8) })
        {
            PointResult? r = results.FirstOrDefault(p => p.Point.LastAxis && p.Point.Outer == rows && p.Point.Length == length);
            if (r is not null) text.AppendLine($"- [{rows}, {length}]: {Ns(r.Chosen.Nanoseconds)} ns per call ({r.Chosen.Method}); TensorPrimitives per row {Ns(r.Alternatives["TensorPrimitives"])} ns, scalar loop {Ns(r.Alternatives["scalar loop"])} ns, Kernels.Softmax {Ns(r.Alternatives["Kernels.Softmax"])} ns.");
        }
        List<PointResult> worst = [.. results.Where(r => r.SpeedUp < 1).OrderBy(r => r.SpeedUp).Take(25)];
        if (worst.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Points below 1.0x (worst first, at most 25):");
            text.AppendLine();
            text.AppendLine("| shape | generated plan | ns | best alternative | ns | speed-up |");
            text.AppendLine("| --- | --- | ---: | --- | ---: | ---: |");
            foreach (PointResult r in worst)
            {
                text.AppendLine($"| {Describe(r)} | {r.Chosen.Method} | {Ns(r.Chosen.Nanoseconds)} | {r.BestAlternative.Method} | {Ns(r.BestAlternative.Nanoseconds)} | {F(r.SpeedUp)}x |");
            }
        }
        List<PointResult> misses = [.. results.Where(r => r.Missed > 1.1).OrderByDescending(r => r.Missed).Take(25)];
        if (misses.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Points where another candidate beats the chooser's plan by more than 10 % (largest first, at most 25):");
            text.AppendLine();
            text.AppendLine("| shape | chosen plan | ns | faster candidate | ns | ratio |");
            text.AppendLine("| --- | --- | ---: | --- | ---: | ---: |");
            foreach (PointResult r in misses)
            {
                text.AppendLine($"| {Describe(r)} | {r.Chosen.Method} | {Ns(r.Chosen.Nanoseconds)} | {r.BestCandidate.Method} | {Ns(r.BestCandidate.Nanoseconds)} | {F(r.Missed)}x |");
            }
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
    }
}
