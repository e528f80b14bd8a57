using System.IO;
using KernelGen.Build;

namespace KernelGen.Execution.Tests;

/// <summary>DeclaredKernels.g.cs is what build/GenerateExecutionKernels writes, so the list cannot drift from the program.</summary>
public class DeclaredKernelsFileTests
{
    [Fact]
    public void The_committed_file_is_what_the_generator_program_writes()
    {
        string root = ExecutionKernelList.FindRepositoryRoot(System.AppContext.BaseDirectory)!;
        Assert.NotNull(root);
        (string expected, int count) = ExecutionKernelList.Write(ExecutionKernelList.ReadConformanceShapes(root));
        string committed = File.ReadAllText(Path.Combine(root, ExecutionKernelList.OutputPath)).ReplaceLineEndings("\n");
        Assert.True(committed == expected,
            "tests/KernelGen.Execution.Tests/DeclaredKernels.g.cs is out of date: run `dotnet run --project build/GenerateExecutionKernels`.");
        Assert.Equal(count, DeclaredKernels.All.Length);
    }

}
