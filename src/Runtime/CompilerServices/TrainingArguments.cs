using System;
using System.ComponentModel;

namespace KernelGen.CompilerServices;

/// <summary>
/// The argument checks of the cross-entropy kernels beyond <see cref="KernelArguments"/>'s: one target and one loss per
/// row, spans that must not overlap at all, and the targets themselves. Every check runs before anything is written,
/// and every message names the expected and the actual value.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TrainingArguments
{
    /// <summary>Throws unless a span of one element per row (targets, losses) has <paramref name="rows"/> elements.</summary>
    /// <param name="actual">The span's length.</param>
    /// <param name="rows">The logits' rows.</param>
    /// <param name="parameterName">The span's parameter name.</param>
    /// <param name="logitsName">The logits' parameter name, for the message.</param>
    public static void CheckRows(int actual, int rows, string parameterName, string logitsName)
    {
        if (actual != rows)
        {
            throw new ArgumentException(
                $"The span '{parameterName}' has {actual} elements, but '{logitsName}' holds {rows} rows: expected length {rows} (one per row), actual length {actual}.",
                parameterName);
        }
    }

    /// <summary>Throws when two spans overlap at all (a span written while the other is read, of different shapes).</summary>
    public static void CheckDisjoint<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> output, string inputName, string outputName)
    {
        if (input.Overlaps(output, out int offset))
        {
            string where = offset >= 0 ? $"'{outputName}' starting {offset} elements after '{inputName}'" : $"'{inputName}' starting {-offset} elements after '{outputName}'";
            throw new ArgumentException(
                $"The spans '{inputName}' and '{outputName}' overlap, with {where}: expected no overlap.",
                outputName);
        }
    }

    /// <summary>
    /// Throws <see cref="ArgumentOutOfRangeException"/> naming the first row whose target is neither in
    /// <c>[0, classes)</c> nor <paramref name="ignoreIndex"/>; returns the number of rows that count (whose target is
    /// not the ignore index).
    /// </summary>
    public static int CheckTargets(ReadOnlySpan<int> targets, int classes, int ignoreIndex, string parameterName)
    {
        int counted = 0;
        for (int row = 0; row < targets.Length; row++)
        {
            int target = targets[row];
            if (target == ignoreIndex) continue; // may be a class index too: then that class is never counted
            if ((uint)target >= (uint)classes) ThrowTarget(row, target, classes, ignoreIndex, parameterName);
            counted++;
        }
        return counted;
    }

    private static void ThrowTarget(int row, int target, int classes, int ignoreIndex, string parameterName) =>
        throw new ArgumentOutOfRangeException(parameterName, target,
            $"The target of row {row} in '{parameterName}' is {target}, outside [0, {classes}): expected a class index from 0 to {classes - 1}, or {ignoreIndex} (the ignore index) to leave the row out.");
}
