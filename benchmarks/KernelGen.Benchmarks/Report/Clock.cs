using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace KernelGen.Benchmarks.Report;

/// <summary>
/// The clock that turns nanoseconds into cycles. Measured by a calibration loop: a chain of dependent integer
/// adds and xors, each of which takes one cycle on every x64 core, so chain length / time = cycles per second at
/// the frequency the core really runs (boost included). /proc/cpuinfo's "cpu MHz" is recorded beside it for comparison.
/// </summary>
internal sealed record Clock(double Ghz, string Source, double? CpuInfoMhz, DateTime MeasuredUtc, string LoadAverage)
{
    public const string FileName = "kernelgen-clock.txt";

    /// <summary>
    /// The fastest of many short runs of the dependent chain. A run of about a millisecond usually fits in one
    /// scheduler time slice, so on a shared machine the fastest run is one that nothing interrupted.
    /// </summary>
    public static Clock Calibrate()
    {
        long a = Environment.TickCount64 | 1, b = a >> 3;
        const long iterations = 250_000;              // 8 dependent ops each: 2 M cycles, under 1 ms at 2.5 GHz
        Chain(1000, a, b);                            // JIT and warm up
        double best = double.MaxValue;
        for (int run = 0; run < 400; run++)
        {
            long start = Stopwatch.GetTimestamp();
            Chain(iterations, a, b);
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalNanoseconds);
        }
        double ghz = 8.0 * iterations / best;
        return new Clock(ghz, "calibration loop (dependent add/xor chain, 1 cycle per op; fastest of 400 runs of 2 M cycles)", ReadCpuInfoMhz(), DateTime.UtcNow, ReadLoadAverage());
    }

    // 8 dependent single-cycle ops per iteration; the loop counter runs beside the chain on another port.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static long Chain(long iterations, long a, long b)
    {
        long x = a;
        for (long i = 0; i < iterations; i++)
        {
            x += b; x ^= a; x += b; x ^= a;
            x += b; x ^= a; x += b; x ^= a;
        }
        return x;
    }

    /// <summary>The mean "cpu MHz" of /proc/cpuinfo, or null where there is none.</summary>
    public static double? ReadCpuInfoMhz()
    {
        try
        {
            double[] values = File.ReadLines("/proc/cpuinfo")
                .Where(l => l.StartsWith("cpu MHz", StringComparison.Ordinal))
                .Select(l => double.Parse(l[(l.IndexOf(':') + 1)..].Trim(), CultureInfo.InvariantCulture))
                .ToArray();
            return values.Length == 0 ? null : values.Average();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The 1, 5 and 15 minute load averages of /proc/loadavg (how busy the machine was), or "" where there are none.</summary>
    public static string ReadLoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>The processor's model name from /proc/cpuinfo, or the environment's description.</summary>
    public static string ProcessorName()
    {
        try
        {
            string? line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null) return line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return System.Runtime.InteropServices.RuntimeInformation.OSDescription;
    }

    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllLines(Path.Combine(directory, FileName),
        [
            "ghz=" + Ghz.ToString("R", CultureInfo.InvariantCulture),
            "source=" + Source,
            "cpuinfo_mhz=" + (CpuInfoMhz?.ToString("R", CultureInfo.InvariantCulture) ?? ""),
            "measured_utc=" + MeasuredUtc.ToString("O", CultureInfo.InvariantCulture),
            "load_average=" + LoadAverage,
        ]);
    }

    public static Clock? Load(string directory)
    {
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) return null;
        var values = File.ReadAllLines(path)
            .Select(l => l.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1]);
        if (!values.TryGetValue("ghz", out string? ghz)) return null;
        double? mhz = values.TryGetValue("cpuinfo_mhz", out string? m) && m.Length > 0 ? double.Parse(m, CultureInfo.InvariantCulture) : null;
        DateTime when = values.TryGetValue("measured_utc", out string? t) ? DateTime.Parse(t, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind) : File.GetLastWriteTimeUtc(path);
        return new Clock(double.Parse(ghz, CultureInfo.InvariantCulture), values.GetValueOrDefault("source", "saved"), mhz, when,
            values.GetValueOrDefault("load_average", ""));
    }
}
