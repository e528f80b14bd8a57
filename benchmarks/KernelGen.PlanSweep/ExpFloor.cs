using System;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace KernelGen.PlanSweep;

/// <summary>
/// A floor under any softmax kernel that uses KernelGen's exp (option <c>--exp-floor</c>): the exp pass alone, one
/// <c>exp(x - c)</c> per element (x - c taken exactly, as every kernel does) loaded and stored with the widest
/// accelerated vector, and nothing else: no max, no sum, no division, no transposes. A kernel that also does those
/// cannot be faster, so TensorPrimitives' time over this one bounds the speed-up any plan could reach with this exp.
/// Not a softmax: timed beside the alternatives, written to a file of its own, never counted as an alternative.
/// </summary>
internal static class ExpFloor
{
    public const string Name = "exp pass alone (floor, not a softmax)";

    /// <summary>The pass for <typeparamref name="T"/>, float or double.</summary>
    public static Kernel<T> For<T>() where T : unmanaged =>
        typeof(T) == typeof(float)
            ? (Kernel<T>)(Delegate)new Kernel<float>(Float)
            : (Kernel<T>)(Delegate)new Kernel<double>(Double);

    // The shift: the sweep's data lie in [-4, 4), so x - 4 is at most 0, as x - max is in a softmax.
    private const float Shift = 4;

    private static void Float(ReadOnlySpan<float> input, Span<float> output)
    {
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float y = ref MemoryMarshal.GetReference(output);
        nuint n = (nuint)input.Length;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var exp = new FloatExp512();
            Vector512<float> c = Vector512.Create(Shift);
            nuint i = 0;
            for (; i + 16 <= n; i += 16) exp.OfDifference(Vector512.LoadUnsafe(ref x, i), c).StoreUnsafe(ref y, i);
            if (i < n) exp.OfDifference(Vector512.LoadUnsafe(ref x, n - 16), c).StoreUnsafe(ref y, n - 16); // the last vector overlaps
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var exp = new FloatExp256();
            Vector256<float> c = Vector256.Create(Shift);
            nuint i = 0;
            for (; i + 8 <= n; i += 8) exp.OfDifference(Vector256.LoadUnsafe(ref x, i), c).StoreUnsafe(ref y, i);
            if (i < n) exp.OfDifference(Vector256.LoadUnsafe(ref x, n - 8), c).StoreUnsafe(ref y, n - 8);
        }
        else
        {
            for (nuint i = 0; i < n; i++) At(ref y, i) = VectorMath.ExpOfDifference(At(ref x, i), Shift);
        }
    }

    private static void Double(ReadOnlySpan<double> input, Span<double> output)
    {
        ref double x = ref MemoryMarshal.GetReference(input);
        ref double y = ref MemoryMarshal.GetReference(output);
        nuint n = (nuint)input.Length;
        if (Vector512.IsHardwareAccelerated && n >= 8)
        {
            Vector512<double> c = Vector512.Create((double)Shift);
            nuint i = 0;
            for (; i + 8 <= n; i += 8) VectorMath.ExpOfDifference(Vector512.LoadUnsafe(ref x, i), c).StoreUnsafe(ref y, i);
            if (i < n) VectorMath.ExpOfDifference(Vector512.LoadUnsafe(ref x, n - 8), c).StoreUnsafe(ref y, n - 8);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 4)
        {
            Vector256<double> c = Vector256.Create((double)Shift);
            nuint i = 0;
            for (; i + 4 <= n; i += 4) VectorMath.ExpOfDifference(Vector256.LoadUnsafe(ref x, i), c).StoreUnsafe(ref y, i);
            if (i < n) VectorMath.ExpOfDifference(Vector256.LoadUnsafe(ref x, n - 4), c).StoreUnsafe(ref y, n - 4);
        }
        else
        {
            for (nuint i = 0; i < n; i++) At(ref y, i) = VectorMath.ExpOfDifference(At(ref x, i), Shift);
        }
    }

    private static ref T At<T>(ref T start, nuint i) => ref System.Runtime.CompilerServices.Unsafe.Add(ref start, i);
}
