// Writes tests/KernelGen.Execution.Tests/DeclaredKernels.g.cs from ExecutionKernelList and the conformance cases in
// tests/data/onnx-conformance. Run from anywhere in the repository: dotnet run --project build/GenerateExecutionKernels
using System;
using System.IO;
using KernelGen.Build;

string root = ExecutionKernelList.FindRepositoryRoot(Environment.CurrentDirectory)
    ?? ExecutionKernelList.FindRepositoryRoot(AppContext.BaseDirectory)
    ?? throw new InvalidOperationException("Run this inside the KernelGen repository (KernelGen.sln not found above the current folder).");
string output = Path.Combine(root, ExecutionKernelList.OutputPath);
(string text, int count) = ExecutionKernelList.Write(ExecutionKernelList.ReadConformanceShapes(root));
File.WriteAllText(output, text);
Console.WriteLine($"{count} kernels written to {ExecutionKernelList.OutputPath.Replace('\\', '/')}");
