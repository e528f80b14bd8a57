using System;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Reflection;

namespace KernelGen.Execution.Tests;

/// <summary>
/// A generated kernel's path methods, called directly: the kernel class is file-local and its paths private, so they
/// are found by reflection (the class's name ends with "__{method}Kernel"). This lets the tests run the Vector512 path
/// of every kernel on any machine (where AVX-512 is missing its operations run in software), past the dispatch that
/// would pick another path there.
/// </summary>
// The test project runs the trimming and AOT analyzers over the generated kernels; this test-only reflection is the one
// thing they would report, and it never runs trimmed.
[UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Test code, never trimmed: it reads the test assembly's own types.")]
[UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "Test code, never trimmed: the path methods are private statics of file-local classes.")]
internal static class GeneratedPaths
{
    private delegate void Path<T>(ref T x, ref T y);
    private delegate void CountedPath<T>(ref T x, ref T y, nuint count);

    private static readonly Type[] KernelClasses = typeof(DeclaredKernels).Assembly.GetTypes()
        .Where(t => t.Namespace == "KernelGen.Generated").ToArray();

    /// <summary>The kernel class's path method of that name (e.g. "Vector512Path"), or null when the kernel has none.</summary>
    public static MethodInfo? Find(string kernel, string path)
    {
        Type type = KernelClasses.Single(t => t.Name.EndsWith("__" + kernel + "Kernel", StringComparison.Ordinal));
        return type.GetMethod(path, BindingFlags.NonPublic | BindingFlags.Static);
    }

    /// <summary>Runs the path on a copy of <paramref name="input"/> (in place when the kernel is) and returns the result.</summary>
    public static T[] Run<T>(MethodInfo path, DeclaredKernel kernel, T[] input)
        where T : struct
    {
        var output = new T[input.Length];
        bool inPlace = kernel.InPlaceFloat is not null || kernel.InPlaceDouble is not null;
        T[] source = inPlace ? output : (T[])input.Clone();
        if (inPlace) input.CopyTo(output, 0);
        if (path.GetParameters().Length == 3)
        {
            var run = path.CreateDelegate<CountedPath<T>>();
            run(ref source[0], ref output[0], (nuint)input.Length);
        }
        else
        {
            var run = path.CreateDelegate<Path<T>>();
            run(ref source[0], ref output[0]);
        }
        return output;
    }
}
