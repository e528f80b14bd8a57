using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace KernelGen.Generator.Tests;

/// <summary>
/// A small snapshot helper with Verify's conventions: the approved text lives in
/// <c>Snapshots/{Class}.{Test}#{name}.verified.cs</c> beside the test; on a difference the new text is written to
/// <c>*.received.cs</c> beside it and the test fails. Accept every received file with
/// <c>KERNELGEN_ACCEPT_SNAPSHOTS=1 dotnet test</c> (or rename them by hand), then review the diff.
/// </summary>
public static class Snapshot
{
    public const string AcceptVariable = "KERNELGEN_ACCEPT_SNAPSHOTS";

    public static void Verify(string actual, string name, [CallerFilePath] string testFile = "", [CallerMemberName] string test = "")
    {
        // Not Path.GetDirectoryName(testFile): deterministic CI builds map source paths to /_/.
        string directory = Path.Combine(RepositoryRoot, "tests", "KernelGen.Generator.Tests", "Snapshots");
        string stem = Path.Combine(directory, $"{Path.GetFileNameWithoutExtension(testFile.Replace('\\', '/').Split('/')[^1])}.{test}#{name}");
        string verified = stem + ".verified.cs", received = stem + ".received.cs";
        string normalized = Normalize(actual);
        if (File.Exists(verified) && WithoutVersion(Normalize(File.ReadAllText(verified))) == WithoutVersion(normalized))
        {
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        Directory.CreateDirectory(directory);
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            File.WriteAllText(verified, normalized);
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        File.WriteAllText(received, normalized);
        Assert.Fail(File.Exists(verified)
            ? $"The generated source differs from {Path.GetFileName(verified)}; the new text is in {Path.GetFileName(received)}. Review it and accept with {AcceptVariable}=1."
            : $"No approved snapshot {Path.GetFileName(verified)} yet; the text is in {Path.GetFileName(received)}. Review it and accept with {AcceptVariable}=1.");
    }

    public static string RepositoryRoot
    {
        get
        {
            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "KernelGen.sln"))) return dir.FullName;
            }
            throw new DirectoryNotFoundException("KernelGen.sln not found above " + AppContext.BaseDirectory);
        }
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n").TrimStart('\uFEFF');

    // The generated code carries the generator's assembly version, which is the product version
    // (build/KernelGen.Common.props). A snapshot pins the code, not the release: versions compare equal.
    private static readonly Regex GeneratorVersion = new(@"(KernelGen\.Generator"", ""|KernelGen\.Generator )\d+(\.\d+){1,3}", RegexOptions.CultureInvariant);

    internal static string WithoutVersion(string text) => GeneratorVersion.Replace(text, "${1}<version>");
}
