// Checks that the JIT compiles the generated kernels' vector paths whole. Past a method's inlining budget the JIT turns
// even AggressiveInlining helpers (Lanes.Select, the exp's steps, a transpose) into calls, and the kernel runs 1.2x to 4x
// slower while computing the same bits, so no test of results can see it; issue #12's rounds found it three times in
// JIT disassembly (groups written twice into a path method, whole tiny-slab groups, the 16 x 16 transpose). This program
// compiles the Vector512 and Vector256 path methods of every kernel the execution tests declare (and the methods of their
// own that a path's groups run in), in a child process with DOTNET_JitDisasm, and fails if any of them calls a KernelGen
// helper other than the ones meant to be called. Paths the machine does not accelerate are skipped (their vectors run in
// software, through calls by design).
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace KernelGen.Build;

internal static class Program
{
    // Calls meant to stay calls: per-slab loops over a buffer (PeriodicLanes), a row's scalar log (LogSumExp.Log1P), the
    // double exp called out of line in narrow columns (the *OutOfLine helpers), and a group's own method (LastGroup, Staged, WideGroup).
    private static readonly string[] Meant = ["KernelGen.CompilerServices.PeriodicLanes:", "LogSumExp:Log1P", "OutOfLine", "g__LastGroup", "g__Staged", "g__Wide"];

    public static int Main(string[] args)
    {
        if (args is ["--compile"])
        {
            Console.WriteLine($"{Compile()} methods compiled");
            return 0;
        }
        string[] paths = [.. new[] { ("Vector512Path", Vector512.IsHardwareAccelerated), ("Vector256Path", Vector256.IsHardwareAccelerated) }
            .Where(p => p.Item2).Select(p => p.Item1)];
        if (paths.Length == 0)
        {
            Console.WriteLine("Neither Vector512 nor Vector256 is hardware accelerated here: nothing to check.");
            return 0;
        }
        string listing = Path.Combine(Path.GetTempPath(), $"kernelgen-inlining-{Environment.ProcessId}.asm");
        try
        {
            var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") start.ArgumentList.Add(typeof(Program).Assembly.Location);
            start.ArgumentList.Add("--compile");
            start.Environment["DOTNET_TieredCompilation"] = "0";
            start.Environment["DOTNET_JitDisasm"] = string.Join(' ', paths.Select(p => $"{p} *{p}>g__*"));
            start.Environment["DOTNET_JitStdOutFile"] = listing;
            using (Process child = Process.Start(start)!)
            {
                child.WaitForExit();
                if (child.ExitCode != 0) return child.ExitCode;
            }
            if (!File.Exists(listing))
            {
                Console.Error.WriteLine("error: the JIT wrote no disassembly (DOTNET_JitDisasm, DOTNET_JitStdOutFile)");
                return 1;
            }
            return Check(File.ReadAllLines(listing), paths);
        }
        finally
        {
            File.Delete(listing);
        }
    }

    // Compiles the vector path methods of every generated kernel class (and their local functions), fully optimised.
    private static int Compile()
    {
        int count = 0;
        foreach (Type type in typeof(Program).Assembly.GetTypes().Where(t => t.Namespace == "KernelGen.Generated"))
        {
            foreach (MethodInfo method in type.GetMethods(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly))
            {
                bool vectorPath = method.Name.StartsWith("Vector512Path", StringComparison.Ordinal) || method.Name.StartsWith("Vector256Path", StringComparison.Ordinal)
                    || method.Name.StartsWith("<Vector512Path>", StringComparison.Ordinal) || method.Name.StartsWith("<Vector256Path>", StringComparison.Ordinal);
                if (!vectorPath || method.IsGenericMethodDefinition) continue;
                RuntimeHelpers.PrepareMethod(method.MethodHandle);
                count++;
            }
        }
        return count;
    }

    // Reads the JIT's listing: every method, and the KernelGen methods it calls that are not meant to be called.
    private static int Check(string[] lines, string[] paths)
    {
        const string Header = "; Assembly listing for method ";
        var calls = new Dictionary<string, List<string>>();
        string? method = null;
        foreach (string line in lines)
        {
            if (line.StartsWith(Header, StringComparison.Ordinal))
            {
                // "KernelGen.Generated.<file-local prefix>__Softmax_8x7x3_axis1_floatKernel:Vector256Path(byref,byref) (FullOpts)"
                method = line[Header.Length..];
                int local = method.IndexOf("__", StringComparison.Ordinal);
                if (local >= 0) method = method[(local + 2)..];
                int parameters = method.IndexOf('(', StringComparison.Ordinal);
                if (parameters >= 0) method = method[..parameters];
                calls[method] = [];
            }
            else if (method is not null && line.TrimStart().StartsWith("call ", StringComparison.Ordinal))
            {
                string target = line.TrimStart()["call ".Length..].Trim();
                if (target.Contains("KernelGen", StringComparison.Ordinal) && !Meant.Any(m => target.Contains(m, StringComparison.Ordinal)))
                {
                    calls[method].Add(target.Split('(')[0].Trim('[', ' '));
                }
            }
        }
        // Groups that the generator knows are past the JIT's budget run in WideGroup/WideLastGroup methods, which may call
        // helpers (RowGroupPlan.PastInliningBudget: tiny-slab groups of 31 to 48 vectors, measured faster calls and all).
        static bool Wide(string name) => name.Contains("g__Wide", StringComparison.Ordinal);
        int wide = calls.Count(c => Wide(c.Key) && c.Value.Count > 0);
        var failing = calls.Where(c => c.Value.Count > 0 && !Wide(c.Key)).OrderBy(c => c.Key, StringComparer.Ordinal).ToList();
        Console.WriteLine($"{calls.Count} path methods compiled ({string.Join(", ", paths)}); {failing.Count} call KernelGen helpers the JIT should have inlined"
            + $" ({wide} methods of groups known to be past the inlining budget call some, as allowed).");
        foreach ((string name, List<string> targets) in failing)
        {
            string callees = string.Join(", ", targets.GroupBy(t => t).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} x{g.Count()}"));
            Console.Error.WriteLine($"error: {name}: {callees}");
        }
        if (calls.Count == 0)
        {
            Console.Error.WriteLine("error: the listing holds no method");
            return 1;
        }
        return failing.Count == 0 ? 0 : 1;
    }
}
