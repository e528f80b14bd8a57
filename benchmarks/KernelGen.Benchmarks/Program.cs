using System;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Running;
using KernelGen.Benchmarks;
using KernelGen.Benchmarks.Report;

// KernelGen benchmarks. Every BenchmarkDotNet option works (--filter, --list flat, --job, --iterationCount, ...);
// this program adds three of its own:
//   --check             run the self-check only (every baseline's output against Kernels.Softmax), exit 1 if it fails
//   --report            write benchmarks/results/summary.md and summary.csv from the last results, without running anything
//   --results-out DIR   where --report (and the report after a run) writes, instead of benchmarks/results
//   --probe-row-passes  a quick, noise-tolerant two-pass vs three-pass comparison (fastest of alternating batches)
// A benchmark run starts with the self-check and a clock calibration, and ends by writing the report.

string artifacts = OptionValue(args, "--artifacts") ?? Path.Combine(Directory.GetCurrentDirectory(), "BenchmarkDotNet.Artifacts");
string resultsDirectory = Path.Combine(artifacts, "results");
string outputDirectory = OptionValue(args, "--results-out") ?? Path.Combine(RepositoryRoot(), "benchmarks", "results");

if (args.Contains("--check"))
{
    return SelfCheck.Run(Console.Out) ? 0 : 1;
}

if (args.Contains("--probe-row-passes"))
{
    KernelGen.Benchmarks.Suites.RowPassesProbe.Run(Console.Out);
    return 0;
}

if (args.Contains("--report"))
{
    Clock clock = Clock.Load(resultsDirectory) ?? Calibrated(resultsDirectory, "no clock file from the run: calibrating now");
    return SummaryReport.Write(resultsDirectory, outputDirectory, clock, Console.Out);
}

string[] benchmarkArgs = WithoutOption(args, "--results-out");
bool runs = !benchmarkArgs.Any(a => a is "--list" or "--help" or "-h" or "--version" or "--info");
if (runs)
{
    if (!SelfCheck.Run(Console.Out))
    {
        Console.Error.WriteLine("The self-check failed: the baselines do not compute the same softmax; not benchmarking.");
        return 1;
    }
    Calibrated(resultsDirectory, "calibrating the clock");
}

// A default job in the config would win over --job (BenchmarkDotNet adjusts the config's default job instead).
bool namedJob = benchmarkArgs.Any(a => a is "--job" or "-j");
var summaries = BenchmarkSwitcher.FromAssembly(typeof(SuiteConfig).Assembly).Run(benchmarkArgs, SuiteConfig.Create(artifacts, withDefaultJob: !namedJob)).ToList();
if (runs && summaries.Count > 0)
{
    Clock clock = Clock.Load(resultsDirectory) ?? Clock.Calibrate();
    SummaryReport.Write(resultsDirectory, outputDirectory, clock, Console.Out);
}
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;

static Clock Calibrated(string directory, string why)
{
    Console.WriteLine($"Clock: {why}...");
    Clock clock = Clock.Calibrate();
    clock.Save(directory);
    string mhz = clock.CpuInfoMhz is double m ? $" (/proc/cpuinfo: {m:0} MHz)" : "";
    Console.WriteLine($"Clock: {clock.Ghz:0.000} GHz by the calibration loop{mhz}.");
    return clock;
}

static string? OptionValue(string[] args, string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static string[] WithoutOption(string[] args, string name)
{
    int i = Array.IndexOf(args, name);
    return i < 0 ? args : args.Take(i).Concat(args.Skip(i + 2)).ToArray();
}

// The directory holding KernelGen.sln, searched upwards from the working directory, then from the program's own.
static string RepositoryRoot()
{
    foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
    {
        for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KernelGen.sln"))) return dir.FullName;
        }
    }
    return Directory.GetCurrentDirectory();
}
