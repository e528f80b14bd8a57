using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace KernelGen.Generator.Benchmarks;

public static class Program
{
    /// <summary>
    /// A short job, in process (the generator is measured, not the JIT of a separately built copy); pass
    /// BenchmarkDotNet's options after <c>--</c>, e.g. <c>--filter *Incremental*</c>.
    /// </summary>
    public static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(
            args.Length == 0 ? ["--filter", "*"] : args,
            DefaultConfig.Instance
                .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
                .AddDiagnoser(MemoryDiagnoser.Default)
                .AddColumn(StatisticColumn.Min, StatisticColumn.Median)); // on a shared machine the minimum says most
}
