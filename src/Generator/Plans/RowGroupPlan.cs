using System;
using KernelGen.Generator.Emit;
using KernelGen.Generator.Planning;

namespace KernelGen.Generator.Plans;

/// <summary>
/// A last-axis plan that works on groups of whole rows, each <see cref="GroupElements"/> contiguous
/// elements. The driver here runs the groups: a loop over the full groups, then, if the rows do not divide
/// evenly, one group ending at the last row that overlaps the one before it and writes only the rows not
/// yet written (so it stays correct in place). A tensor smaller than one group is staged through a stack
/// buffer. <see cref="StraightLinePlan"/> runs the same groups without a loop.
/// </summary>
internal abstract record RowGroupPlan(TensorFacts Tensor, Lanes Lanes) : PathPlan(Tensor, Lanes)
{
    /// <summary>Contiguous elements per group: a whole number of rows.</summary>
    public abstract int GroupElements { get; }

    /// <summary>The group's code, reading at <c>x + offset</c> and writing at <c>y + offset</c>; elements below <paramref name="freshFrom"/> (within the group) must not be changed.</summary>
    public abstract void WriteGroup(CodeWriter w, string x, string y, string offset, int freshFrom);

    /// <summary>One group's work, in words.</summary>
    public abstract string DescribeGroup();

    public override string Describe() => DescribeGroup() + "; " + DescribeGroups(straightLine: false) + ".";

    public bool IsStaged => !Tensor.RuntimeCount && Tensor.Count < GroupElements;
    public int FullGroups => Tensor.Count / GroupElements;
    public int Remainder => Tensor.Count % GroupElements;
    public int GroupCount => IsStaged ? 1 : FullGroups + (Remainder > 0 ? 1 : 0);

    /// <summary>How the groups are run, in words.</summary>
    public string DescribeGroups(bool straightLine)
    {
        if (Tensor.RuntimeCount)
        {
            return $"a loop over the groups of {GroupElements} elements the span holds; rows left over that do not fill a group are staged through a zero-padded stack buffer";
        }
        if (IsStaged)
        {
            return $"the {Tensor.Count} elements are smaller than one group of {GroupElements}, so they are staged through a zero-padded stack buffer";
        }
        string groups = straightLine
            ? $"{FullGroups} group{(FullGroups == 1 ? "" : "s")} in straight-line code, no loop"
            : $"a loop of {FullGroups} groups";
        return Remainder == 0 ? groups
            : groups + $", then one group ending at the last row, overlapping the one before it, that writes only its last {Remainder / Tensor.Length} rows";
    }

    public override void Write(CodeWriter w) => WriteGroups(w, straightLine: false);

    public void WriteGroups(CodeWriter w, bool straightLine)
    {
        if (Tensor.IsScaled)
        {
            var v = new VectorCode(Lanes);
            w.Line($"{v.Type} scale = {v.Splat(Tensor.ScaleLiteral)}; // the kernel computes softmax(scale * x)");
        }
        if (Tensor.RuntimeCount)
        {
            WriteRuntimeGroups(w);
            return;
        }
        if (IsStaged)
        {
            w.Line($"// The whole tensor ({Tensor.Count} elements) is smaller than one group: stage it through a stack buffer.");
            WriteStagedGroup(w, "x", "y", $"{Tensor.Count}");
            return;
        }
        if (straightLine || FullGroups == 1)
        {
            for (int g = 0; g < FullGroups; g++)
            {
                using (w.Block($"// Group {g}: elements {g * GroupElements} to {(g + 1) * GroupElements - 1}."))
                {
                    WriteGroup(w, "x", "y", $"{g * GroupElements}", 0);
                }
            }
        }
        else
        {
            using (w.Block($"for (nuint at = 0; at < {FullGroups * GroupElements}; at += {GroupElements})"))
            {
                WriteGroup(w, "x", "y", "at", 0);
            }
        }
        if (Remainder > 0)
        {
            int start = Tensor.Count - GroupElements;
            using (w.Block($"// The last group overlaps the one before it: only its last {Remainder} elements are new."))
            {
                WriteGroup(w, "x", "y", $"{start}", GroupElements - Remainder);
            }
        }
    }

    // One group on a zero-padded stack copy of `length` elements (zero rows are harmless and never copied back).
    private void WriteStagedGroup(CodeWriter w, string source, string destination, string length)
    {
        string e = Lanes.Element;
        w.Line($"Span<{e}> block = stackalloc {e}[{GroupElements}];");
        w.Line($"MemoryMarshal.CreateReadOnlySpan(ref {source}, {length}).CopyTo(block);");
        w.Line($"ref {e} b = ref MemoryMarshal.GetReference(block);");
        using (w.Block("// One group, in the buffer."))
        {
            WriteGroup(w, "b", "b", "0", 0);
        }
        w.Line($"block.Slice(0, {length}).CopyTo(MemoryMarshal.CreateSpan(ref {destination}, {length}));");
    }

    // The element count is known only at run time (a leading dimension of -1, or a slice of a parallel split).
    private void WriteRuntimeGroups(CodeWriter w)
    {
        w.Line("nuint at = 0;");
        using (w.Block($"for (; at + {GroupElements} <= count; at += {GroupElements})"))
        {
            WriteGroup(w, "x", "y", "at", 0);
        }
        using (w.Block("if (at < count)"))
        {
            w.Line($"// The rows left over do not fill a group: stage them through a zero-padded stack buffer.");
            w.Line("int rest = (int)(count - at);");
            WriteStagedGroup(w, "Unsafe.Add(ref x, at)", "Unsafe.Add(ref y, at)", "rest");
        }
    }
}

/// <summary>
/// A tensor small enough to unroll completely (the notebook's [3, 3] and [4, 3, 2]): the groups of a
/// row-group plan in straight-line code, with no loops.
/// </summary>
internal sealed record StraightLinePlan(TensorFacts Tensor, Lanes Lanes, RowGroupPlan Inner) : PathPlan(Tensor, Lanes)
{
    /// <summary>At most this many groups are unrolled.</summary>
    public const int MaxGroups = 4;

    public static bool Fits(RowGroupPlan plan) => plan.GroupCount <= MaxGroups;

    public override string Name => "straight-line " + Inner.Name;

    public override string Describe() => Inner.DescribeGroup() + "; " + Inner.DescribeGroups(straightLine: true) + ".";

    public override bool DeclaresExpAtTop => Inner.DeclaresExpAtTop;

    public override void Write(CodeWriter w) => Inner.WriteGroups(w, straightLine: true);
}
