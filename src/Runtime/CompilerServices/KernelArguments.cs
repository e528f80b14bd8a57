using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KernelGen.CompilerServices;

/// <summary>
/// Argument checks shared by <see cref="Kernels"/> and the kernels KernelGen generates. Every check runs
/// before anything is written, and every message names the expected and the actual value.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class KernelArguments
{
    /// <summary>Throws unless <paramref name="actual"/> is the element count of the shape.</summary>
    /// <param name="actual">The span's length.</param>
    /// <param name="expected">The shape's element count.</param>
    /// <param name="shape">The shape as text, for the message (e.g. "[12, 128, 128]").</param>
    /// <param name="parameterName">The span's parameter name.</param>
    public static void CheckLength(int actual, int expected, string shape, string parameterName)
    {
        if (actual != expected)
        {
            ThrowLength(actual, expected, shape, parameterName);
        }
    }

    /// <summary>Throws unless <paramref name="actual"/> is a whole number of rows of the known dimensions (for a leading dimension of -1).</summary>
    public static int CheckMultiple(int actual, int unit, string shape, string parameterName)
    {
        if (actual % unit != 0 || actual == 0)
        {
            throw new ArgumentException(
                $"The span '{parameterName}' has {actual} elements, but shape {shape} needs a positive multiple of {unit} (the product of the dimensions after the -1).",
                parameterName);
        }
        return actual / unit;
    }

    /// <summary>Throws unless the output span is as long as the input span (a shape with a leading -1 fixes no length).</summary>
    public static void CheckSameLength(int actual, int expected, string parameterName, string inputName)
    {
        if (actual != expected)
        {
            throw new ArgumentException(
                $"The span '{parameterName}' has {actual} elements, but '{inputName}' has {expected}: expected length {expected}, actual length {actual}.",
                parameterName);
        }
    }

    /// <summary>Throws when the input and output spans overlap without being exactly the same memory.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CheckOverlap<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> output, string inputName, string outputName)
    {
        // The common cases (apart, or exactly the same memory) cost one subtraction and one unsigned compare: with d the
        // byte distance from input to output, they overlap when -|output| < d < |input|. Only spans that may partly
        // overlap (or are empty) go on to the exact check, which builds the message. (Span.Overlaps with its offset took
        // about 2.8 ns a call here, this about 1.7, of a [1, 8] kernel's 14 ns; Xeon, Stopwatch.)
        nint size = Unsafe.SizeOf<T>();
        nint distance = Unsafe.ByteOffset(ref MemoryMarshal.GetReference(input), ref MemoryMarshal.GetReference(output));
        if (distance != 0 && (nuint)(distance + output.Length * size - 1) < (nuint)(((nint)input.Length + output.Length) * size - 1))
        {
            CheckPartialOverlap(input, output, inputName, outputName);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CheckPartialOverlap<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> output, string inputName, string outputName)
    {
        if (input.Overlaps(output, out int offset) && offset != 0)
        {
            throw new ArgumentException(
                $"The spans '{inputName}' and '{outputName}' overlap, with '{outputName}' starting {offset} elements after '{inputName}': expected either the same memory (in place) or no overlap.",
                outputName);
        }
    }

    /// <summary>
    /// Throws unless the span of per-row values (targets, losses) has one element per row of the logits.
    /// </summary>
    /// <param name="actual">The span's length.</param>
    /// <param name="rows">The logits' rows.</param>
    /// <param name="shape">The logits' shape as text, for the message (e.g. "[256, 50257]").</param>
    /// <param name="parameterName">The span's parameter name.</param>
    public static void CheckRowCount(int actual, int rows, string shape, string parameterName)
    {
        if (actual != rows)
        {
            throw new ArgumentException(
                $"The span '{parameterName}' has {actual} elements, but the logits {shape} have {rows} rows: expected length {rows}, actual length {actual}.",
                parameterName);
        }
    }

    /// <summary>Throws when two spans share any memory (an output that may not be written over an input at all).</summary>
    public static void CheckDisjoint<T>(ReadOnlySpan<T> first, ReadOnlySpan<T> second, string firstName, string secondName)
    {
        if (first.Overlaps(second))
        {
            throw new ArgumentException(
                $"The spans '{firstName}' and '{secondName}' overlap: expected no overlap ('{secondName}' may not be written over '{firstName}').",
                secondName);
        }
    }

    /// <summary>
    /// Checks every target of a cross-entropy before anything is written: each must be in <c>[0, classes)</c> or be
    /// <paramref name="ignoreIndex"/>. Returns how many rows count (those whose target is not the ignore index).
    /// </summary>
    /// <param name="targets">One class index per row.</param>
    /// <param name="classes">The number of classes (the logits' last dimension).</param>
    /// <param name="ignoreIndex">The target value of rows that give loss 0 and gradient 0 and are not counted.</param>
    /// <param name="parameterName">The targets' parameter name.</param>
    /// <returns>The number of rows whose target is not <paramref name="ignoreIndex"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A target is outside <c>[0, classes)</c> and is not the ignore
    /// index; the message names the row and the value.</exception>
    public static int CheckTargets(ReadOnlySpan<int> targets, int classes, int ignoreIndex, string parameterName)
    {
        int counted = 0;
        for (int row = 0; row < targets.Length; row++)
        {
            int target = targets[row];
            if (target == ignoreIndex)
            {
                continue;
            }
            if ((uint)target >= (uint)classes)
            {
                ThrowTarget(row, target, classes, ignoreIndex, parameterName);
            }
            counted++;
        }
        return counted;
    }

    private static void ThrowTarget(int row, int target, int classes, int ignoreIndex, string parameterName) =>
        throw new ArgumentOutOfRangeException(
            parameterName,
            target,
            $"The target of row {row} is {target}: expected a class in [0, {classes}) or the ignore index {ignoreIndex}.");

    private static void ThrowLength(int actual, int expected, string shape, string parameterName) =>
        throw new ArgumentException(
            $"The span '{parameterName}' has {actual} elements, but shape {shape} has {expected}: expected length {expected}, actual length {actual}.",
            parameterName);
}
