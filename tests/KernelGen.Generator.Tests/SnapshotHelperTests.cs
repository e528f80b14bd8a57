using System;
using System.IO;

namespace KernelGen.Generator.Tests;

/// <summary>The snapshot helper itself: a difference fails and leaves a *.received.cs file beside the approved one.</summary>
public class SnapshotHelperTests
{
    [Fact]
    public void A_difference_fails_and_writes_the_received_file()
    {
        string directory = Path.Combine(Snapshot.RepositoryRoot, "tests", "KernelGen.Generator.Tests", "Snapshots");
        string stem = Path.Combine(directory, "SnapshotHelperTests.SelfTest#" + Guid.NewGuid().ToString("N"));
        string name = Path.GetFileName(stem).Split('#')[1];
        File.WriteAllText(stem + ".verified.cs", "approved\n");
        try
        {
            Snapshot.Verify("approved\n", name, testFile: "SnapshotHelperTests.cs", test: "SelfTest");
            Assert.False(File.Exists(stem + ".received.cs"));
            if (Environment.GetEnvironmentVariable(Snapshot.AcceptVariable) == "1") return; // accepting would overwrite
            Assert.ThrowsAny<Exception>(() => Snapshot.Verify("changed\n", name, testFile: "SnapshotHelperTests.cs", test: "SelfTest"));
            Assert.Equal("changed\n", File.ReadAllText(stem + ".received.cs"));
        }
        finally
        {
            File.Delete(stem + ".verified.cs");
            File.Delete(stem + ".received.cs");
        }
    }
}
