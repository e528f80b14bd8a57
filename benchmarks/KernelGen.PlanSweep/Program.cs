// The plan sweep (issue #12). Usage, from the repository root:
//   dotnet run -c Release --project benchmarks/KernelGen.PlanSweep -- [--quick | --full] [--types float,double]
//       [--axes last,nonlast] [--shapes 2x31x25,32x7] [--rounds 9] [--out DIR] [--no-rerun] [--no-recheck] [--exp-floor]
//   dotnet run -c Release --project benchmarks/KernelGen.PlanSweep -- --report DIR [--doc docs/performance.md]
// A run writes DIR/<width>-<element>.csv (one line per method and point) and, on a machine with Vector512, reruns
// itself with DOTNET_EnableAVX512=0 for the Vector256 path. --shapes measures only the shapes given (rows x length for the
// last axis, slabs x length x inner for the middle one), to look again at single points. The points where the generated
// kernel came out slower than an alternative are measured again in a fresh process (DIR/<width>-<element>-recheck.csv) unless --no-recheck.
// --exp-floor also times, at each last-axis point, the exp pass alone (ExpFloor: a floor under any kernel with this exp)
// and writes DIR/<width>-<element>-exp-floor.csv. --report reads every CSV in DIR and writes DIR/summary.md
// and one heat map per width, element and axis kind (speed-up of the generated kernel over the best alternative).
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;

namespace KernelGen.PlanSweep;

internal static class Program
{
    public static int Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        if (Environment.GetEnvironmentVariable("DOTNET_ReadyToRun") != "0") return RunWithoutReadyToRun(args);
        string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        bool Flag(string name) => args.Contains(name);

        if (Option("--report") is { } reportDirectory)
        {
            Report.Write(reportDirectory, Option("--doc"));
            return 0;
        }

        bool full = Flag("--full");
        string[] types = (Option("--types") ?? "float,double").Split(',');
        string[] axes = (Option("--axes") ?? "last,nonlast").Split(',');
        int rounds = int.Parse(Option("--rounds") ?? (full ? "7" : "9"), CultureInfo.InvariantCulture);
        string output = Option("--out") ?? Path.Combine("benchmarks", "results", "plan-sweep", MachineName());
        Directory.CreateDirectory(output);

        List<Point> points = Option("--shapes") is { } shapes
            ? Grid.Parse(shapes)
            : Grid.Points(!full, axes.Contains("last"), axes.Contains("nonlast"));
        Console.WriteLine($"Plan sweep on {Machine.Cpu} ({Sweep.Width}): {points.Count} points, {string.Join(", ", types)}, {(full ? "full" : "quick")} grid, {rounds} rounds");
        bool expFloor = Flag("--exp-floor");
        var sweep = new Sweep(rounds, chunkKernels: 48, Console.Out, expFloor);
        var total = Stopwatch.StartNew();
        foreach (string type in types)
        {
            string file = Path.Combine(output, $"{Sweep.Width}-{type}.csv");
            using var writer = new StreamWriter(file);
            writer.WriteLine($"# {Machine.Cpu}; {Sweep.Width}; .NET {Environment.Version}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {(full ? "full" : "quick")} grid; median of {rounds} interleaved rounds; every method jitted (ReadyToRun off)");
            writer.WriteLine(Measurement.Header);
            List<Measurement> measured = [.. type == "double" ? sweep.Run<double>(points) : sweep.Run<float>(points)];
            List<Measurement> results = [.. measured.Where(m => m.Method != ExpFloor.Name)];
            if (expFloor) WriteExpFloor(Path.Combine(output, $"{Sweep.Width}-{type}-exp-floor.csv"), measured, rounds);
            foreach (Measurement m in results)
            {
                writer.WriteLine(m.ToCsv());
                if (!m.Agrees) Console.WriteLine($"DISAGREES with Kernels.Softmax: {m.Method} on {m.Point.ShapeText} axis {m.Point.Axis} ({type})");
            }
            Console.WriteLine($"Wrote {file} ({total.Elapsed.TotalMinutes:F1} min so far)");
            if (!Flag("--no-recheck")) Recheck(type, results, rounds, output);
        }

        if (Sweep.Width == "Vector512" && !Flag("--no-rerun"))
        {
            Console.WriteLine("Again with DOTNET_EnableAVX512=0, for the Vector256 path:");
            int exitCode = RunAgain([.. args, "--no-rerun", "--out", output], "DOTNET_EnableAVX512", "0");
            if (exitCode != 0) return exitCode;
        }
        if (!Flag("--no-rerun")) Report.Write(output, null);
        return 0;
    }

    // The points where the generated kernel came out slower than an alternative, measured again: in a fresh process of
    // their own (a --shapes run of this program, the same environment), compiled in a chunk of their own (a point's
    // kernels are compiled with the 47 others of its chunk, and a loop's placement in the code can move its time by a
    // fifth) and timed with three times the rounds. A kernel's time in a full-grid process, after thousands of others,
    // sometimes differs from a fresh process's by far more: on 2026-12-01 [37, 12, 2] axis 1 (float, Vector256, tiny
    // slabs) took 9000 ns per call in the grid and again in a recheck in the same process, and 1540 ns in a fresh one;
    // double Vector512 kernels ran 4x to 5x slower in one full grid. An application runs its kernels in a process like
    // the fresh one. Written beside the grid's file as -recheck.csv; the report gives both counts.
    private static void Recheck(string type, List<Measurement> results, int rounds, string output)
    {
        List<Point> slower = [.. Report.Summarise(results).Where(r => r.SpeedUp < 1).Select(r => r.Point)];
        string file = Path.Combine(output, $"{Sweep.Width}-{type}-recheck.csv");
        if (slower.Count == 0)
        {
            File.Delete(file);
            return;
        }
        string scratch = Path.Combine(output, $"recheck-{Sweep.Width}-{type}");
        string shapes = string.Join(",", slower.Select(p => string.Join("x", p.Shape)));
        int exitCode = RunAgain(["--shapes", shapes, "--types", type, "--rounds", (3 * rounds).ToString(CultureInfo.InvariantCulture),
            "--no-rerun", "--no-recheck", "--out", scratch], "DOTNET_ReadyToRun", "0");
        if (exitCode != 0) throw new InvalidOperationException($"The recheck of {slower.Count} points failed (exit code {exitCode}).");
        string[] lines = File.ReadAllLines(Path.Combine(scratch, $"{Sweep.Width}-{type}.csv"));
        using (var writer = new StreamWriter(file))
        {
            writer.WriteLine($"# {Machine.Cpu}; {Sweep.Width}; .NET {Environment.Version}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; recheck of the {slower.Count} points below 1.0x in a fresh process; median of {3 * rounds} interleaved rounds; every method jitted (ReadyToRun off)");
            foreach (string line in lines.Where(l => !l.StartsWith('#'))) writer.WriteLine(line);
        }
        Directory.Delete(scratch, recursive: true);
        Console.WriteLine($"Wrote {file}");
    }

    // --exp-floor: per last-axis point, TensorPrimitives, the chooser's kernel and the exp pass alone (ExpFloor), and the
    // two speed-ups over TensorPrimitives: the kernel's, and the most any kernel with this exp could reach.
    private static void WriteExpFloor(string file, List<Measurement> measured, int rounds)
    {
        using var writer = new StreamWriter(file);
        writer.WriteLine($"# {Machine.Cpu}; {Sweep.Width}; .NET {Environment.Version}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; median of {rounds} interleaved rounds, the three methods measured in the same rounds as the plan sweep's others");
        writer.WriteLine("element,width,outer,length,tensor_primitives_ns,generated_ns,exp_floor_ns,generated_speedup,ceiling_speedup");
        foreach (var point in measured.GroupBy(m => m.Point).Where(g => g.Any(m => m.Method == ExpFloor.Name)))
        {
            Measurement floor = point.Single(m => m.Method == ExpFloor.Name);
            double tensorPrimitives = point.Single(m => m.Method == "TensorPrimitives").Nanoseconds;
            double generated = (point.FirstOrDefault(m => m.IsChosen) ?? point.Where(m => m.IsCandidate).MinBy(m => m.Nanoseconds)!).Nanoseconds;
            writer.WriteLine(string.Join(",", floor.Element, floor.Width, point.Key.Outer, point.Key.Length,
                F(tensorPrimitives), F(generated), F(floor.Nanoseconds), F(tensorPrimitives / generated), F(tensorPrimitives / floor.Nanoseconds)));
        }
        Console.WriteLine($"Wrote {file}");

        static string F(double value) => value.ToString("F2", CultureInfo.InvariantCulture);
    }

    // The sweep runs with tiered compilation off (every kernel fully optimised from its first call), and then the
    // runtime never replaces the ahead-of-time (ReadyToRun) code of System.Private.CoreLib: .NET 10's
    // Vector128.Exp(Vector128<double>) runs from it at about 200 ns a call against 6.5 ns jitted (2-core Xeon, fresh
    // process), which made TensorPrimitives and every Vector128 double candidate 10x-30x slower on short rows than in
    // an application, where tiering rejits hot methods. Without ReadyToRun every method is jitted, as an
    // application's hot methods end up.
    private static int RunWithoutReadyToRun(string[] args) => RunAgain(args, "DOTNET_ReadyToRun", "0");

    // This program again in a child process with one more environment variable, started the way this one was (its
    // apphost, or the dotnet host with the assembly).
    private static int RunAgain(string[] args, string variable, string value)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (string a in args) start.ArgumentList.Add(a);
        start.Environment[variable] = value;
        using Process child = Process.Start(start)!;
        child.WaitForExit();
        return child.ExitCode;
    }

    private static string MachineName() => Machine.Cpu.Contains("AMD", StringComparison.Ordinal)
        ? (Machine.HasAvx512 ? "amd-zen4" : "amd-zen3")
        : Machine.HasAvx512 ? "xeon-avx512" : "x64-avx2";
}

/// <summary>The machine, from /proc/cpuinfo where there is one.</summary>
internal static class Machine
{
    public static string Cpu { get; } = Read("model name") ?? Environment.GetEnvironmentVariable("PROCESSOR_IDENTIFIER") ?? "unknown CPU";

    public static bool HasAvx512 => System.Runtime.Intrinsics.X86.Avx512F.IsSupported
        || (Read("flags")?.Split(' ').Contains("avx512f") ?? false);

    private static string? Read(string key)
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
