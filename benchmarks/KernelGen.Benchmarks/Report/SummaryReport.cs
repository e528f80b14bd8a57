using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace KernelGen.Benchmarks.Report;

/// <summary>
/// Builds <c>summary.md</c> and <c>summary.csv</c> from BenchmarkDotNet's <c>*-report.csv</c> files: time per call,
/// the generated kernel's ratios against each baseline, ns per element and elements per cycle, the exp comparison
/// and the two-pass/three-pass crossover.
/// </summary>
internal static class SummaryReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static readonly string[] SoftmaxMethods = ["Generated", "Generic", "TensorPrimitives", "ScalarLoop", "OnnxRuntime", "OnnxRuntimeIoBinding"];

    private static readonly Dictionary<string, string> MethodTitles = new()
    {
        ["Generated"] = "KernelGen generated",
        ["Generic"] = "Kernels.Softmax (generic)",
        ["TensorPrimitives"] = "TensorPrimitives.SoftMax",
        ["ScalarLoop"] = "scalar loop",
        ["OnnxRuntime"] = "ONNX Runtime (Run)",
        ["OnnxRuntimeIoBinding"] = "ONNX Runtime (IoBinding)",
    };

    /// <summary>Writes the summary; returns 0, or 1 when no result file was found.</summary>
    public static int Write(string resultsDirectory, string outputDirectory, Clock clock, TextWriter log)
    {
        List<Result> softmax = Read(resultsDirectory, "SoftmaxBenchmarks", "Shape", out string? softmaxFile);
        List<Result> exp = Read(resultsDirectory, "ExpBenchmarks", "Data", out string? expFile);
        List<Result> passes = Read(resultsDirectory, "RowPassesBenchmarks", "Log2Length", out string? passesFile);
        if (softmaxFile is null && expFile is null && passesFile is null)
        {
            log.WriteLine($"No BenchmarkDotNet result files (*SoftmaxBenchmarks-report.csv, *ExpBenchmarks-report.csv, *RowPassesBenchmarks-report.csv) in {resultsDirectory}.");
            return 1;
        }

        var md = new StringBuilder();
        var csv = new StringBuilder();
        csv.AppendLine("suite,case,method,elements,mean_ns,stddev_ns,ns_per_element,elements_per_cycle,allocated_bytes,generated_speedup");

        md.AppendLine("# KernelGen benchmark summary");
        md.AppendLine();
        md.AppendLine($"Written {DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", Invariant)} UTC by `--report` from BenchmarkDotNet's result files in `{Path.GetRelativePath(Directory.GetCurrentDirectory(), resultsDirectory)}`:");
        foreach (string? file in new[] { softmaxFile, expFile, passesFile })
        {
            if (file is not null) md.AppendLine($"- `{Path.GetFileName(file)}` (run finished {File.GetLastWriteTimeUtc(file).ToString("yyyy-MM-dd HH:mm", Invariant)} UTC; job: {JobOf(file)})");
        }
        md.AppendLine();
        string load = clock.LoadAverage.Length > 0 ? $" Load average (1, 5, 15 min) when the run started: {clock.LoadAverage} ({Clock.ReadLoadAverage()} now)." : "";
        md.AppendLine($"Machine: {Clock.ProcessorName()}, {Environment.ProcessorCount} logical cores, .NET {Environment.Version}.{load}");
        string cpuinfo = clock.CpuInfoMhz is double mhz ? $"; /proc/cpuinfo reports {mhz:0} MHz" : "";
        md.AppendLine($"Clock used for cycles: **{clock.Ghz:0.00} GHz**, from the {clock.Source} at {clock.MeasuredUtc.ToString("yyyy-MM-dd HH:mm", Invariant)} UTC{cpuinfo}. " +
            "Elements per cycle = elements / (ns per call x GHz).");
        md.AppendLine();
        md.AppendLine("Times are BenchmarkDotNet means per call. A short job on a shared, noisy machine is good for direction only; " +
            "read the ratios, and re-run on a quiet machine before quoting absolute numbers.");
        md.AppendLine();

        if (softmax.Count > 0) WriteSoftmax(md, csv, softmax, clock);
        if (exp.Count > 0) WriteExp(md, csv, exp, clock);
        if (passes.Count > 0) WritePasses(md, csv, passes, clock);

        Directory.CreateDirectory(outputDirectory);
        string mdPath = Path.Combine(outputDirectory, "summary.md");
        string csvPath = Path.Combine(outputDirectory, "summary.csv");
        File.WriteAllText(mdPath, md.ToString());
        File.WriteAllText(csvPath, csv.ToString());
        log.WriteLine($"Wrote {mdPath} and {csvPath}.");
        return 0;
    }

    private static void WriteSoftmax(StringBuilder md, StringBuilder csv, List<Result> results, Clock clock)
    {
        var shapes = ShapeCase.All.Where(s => results.Any(r => r.Case == s.Name)).ToList();
        string[] methods = SoftmaxMethods.Where(m => results.Any(r => r.Method == m)).ToArray();

        md.AppendLine("## Softmax (float, normal(0, 20) data, one call = the whole tensor)");
        md.AppendLine();
        (string, Func<ShapeCase, string>)[] MethodColumns(Func<ShapeCase, Result, string> format) =>
            methods.Select(m => (MethodTitles[m], (Func<ShapeCase, string>)(shape =>
                Find(results, shape.Name, m) is Result r ? format(shape, r) : "-"))).ToArray();

        ShapeTable(md, "Time per call:", shapes,
            [("Elements", shape => shape.Count.ToString(Invariant)), .. MethodColumns((_, r) => FormatTime(r.MeanNs))]);

        string[] others = ["TensorPrimitives", "OnnxRuntime", "OnnxRuntimeIoBinding", "ScalarLoop", "Generic"];
        ShapeTable(md, "How many times faster the generated kernel is (the other method's time / the generated kernel's time; above 1 = generated is faster):", shapes,
            others.Select(other => ("vs " + MethodTitles[other], (Func<ShapeCase, string>)(shape =>
                Find(results, shape.Name, "Generated") is Result generated && Find(results, shape.Name, other) is Result r
                    ? $"{r.MeanNs / generated.MeanNs:0.00}x"
                    : "-"))).ToArray());

        ShapeTable(md, "ns per element / elements per cycle:", shapes,
            MethodColumns((shape, r) => $"{r.MeanNs / shape.Count:0.000} / {PerCycle(shape.Count, r.MeanNs, clock):0.000}"));

        ShapeTable(md, "Managed bytes allocated per call (BenchmarkDotNet's memory diagnoser):", shapes,
            MethodColumns((_, r) => r.AllocatedBytes is double b ? b.ToString("0", Invariant) : "-"));

        md.AppendLine("Notes: every generated kernel here has a plan specialised for its shape (see docs/plans.md): rows of 2 and 3 " +
            "transposed across lanes, rows in registers or in cache, columns across the inner dimension for a non-last axis. " +
            "TensorPrimitives.SoftMax does not subtract the row max " +
            "(it overflows to NaN for elements above ~88.7); for a non-last axis it runs on each column gathered into a buffer.");
        md.AppendLine();

        foreach (ShapeCase shape in shapes)
        {
            Result? generated = Find(results, shape.Name, "Generated");
            foreach (string method in methods)
            {
                Result? r = Find(results, shape.Name, method);
                if (r is null) continue;
                string speedup = generated is null ? "" : (r.MeanNs / generated.MeanNs).ToString("0.####", Invariant);
                CsvRow(csv, "softmax", shape.Name, method, shape.Count, r, clock, speedup);
            }
        }
    }

    private static void WriteExp(StringBuilder md, StringBuilder csv, List<Result> results, Clock clock)
    {
        const int elements = Suites.ExpBenchmarks.Length;
        md.AppendLine($"## exp: VectorMath.Exp(Vector256<float>) vs .NET's Vector256.Exp(Vector256<float>) ({elements} floats per call, in L1)");
        md.AppendLine();
        md.AppendLine("| Data | Vector256.Exp | VectorMath.Exp | VectorMath / Vector256 time | VectorMath ns/element | VectorMath elements/cycle | Vector256 elements/cycle |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (string data in new[] { "XMinusMax", "Small" })
        {
            Result? bcl = Find(results, data, "DotNetVector256Exp");
            Result? ours = Find(results, data, "KernelGenExp");
            if (bcl is null || ours is null) continue;
            string title = data == "XMinusMax" ? "normal(0, 20) clamped to <= 0" : "uniform [-1, 0]";
            md.AppendLine($"| {title} | {FormatTime(bcl.MeanNs)} | {FormatTime(ours.MeanNs)} | {ours.MeanNs / bcl.MeanNs:0.00} | " +
                $"{ours.MeanNs / elements:0.000} | {PerCycle(elements, ours.MeanNs, clock):0.00} | {PerCycle(elements, bcl.MeanNs, clock):0.00} |");
            CsvRow(csv, "exp", data, "DotNetVector256Exp", elements, bcl, clock, "");
            CsvRow(csv, "exp", data, "KernelGenExp", elements, ours, clock, "");
        }
        md.AppendLine();
    }

    private static void WritePasses(StringBuilder md, StringBuilder csv, List<Result> results, Clock clock)
    {
        md.AppendLine("## One long row: two-pass (online max and sum) vs three-pass row kernel (float, Vector256)");
        md.AppendLine();
        md.AppendLine("| Row length | Input + output | Three-pass | Two-pass | Two-pass / three-pass time | Three-pass elements/cycle | Two-pass elements/cycle |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        var ratios = new List<(int Log2, double Ratio)>();
        foreach (string log2Text in results.Select(r => r.Case).Distinct().OrderBy(c => int.Parse(c, Invariant)))
        {
            int log2 = int.Parse(log2Text, Invariant);
            long n = 1L << log2;
            Result? three = Find(results, log2Text, "ThreePass");
            Result? two = Find(results, log2Text, "TwoPass");
            if (three is null || two is null) continue;
            double ratio = two.MeanNs / three.MeanNs;
            ratios.Add((log2, ratio));
            md.AppendLine($"| 2^{log2} | {FormatBytes(2 * 4 * n)} | {FormatTime(three.MeanNs)} | {FormatTime(two.MeanNs)} | {ratio:0.00} | " +
                $"{PerCycle(n, three.MeanNs, clock):0.00} | {PerCycle(n, two.MeanNs, clock):0.00} |");
            CsvRow(csv, "row-passes", log2Text, "ThreePass", n, three, clock, "");
            CsvRow(csv, "row-passes", log2Text, "TwoPass", n, two, clock, "");
        }
        md.AppendLine();
        // The crossover: the smallest measured length from which two-pass is faster at that length and every larger one.
        int? crossover = null;
        for (int i = ratios.Count - 1; i >= 0 && ratios[i].Ratio < 1; i--) crossover = ratios[i].Log2;
        md.AppendLine(crossover is int c
            ? $"Crossover: two-pass is faster from 2^{c} elements ({FormatBytes(4L << c)} per row) on, at every measured length."
            : "Crossover: two-pass was not faster at the largest measured lengths; the three-pass kernel stays the better choice.");
        md.AppendLine();
    }

    // A markdown table with one row a shape: its caption, then the header and a cell a column.
    private static void ShapeTable(StringBuilder md, string caption, IEnumerable<ShapeCase> shapes, IReadOnlyList<(string Header, Func<ShapeCase, string> Cell)> columns)
    {
        md.AppendLine(caption);
        md.AppendLine();
        md.AppendLine("| Shape | " + string.Join(" | ", columns.Select(c => c.Header)) + " |");
        md.AppendLine("|---|" + string.Concat(columns.Select(_ => "---:|")));
        foreach (ShapeCase shape in shapes)
        {
            md.AppendLine($"| {shape.Display} | " + string.Join(" | ", columns.Select(c => c.Cell(shape))) + " |");
        }
        md.AppendLine();
    }

    private static void CsvRow(StringBuilder csv, string suite, string @case, string method, long elements, Result r, Clock clock, string speedup)
    {
        csv.Append(suite).Append(',').Append(@case).Append(',').Append(method).Append(',').Append(elements.ToString(Invariant)).Append(',')
            .Append(r.MeanNs.ToString("0.###", Invariant)).Append(',')
            .Append(r.StdDevNs?.ToString("0.###", Invariant) ?? "").Append(',')
            .Append((r.MeanNs / elements).ToString("0.#####", Invariant)).Append(',')
            .Append(PerCycle(elements, r.MeanNs, clock).ToString("0.#####", Invariant)).Append(',')
            .Append(r.AllocatedBytes?.ToString("0", Invariant) ?? "").Append(',')
            .Append(speedup).AppendLine();
    }

    private static double PerCycle(long elements, double ns, Clock clock) => elements / (ns * clock.Ghz);

    private static Result? Find(List<Result> results, string @case, string method) =>
        results.FirstOrDefault(r => r.Case == @case && r.Method == method);

    private static string FormatTime(double ns) =>
        ns >= 1e6 ? $"{ns / 1e6:0.00} ms" : ns >= 1e3 ? $"{ns / 1e3:0.00} us" : $"{ns:0.0} ns";

    private static string FormatBytes(long bytes) =>
        bytes >= 1 << 20 ? $"{bytes >> 20} MiB" : $"{bytes >> 10} KiB";

    private sealed record Result(string Case, string Method, double MeanNs, double? StdDevNs, double? AllocatedBytes, string Job);

    // The newest *<suite>-report.csv in the directory, parsed; Case is the value of the parameter column.
    private static List<Result> Read(string directory, string suite, string parameter, out string? file)
    {
        file = Directory.Exists(directory)
            ? Directory.GetFiles(directory, $"*{suite}-report.csv").OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
            : null;
        var results = new List<Result>();
        if (file is null) return results;
        List<string[]> rows = ParseCsv(File.ReadAllText(file));
        if (rows.Count < 2) return results;
        string[] header = rows[0];
        int Column(string name) => Array.FindIndex(header, h => h == name || h.StartsWith(name + " [", StringComparison.Ordinal));
        int method = Column("Method"), param = Column(parameter), mean = Column("Mean"), stdDev = Column("StdDev"), allocated = Column("Allocated"), job = Column("Job");
        if (method < 0 || param < 0 || mean < 0) return results;
        string meanUnit = UnitOf(header[mean]), stdDevUnit = stdDev < 0 ? "" : UnitOf(header[stdDev]), allocatedUnit = allocated < 0 ? "" : UnitOf(header[allocated]);
        foreach (string[] row in rows.Skip(1))
        {
            if (row.Length <= Math.Max(method, Math.Max(param, mean))) continue;
            double? meanNs = ParseTime(row[mean], meanUnit);
            if (meanNs is null) continue; // a benchmark that failed (NA)
            results.Add(new Result(row[param], row[method], meanNs.Value,
                stdDev < 0 ? null : ParseTime(row[stdDev], stdDevUnit),
                allocated < 0 ? null : ParseBytes(row[allocated], allocatedUnit),
                job < 0 ? "" : row[job]));
        }
        return results;
    }

    private static string JobOf(string file)
    {
        List<string[]> rows = ParseCsv(File.ReadAllText(file));
        if (rows.Count < 2) return "?";
        string[] header = rows[0];
        string Get(string name)
        {
            int i = Array.IndexOf(header, name);
            return i >= 0 && i < rows[1].Length ? rows[1][i] : "?";
        }
        return $"{Get("Job")}, warmup {Get("WarmupCount")}, iterations {Get("IterationCount")}, iteration time {Get("IterationTime")}, launches {Get("LaunchCount")}";
    }

    // "Mean [ns]" -> "ns"; "Mean" -> "" (units then sit in the cells).
    private static string UnitOf(string header)
    {
        int open = header.IndexOf('[');
        return open < 0 ? "" : header[(open + 1)..header.IndexOf(']')];
    }

    private static double? ParseTime(string cell, string headerUnit)
    {
        (double? value, string unit) = SplitNumber(cell);
        if (value is null) return null;
        unit = unit.Length > 0 ? unit : headerUnit;
        return unit switch
        {
            "ns" or "" => value,
            "us" or "μs" or "µs" => value * 1e3,
            "ms" => value * 1e6,
            "s" => value * 1e9,
            _ => null,
        };
    }

    private static double? ParseBytes(string cell, string headerUnit)
    {
        if (cell.Trim() == "-") return 0;
        (double? value, string unit) = SplitNumber(cell);
        if (value is null) return null;
        unit = unit.Length > 0 ? unit : headerUnit;
        return unit switch
        {
            "B" or "" => value,
            "KB" => value * 1024,
            "MB" => value * 1024 * 1024,
            "GB" => value * 1024 * 1024 * 1024,
            _ => null,
        };
    }

    private static (double? Value, string Unit) SplitNumber(string cell)
    {
        string text = cell.Trim().Replace(",", "", StringComparison.Ordinal);
        int space = text.IndexOf(' ');
        string number = space < 0 ? text : text[..space];
        string unit = space < 0 ? "" : text[(space + 1)..].Trim();
        return double.TryParse(number, NumberStyles.Float, Invariant, out double v) ? (v, unit) : (null, unit);
    }

    // RFC 4180: fields separated by commas, quoted when they hold commas, quotes or newlines.
    private static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else field.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (ch == '\n' || ch == '\r')
            {
                if (ch == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                row.Add(field.ToString());
                field.Clear();
                if (row.Count > 1 || row[0].Length > 0) rows.Add(row.ToArray());
                row.Clear();
            }
            else field.Append(ch);
        }
        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            rows.Add(row.ToArray());
        }
        return rows;
    }
}
