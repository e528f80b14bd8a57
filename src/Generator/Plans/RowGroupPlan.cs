using System;
using KernelGen.Generator.Emit;
using KernelGen.Generator.Planning;

namespace KernelGen.Generator.Plans;

/// <summary>
/// A last-axis plan that works on groups of whole rows, each <see cref="GroupElements"/> contiguous
/// elements. The driver here runs the groups: a loop over the full groups, then, if the rows do not divide
/// evenly, one group ending at the last row that overlaps the one before it and writes only the rows not
/// yet written (so it stays correct in place). A tensor smaller than one group is staged through a stack
/// buffer. A tensor of one group is written without a loop. (Writing several groups out one after another, with no
/// loop, was a plan of its own until the plan sweep of issue #12 measured the loop faster at every such point: 1.5x
/// to 4x on [3, 100], [32, 4] to [32, 7], Xeon with AVX-512.)
/// </summary>
internal abstract record RowGroupPlan(TensorFacts Tensor, Lanes Lanes) : PathPlan(Tensor, Lanes)
{
    /// <summary>Contiguous elements per group: a whole number of rows.</summary>
    public abstract int GroupElements { get; }

    /// <summary>
    /// The group's code, reading at <c>x + offset</c> and writing at <c>y + offset</c>; elements below
    /// <paramref name="freshFrom"/> (within the group) must not be changed, and only the first <paramref name="available"/>
    /// exist (fewer than <see cref="GroupElements"/> for a tensor smaller than one group).
    /// </summary>
    public abstract void WriteGroup(CodeWriter w, string x, string y, string offset, int freshFrom, int available);

    /// <summary>
    /// Whether a loop over the groups takes each group's row max one iteration ahead: before the loop into
    /// <c>nextShift</c> (<see cref="WriteMaxAhead"/>), then in each iteration for the next group
    /// (<see cref="WriteGroupWithMaxAhead"/>).
    /// </summary>
    public virtual bool TakesMaxAhead => false;

    /// <summary>Sets <c>nextShift</c> to the max of the group at <c>x + offset</c>.</summary>
    public virtual void WriteMaxAhead(CodeWriter w, string x, string offset) => throw new NotSupportedException();

    /// <summary>
    /// The group at <paramref name="offset"/>, its max taken from <c>nextShift</c>, which it sets to the max of the group
    /// at <paramref name="nextOffset"/>.
    /// </summary>
    public virtual void WriteGroupWithMaxAhead(CodeWriter w, string x, string y, string offset, string nextOffset) =>
        throw new NotSupportedException();

    /// <summary>One group's work, in words.</summary>
    public abstract string DescribeGroup();

    public override string Describe() => DescribeGroup() + "; " + DescribeGroups() + ".";

    public bool IsStaged => !Tensor.RuntimeCount && Tensor.Count < GroupElements;
    /// <summary>Whether the path method runs its groups in a loop (more than one full group, or a run-time count).</summary>
    public bool Loops => Tensor.RuntimeCount || (!IsStaged && FullGroups > 1);
    public int FullGroups => Tensor.Count / GroupElements;
    public int Remainder => Tensor.Count % GroupElements;
    public int GroupCount => IsStaged ? 1 : FullGroups + (Remainder > 0 ? 1 : 0);

    /// <summary>How the groups are run, in words.</summary>
    public string DescribeGroups()
    {
        if (Tensor.RuntimeCount)
        {
            return $"a loop over the groups of {GroupElements} elements the span holds{Ahead}; rows left over that do not fill a group are staged through a zero-padded stack buffer";
        }
        if (IsStaged)
        {
            return $"the {Tensor.Count} elements are fewer than one group of {GroupElements}: one group, its vectors read and written only as far as the tensor goes (overlapping loads of half a vector where one is not full), no stack buffer";
        }
        string groups = (FullGroups == 1 ? "one group, no loop" : $"a loop of {FullGroups} groups{Ahead}")
            + (WideGroups ? ", each group in a method of its own (past the JIT's inlining budget: some helpers are calls)" : "");
        return Remainder == 0 ? groups
            : groups + $", then one group ending at the last row, overlapping the one before it, that writes only its last {Remainder / Tensor.Length} rows";
    }

    private string Ahead => TakesMaxAhead ? ", each iteration taking the next row's max while it works on its own" : "";

    public override void Write(CodeWriter w)
    {
        WriteScaleDeclaration(w);
        if (Tensor.RuntimeCount)
        {
            WriteRuntimeGroups(w);
            return;
        }
        if (IsStaged)
        {
            using (w.Block($"// The whole tensor ({Tensor.Count} elements) is less than one group: read and write only its elements."))
            {
                WriteGroup(w, "x", "y", "0", 0, Tensor.Count);
            }
            return;
        }
        if (WideGroups)
        {
            WriteWideGroups(w);
            return;
        }
        if (FullGroups == 1)
        {
            using (w.Block($"// One group: elements 0 to {GroupElements - 1}."))
            {
                WriteGroup(w, "x", "y", "0", 0, GroupElements);
            }
        }
        else if (TakesMaxAhead)
        {
            int last = Tensor.Count - GroupElements; // where the last group starts, in the loop or after it
            WriteFirstMaxAhead(w, guard: null);
            using (w.Block($"for (nuint at = 0; at < {FullGroups * GroupElements}; at += {GroupElements})"))
            {
                WriteGroupWithMaxAhead(w, "x", "y", "at", $"at + {GroupElements} < {last} ? at + {GroupElements} : {last}");
            }
        }
        else
        {
            using (w.Block($"for (nuint at = 0; at < {FullGroups * GroupElements}; at += {GroupElements})"))
            {
                WriteGroup(w, "x", "y", "at", 0, GroupElements);
            }
        }
        if (Remainder > 0)
        {
            int start = Tensor.Count - GroupElements;
            string comment = $"the last group overlaps the one before it: only its last {Remainder} elements are new";
            if (HeavyGroup)
            {
                w.Line($"LastGroup(ref x, ref y); // {comment}");
                WriteOwnMethod(w, "static void LastGroup(ref {0} x, ref {0} y)", () =>
                    WriteGroup(w, "x", "y", $"{start}", GroupElements - Remainder, GroupElements));
            }
            else
            {
                using (w.Block($"// {char.ToUpperInvariant(comment[0])}{comment.Substring(1)}."))
                {
                    WriteGroup(w, "x", "y", $"{start}", GroupElements - Remainder, GroupElements);
                }
            }
        }
    }

    /// <summary>
    /// Whether one group's code is past what the JIT inlines whole in one method (some of its helpers become calls): each
    /// group then runs in a method of its own, <c>WideGroup</c> (and <c>WideLastGroup</c>), which the inlining check
    /// (build/InliningCheck) lets call helpers. Only plans whose such groups measured faster than the alternatives, calls
    /// and all, allow them (see TinySlabsPlan.MaxVectorsPlainWholeGroups).
    /// </summary>
    public virtual bool PastInliningBudget => false;

    // Whole groups past the inlining budget, each in a method of its own (a staged tensor or a run-time count keeps the
    // path's own form, as the plans that allow such groups do not choose them there).
    private bool WideGroups => PastInliningBudget && !Tensor.RuntimeCount && !IsStaged;

    /// <summary>Whether the groups compute exp (and so declare the exp's constants where they run).</summary>
    protected virtual bool GroupsUseExp => true;

    /// <summary>The path method declares the exp unless every group runs in a method of its own, which declares it there.</summary>
    public sealed override bool DeclaresExpAtTop => GroupsUseExp && !WideGroups;

    // Groups past the inlining budget: every group, and the overlapping last one, in a method of its own.
    private void WriteWideGroups(CodeWriter w)
    {
        const string Why = "Compiled on its own, once per group: a group this large is past the JIT's inlining budget, and some of its helpers are calls.";
        if (FullGroups == 1) w.Line("WideGroup(ref x, ref y, 0); // one group");
        else
        {
            using (w.Block($"for (nuint at = 0; at < {FullGroups * GroupElements}; at += {GroupElements})"))
            {
                w.Line("WideGroup(ref x, ref y, at);");
            }
        }
        if (Remainder > 0) w.Line($"WideLastGroup(ref x, ref y); // the last group overlaps the one before it: only its last {Remainder} elements are new");
        WriteOwnMethod(w, "static void WideGroup(ref {0} x, ref {0} y, nuint at)", () => WriteGroup(w, "x", "y", "at", 0, GroupElements), Why);
        if (Remainder > 0)
        {
            WriteOwnMethod(w, "static void WideLastGroup(ref {0} x, ref {0} y)", () =>
                WriteGroup(w, "x", "y", $"{Tensor.Count - GroupElements}", GroupElements - Remainder, GroupElements), Why);
        }
    }

    // A group of more than 8 vectors written a second time into the path method (the overlapping last group, or rows left
    // over staged through a buffer) goes into a method of its own: twice in one method, such a group's code ran the method
    // out of the JIT's inlining budget and its helpers became calls ([37, 14] on Vector256: 28 calls, [37, 5, 3] axis 1:
    // 76, [-1, 14]: 29; the plan sweep had not seen it, its row counts being whole groups). Groups of up to 8 vectors
    // ([37, 7], [21, 4]) compiled whole either way. Interleaved A/B on the Xeon, against the last group written in line:
    // [37, 7, 3] axis 1 2.74x (Vector512 process) and 2.08x (AVX2), [37, 5, 3] 1.68x and 1.43x, [50, 6, 3] 1.36x and
    // 1.32x, [37, 13] to [37, 16] 1.10x to 1.23x on Vector512; but [37, 16, 2] 0.94x and 0.60x and [37, 13] 0.64x on
    // AVX2, where the path method's loop came out with more spills.
    private bool HeavyGroup => GroupElements > 8 * Lanes.Count;

    // `signature` has {0} for the element type.
    private void WriteOwnMethod(CodeWriter w, string signature, Action body, string why = "Compiled on its own, so that this method keeps the JIT's inlining budget for the code above.")
    {
        w.Line();
        w.Line($"// {why}");
        w.Line("[MethodImpl(MethodImplOptions.NoInlining)]");
        using (w.Block(string.Format(signature, Lanes.Element)))
        {
            var v = new VectorCode(Lanes);
            if (GroupsUseExp && v.HasFloatExp) w.Line(VectorCode.ExpDeclaration(Lanes, ExpConstantsInMemory));
            WriteScaleDeclaration(w);
            body();
        }
    }

    // Declares nextShift and sets it to the first group's max (under `guard`, when there may be no group).
    private void WriteFirstMaxAhead(CodeWriter w, string? guard)
    {
        const string Comment = "// The first row's max; each iteration takes the next one's.";
        w.Line($"{new VectorCode(Lanes).Type} nextShift{(guard is null ? "" : " = default")};");
        using (w.Block(guard is null ? Comment : $"if ({guard})"))
        {
            if (guard is not null) w.Line(Comment);
            WriteMaxAhead(w, "x", "0");
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
            WriteGroup(w, "b", "b", "0", 0, GroupElements);
        }
        w.Line($"block.Slice(0, {length}).CopyTo(MemoryMarshal.CreateSpan(ref {destination}, {length}));");
    }

    // The element count is known only at run time (a leading dimension of -1, or a slice of a parallel split).
    private void WriteRuntimeGroups(CodeWriter w)
    {
        w.Line("nuint at = 0;");
        if (TakesMaxAhead)
        {
            WriteFirstMaxAhead(w, guard: $"count >= {GroupElements}");
            using (w.Block($"for (; at + {GroupElements} <= count; at += {GroupElements})"))
            {
                WriteGroupWithMaxAhead(w, "x", "y", "at", $"at + {2 * GroupElements} <= count ? at + {GroupElements} : at");
            }
        }
        else
        {
            using (w.Block($"for (; at + {GroupElements} <= count; at += {GroupElements})"))
            {
                WriteGroup(w, "x", "y", "at", 0, GroupElements);
            }
        }
        using (w.Block("if (at < count)"))
        {
            w.Line($"// The rows left over do not fill a group: stage them through a zero-padded stack buffer.");
            if (HeavyGroup) w.Line("Staged(ref Unsafe.Add(ref x, at), ref Unsafe.Add(ref y, at), (int)(count - at));");
            else
            {
                w.Line("int rest = (int)(count - at);");
                WriteStagedGroup(w, "Unsafe.Add(ref x, at)", "Unsafe.Add(ref y, at)", "rest");
            }
        }
        if (HeavyGroup) WriteOwnMethod(w, "static void Staged(ref {0} x, ref {0} y, int rest)", () => WriteStagedGroup(w, "x", "y", "rest"));
    }

    private void WriteScaleDeclaration(CodeWriter w)
    {
        if (Tensor.IsScaled) w.Line(new VectorCode(Lanes).ScaleDeclaration(Tensor.ScaleLiteral));
    }
}
