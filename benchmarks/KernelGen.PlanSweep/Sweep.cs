using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Numerics;
using System.Runtime.Loader;
using KernelGen.Generator.Model;
using KernelGen.Generator.Planning;

namespace KernelGen.PlanSweep;

/// <summary>One method's median time at one point.</summary>
internal sealed record Measurement(string Element, string Width, Point Point, string Method, bool IsCandidate, bool IsChosen, double Nanoseconds, bool Agrees)
{
    public const string Header = "element,width,last_axis,outer,length,inner,method,candidate,chosen,ns_per_call,agrees";

    public string ToCsv() => string.Join(",", Element, Width, Point.LastAxis ? "1" : "0", Point.Outer, Point.Length, Point.Inner,
        "\"" + Method + "\"", IsCandidate ? "1" : "0", IsChosen ? "1" : "0", Nanoseconds.ToString("F2", CultureInfo.InvariantCulture), Agrees ? "1" : "0");

    public static Measurement Parse(string line)
    {
        int open = line.IndexOf('"'), close = line.LastIndexOf('"');
        string[] head = line[..open].TrimEnd(',').Split(','), tail = line[(close + 1)..].TrimStart(',').Split(',');
        var point = new Point(head[2] == "1", int.Parse(head[3], CultureInfo.InvariantCulture), int.Parse(head[4], CultureInfo.InvariantCulture), int.Parse(head[5], CultureInfo.InvariantCulture));
        return new Measurement(head[0], head[1], point, line[(open + 1)..close], tail[0] == "1", tail[1] == "1",
            double.Parse(tail[2], CultureInfo.InvariantCulture), tail[3] == "1");
    }
}

/// <summary>
/// Measures every candidate plan and every alternative at each point, a chunk of points at a time: the chunk's kernels
/// are compiled together, each point's methods are timed in interleaved rounds (every method once per round, in a
/// rotating order, a batch of calls of about <see cref="BatchNanoseconds"/> each), and the median of the rounds is kept.
/// </summary>
internal sealed class Sweep(int rounds, int chunkKernels, TextWriter log, bool expFloor = false)
{
    private const double BatchNanoseconds = 20_000;
    private readonly KernelCompiler _compiler = new();

    public static string Width => System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "Vector512"
        : System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? "Vector256"
        : System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated ? "Vector128" : "scalar";

    public IEnumerable<Measurement> Run<T>(IReadOnlyList<Point> points)
        where T : unmanaged, IExponentialFunctions<T>, IFloatingPointIeee754<T>
    {
        ElementKind element = typeof(T) == typeof(float) ? ElementKind.Float : ElementKind.Double;
        string widest = Width == "Vector512" ? "Vector512" : "Vector256";
        int next = 0, serial = 0;
        while (next < points.Count)
        {
            // A chunk: points until it holds about chunkKernels kernels.
            var chunk = new List<(Point Point, List<PlanCandidates.Candidate> Candidates, KernelPlan Chosen)>();
            var requests = new List<KernelRequest>();
            while (next < points.Count && (requests.Count < chunkKernels || chunk.Count == 0))
            {
                Point point = points[next++];
                KernelSpec spec = KernelCompiler.Spec(point, element);
                List<PlanCandidates.Candidate> candidates = PlanCandidates.For(spec, widest);
                chunk.Add((point, candidates, PlanChooser.Choose(spec)));
                foreach (PlanCandidates.Candidate candidate in candidates) requests.Add(new KernelRequest("K" + serial++, spec, candidate.Plan));
            }
            var watch = Stopwatch.StartNew();
            (AssemblyLoadContext context, Delegate[] kernels) = _compiler.Compile(requests);
            double compileSeconds = watch.Elapsed.TotalSeconds;
            int k = 0;
            foreach (var (point, candidates, chosen) in chunk)
            {
                var methods = new List<(string Name, bool IsCandidate, bool IsChosen, Kernel<T> Run)>();
                foreach (PlanCandidates.Candidate candidate in candidates)
                {
                    methods.Add((candidate.Name, true, IsChosen(candidate.Plan, chosen, widest), (Kernel<T>)kernels[k++]));
                }
                if (expFloor && point.LastAxis) methods.Add((ExpFloor.Name, false, false, ExpFloor.For<T>()));
                foreach (var (name, run) in new Alternatives<T>(point).All) methods.Add((name, false, false, run));
                foreach (Measurement m in Measure(point, methods)) yield return m;
            }
            log.WriteLine($"{typeof(T).Name} {Width}: {next}/{points.Count} points ({requests.Count} kernels compiled in {compileSeconds:F1} s, measured in {watch.Elapsed.TotalSeconds - compileSeconds:F1} s)");
            kernels = [];
            context.Unload();
        }
    }

    // Whether the candidate is the chooser's plan for the path that runs on this machine.
    private static bool IsChosen(KernelPlan candidate, KernelPlan chosen, string widest)
    {
        PathPlan? Running(KernelPlan plan) =>
            widest == "Vector512" && plan.Vector512 is not null ? plan.Vector512 : plan.Vector256 ?? plan.Vector128;
        return Equals(Running(candidate), Running(chosen));
    }

    private List<Measurement> Measure<T>(Point point, List<(string Name, bool IsCandidate, bool IsChosen, Kernel<T> Run)> methods)
        where T : unmanaged, IExponentialFunctions<T>, IFloatingPointIeee754<T>
    {
        var random = new Random(point.GetHashCode());
        var x = new T[point.Elements];
        for (int i = 0; i < x.Length; i++) x[i] = T.CreateTruncating(random.NextDouble() * 8 - 4);
        var expected = new T[x.Length];
        var y = new T[x.Length];
        methods[^1].Run(x, expected); // Kernels.Softmax, the reference every method must agree with
        double tolerance = typeof(T) == typeof(float) ? 1e-5 : 1e-12;
        var agrees = new bool[methods.Count];
        var batch = new int[methods.Count];
        for (int m = 0; m < methods.Count; m++)
        {
            Array.Clear(y);
            methods[m].Run(x, y);
            agrees[m] = true;
            for (int i = 0; i < y.Length; i++)
            {
                if (!(double.Abs(double.CreateTruncating(y[i]) - double.CreateTruncating(expected[i])) <= tolerance)) agrees[m] = false;
            }
            for (int w = 0; w < 3; w++) methods[m].Run(x, y);
            long start = Stopwatch.GetTimestamp();
            int calls = 0;
            do
            {
                methods[m].Run(x, y);
                calls++;
            }
            while (Stopwatch.GetElapsedTime(start).TotalNanoseconds < BatchNanoseconds / 4 && calls < 1_000_000);
            double each = Stopwatch.GetElapsedTime(start).TotalNanoseconds / calls;
            batch[m] = (int)Math.Clamp(BatchNanoseconds / each, 1, 1_000_000);
        }
        var samples = new double[methods.Count][];
        for (int m = 0; m < methods.Count; m++) samples[m] = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            for (int j = 0; j < methods.Count; j++)
            {
                int m = (j + r) % methods.Count;
                Kernel<T> run = methods[m].Run;
                int n = batch[m];
                long start = Stopwatch.GetTimestamp();
                for (int c = 0; c < n; c++) run(x, y);
                samples[m][r] = Stopwatch.GetElapsedTime(start).TotalNanoseconds / n;
            }
        }
        string element = typeof(T) == typeof(float) ? "float" : "double";
        var result = new List<Measurement>();
        for (int m = 0; m < methods.Count; m++)
        {
            Array.Sort(samples[m]);
            result.Add(new Measurement(element, Width, point, methods[m].Name, methods[m].IsCandidate, methods[m].IsChosen, samples[m][rounds / 2], agrees[m]));
        }
        return result;
    }
}
