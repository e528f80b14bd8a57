using System.Runtime.Intrinsics;

namespace KernelGen.Tests;

/// <summary>The widest SIMD path this process takes (the kernels' dispatch order).</summary>
public static class HardwarePath
{
    public static string Name => Vector512.IsHardwareAccelerated ? "Vector512" : Vector256.IsHardwareAccelerated ? "Vector256" : Vector128.IsHardwareAccelerated ? "Vector128" : "scalar";
}
