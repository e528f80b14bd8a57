using System.Globalization;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using Perfolizer.Horology;
using Perfolizer.Metrology;

namespace KernelGen.Benchmarks;

/// <summary>
/// The suite's BenchmarkDotNet configuration: a short default job (3 warm-up and 10 measured iterations of about
/// 250 ms each, one launch, tier-1 JIT without the call-counting delay) that keeps the whole suite near ten minutes, a GitHub markdown report, and a CSV report in
/// plain nanoseconds and bytes that <c>--report</c> reads.
/// </summary>
internal static class SuiteConfig
{
    /// <param name="artifactsPath">BenchmarkDotNet's artifacts directory (results go to its results/ folder).</param>
    /// <param name="withDefaultJob">
    /// True: add the short job, marked as the default, so BenchmarkDotNet's options (<c>--iterationCount 30</c>,
    /// <c>--launchCount 3</c>...) adjust it. False when <c>--job</c> names one of BenchmarkDotNet's jobs, which then runs instead.
    /// </param>
    public static IConfig Create(string artifactsPath, bool withDefaultJob)
    {
        Job job = Job.Default
            .WithWarmupCount(3)
            .WithIterationCount(10)
            .WithIterationTime(TimeInterval.FromMilliseconds(250))
            .WithLaunchCount(1)
            // Tier-1 code from the start of call counting, not after the runtime's 100 ms quiet period: on a loaded
            // machine that period kept restarting and TensorPrimitives [12, 128, 128] ran tier-0 code through all 3
            // warm-up and 9 of 10 measured iterations (5.4 ms a call instead of 0.45 ms). Only when tier 1 arrives changes;
            // the tier-1 code (with dynamic PGO) is the same.
            .WithEnvironmentVariable("DOTNET_TC_CallCountingDelayMs", "0")
            .WithId("KernelGenDefault")
            .AsDefault();

        // Plain numbers in the CSV cells, the unit in the header ("Mean [ns]", "Allocated [B]").
        var csvStyle = new SummaryStyle(CultureInfo.InvariantCulture, printUnitsInHeader: true, SizeUnit.B, TimeUnit.Nanosecond,
            printUnitsInContent: false, printZeroValuesInContent: true);

        IConfig defaults = DefaultConfig.Instance;
        ManualConfig config = ManualConfig.CreateMinimumViable();
        if (withDefaultJob)
        {
            config.AddJob(job);
        }
        return config
            .AddValidator(defaults.GetValidators().ToArray())
            .AddAnalyser(defaults.GetAnalysers().ToArray())
            .AddExporter(MarkdownExporter.GitHub)
            .AddExporter(new CsvExporter(CsvSeparator.Comma, csvStyle))
            .WithArtifactsPath(artifactsPath);
    }
}
