using KernelGen.Generator.Emit;
using KernelGen.Generator.Planning;

namespace KernelGen.Generator.Plans;

/// <summary>
/// A non-last axis whose slabs (L x inner, inner narrower than a vector) are smaller than one period of
/// <see cref="NarrowColumnsPlan"/>: groups of g = lcm(inner, C) / inner consecutive slabs are transposed in
/// registers so that each lane holds one (slab, column) row, exactly as <see cref="ShortRowsPlan"/> does for
/// short last-axis rows, and the softmax runs lane-wise across the L axis positions.
/// </summary>
internal sealed record TinySlabsPlan(TensorFacts Tensor, Lanes Lanes) : RowGroupPlan(Tensor, Lanes)
{
    /// <summary>Groups of at most this many vectors are transposed in registers (from the plan sweep: see PlanChooser).</summary>
    public const int MaxVectors = 24;

    /// <summary>
    /// On Vector256, a plain softmax (no log, Scale or MaskedRows) whose axis positions take several vectors each may go
    /// up to this many.
    /// </summary>
    public const int MaxVectorsPlain = 30;

    /// <summary>
    /// The same where the tensor's size is known at compile time (a group written once into a method compiles whole up to
    /// this many; in the loop of a run-time count, with its staged remainder, it does not).
    /// </summary>
    public const int MaxVectorsPlainKnownCount = 33;

    /// <summary>
    /// On Vector256, a plain softmax whose axis positions take several vectors each, in a tensor of at least one whole
    /// group (its size known at compile time), may go up to this many (see PlanChooser).
    /// </summary>
    public const int MaxVectorsPlainWholeGroups = 48;

    /// <summary>On Vector256, a plain softmax of columns of 4 (two slabs per group, one vector per axis position) may go up to this many, in a loop too.</summary>
    public const int MaxVectorsPlainPairs = 32;

    /// <summary>
    /// On Vector256, a plain softmax of columns of 2 (four slabs per group, one vector per axis position) whose tensor is
    /// smaller than one group, two or three slabs, may go up to this many (see PlanChooser).
    /// </summary>
    public const int MaxVectorsPlainAlone = 27;

    /// <summary>Where the groups run in a loop and one vector holds an axis position, the axis may be at most this long.</summary>
    public const int MaxAxisInLoop = 18;

    /// <summary>Whether a group is within the limits that apply to it (see PlanChooser; double columns of 2 have their own).</summary>
    public bool GroupFits =>
        (Lanes.Vector == "Vector256" && !Tensor.IsLog && !Tensor.IsScaled && !Tensor.ZeroMaskedRows
            && (P > 1 ? Vectors <= MaxVectorsPlain
                    || (!Tensor.RuntimeCount && (Vectors <= MaxVectorsPlainKnownCount || (Vectors <= MaxVectorsPlainWholeGroups && Tensor.Outer >= SlabsPerGroup)))
                : SlabsPerGroup == 2 ? Vectors <= MaxVectorsPlainPairs
                : IsStaged && Tensor.Outer >= 2 && Vectors <= MaxVectorsPlainAlone))
        || (Loops && P == 1 ? Tensor.Length <= MaxAxisInLoop : Vectors <= MaxVectors);

    private int C => Lanes.Count;
    private int Inner => Tensor.Inner;
    private int Slab => Tensor.Length * Tensor.Inner;
    private int P => Inner / NarrowColumnsPlan.Gcd(Inner, C);
    private int SlabsPerGroup => P * C / Inner;

    public int Vectors => Tensor.Length * P;

    /// <summary>
    /// Groups of more than 18 vectors read the exp's constants from memory: with them in registers the group spilled, even
    /// with 32 registers ([2, 7, 3] axis 1, 21 vectors: 1.47x faster from memory; groups of 18 or fewer within 0.96x to
    /// 1.07x; plan sweep, Xeon with AVX-512, 2026-11-30).
    /// </summary>
    public override bool ExpConstantsInMemory => Vectors > 18;

    /// <summary>
    /// Groups of more than 30 vectors in a loop or a whole group (only plain softmax groups of several vectors per axis
    /// position, up to <see cref="MaxVectorsPlainWholeGroups"/>) are past the JIT's inlining budget: some of their exps
    /// and scales are calls ([9, 6, 7] axis 1, 42 vectors: 12 of its exps and 18 of its scales). They measured 1.07x to
    /// 3.4x faster than the period plan and the Vector128 columns all the same (see PlanChooser), and run in a method
    /// per group.
    /// </summary>
    public override bool PastInliningBudget => P > 1 && Vectors > MaxVectorsPlain;

    public override string Name => "tiny slabs transposed across lanes";

    public override int GroupElements => SlabsPerGroup * Slab;

    public override string DescribeGroup() =>
        $"{(Tensor.RuntimeCount ? $"{Tensor.Outer} per leading slice:" : $"{Tensor.Outer}")} slabs of {Tensor.Length} x {Inner}: each group of {SlabsPerGroup} slabs is {Vectors} vectors, transposed by constant permutes into {Tensor.Length} x {P} column vectors whose lanes are the group's {P * C} rows (slab, column); max, exp and sum run lane-wise across the {Tensor.Length} axis positions, then the transpose back";

    public override void WriteGroup(CodeWriter w, string x, string y, string offset, int freshFrom, int available)
    {
        var group = new TransposedGroup(new VectorCode(Lanes), Tensor.IsLog, Tensor.Length, P, Vectors,
            (l, q, j) =>
            {
                int row = q * C + j;
                return (row / Inner) * Slab + l * Inner + row % Inner;
            },
            Tensor.IsScaled, Tensor.ZeroMaskedRows);
        group.Write(w, x, y, offset, freshFrom, available);
    }
}
