using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace KernelGen.Generator.Benchmarks;

public static class Program
{
    /// <summary>
    /// In process (the generator is measured, not the JIT of a separately built copy), 10 warm-up and 15 measured
    /// iterations of 250 ms: with fewer the JIT has not settled and the incremental times are still falling. Pass
    /// BenchmarkDotNet's options after <c>--</c>, e.g. <c>--filter *Incremental*</c>. Afterwards KernelGen's
    /// figures as ratios to each baseline are written to benchmarks/results/generator.md and generator.csv
    /// (<c>--results-out DIR</c> to write elsewhere).
    /// </summary>
    public static void Main(string[] args)
    {
        string? resultsOut = null;
        var rest = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--results-out" && i + 1 < args.Length) resultsOut = args[++i];
            else rest.Add(args[i]);
        }
        IEnumerable<Summary> summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(
            rest.Count == 0 ? ["--filter", "*"] : [.. rest],
            DefaultConfig.Instance
                .AddJob(Job.Default
                    .WithWarmupCount(10).WithIterationCount(15).WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(250))
                    .WithToolchain(InProcessEmitToolchain.Instance))
                .AddDiagnoser(MemoryDiagnoser.Default)
                .AddColumn(StatisticColumn.Min, StatisticColumn.Median)); // on a shared machine the minimum says most
        List<BenchmarkReport> reports = [.. summaries.SelectMany(s => s.Reports).Where(r => r.ResultStatistics is not null)];
        if (reports.Count == 0) return;
        string directory = resultsOut ?? Path.Combine(RepositoryRoot(), "benchmarks", "results");
        Directory.CreateDirectory(directory);
        (string markdown, string csv) = Report(reports);
        File.WriteAllText(Path.Combine(directory, "generator.md"), markdown);
        File.WriteAllText(Path.Combine(directory, "generator.csv"), csv);
        Console.WriteLine(markdown);
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? d = new(Directory.GetCurrentDirectory()); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "KernelGen.sln"))) return d.FullName;
        }
        return Directory.GetCurrentDirectory();
    }

    private sealed record Row(string Method, string Generator, double MinMs, double MedianMs, double MeanMs, long Bytes);

    private static (string Markdown, string Csv) Report(List<BenchmarkReport> reports)
    {
        var rows = reports.Select(r => new Row(
            r.BenchmarkCase.Descriptor.WorkloadMethod.Name,
            r.BenchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "Under")?.Value?.ToString() ?? "",
            r.ResultStatistics!.Min / 1e6, r.ResultStatistics.Median / 1e6, r.ResultStatistics.Mean / 1e6,
            r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase) ?? 0)).ToList();
        CultureInfo c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        var csv = new StringBuilder("Method,Generator,MinMs,MedianMs,MeanMs,AllocatedBytes,MedianRatioToNoOutput,MedianRatioToConstantFile,MedianRatioToBindTypes,AllocRatioToNoOutput,AllocRatioToConstantFile,AllocRatioToBindTypes\n");
        md.AppendLine($"Run of {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} logical cores, .NET {Environment.Version}, load average at the end: {LoadAverage()}.");
        md.AppendLine();
        md.AppendLine("| Benchmark | Generator | Min | Median | Mean | Allocated | Median / NoOutput | Median / ConstantFile | Median / BindTypes | Alloc / NoOutput | Alloc / ConstantFile | Alloc / BindTypes |");
        md.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        string[] baselines = ["NoOutput", "ConstantFile", "BindTypes"];
        foreach (Row row in rows)
        {
            Row?[] bases = [.. baselines.Select(b => row.Generator.Length == 0 ? null : rows.FirstOrDefault(o => o.Method == row.Method && o.Generator == b))];
            string Ratio(double a, double? b) => b is > 0 ? (a / b.Value).ToString("0.00", c) : "";
            string[] time = [.. bases.Select(b => Ratio(row.MedianMs, b?.MedianMs))];
            string[] alloc = [.. bases.Select(b => Ratio(row.Bytes, b?.Bytes))];
            md.AppendLine(string.Create(c, $"| {row.Method} | {row.Generator} | {row.MinMs:0.00} ms | {row.MedianMs:0.00} ms | {row.MeanMs:0.00} ms | {row.Bytes / 1024.0:0} KB | {string.Join(" | ", time)} | {string.Join(" | ", alloc)} |"));
            csv.AppendLine(string.Create(c, $"{row.Method},{row.Generator},{row.MinMs:0.000},{row.MedianMs:0.000},{row.MeanMs:0.000},{row.Bytes},{string.Join(",", time)},{string.Join(",", alloc)}"));
        }
        if (EmitterBenchmarks.Characters > 0)
        {
            md.AppendLine();
            md.AppendLine(string.Create(c, $"The 200 kernels' generated files hold {EmitterBenchmarks.Characters:N0} characters."));
        }
        return (md.ToString(), csv.ToString());
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Aggregate((a, b) => a + " " + b);
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
