using System.Linq;
using KernelGen.Generator.Emit;
using KernelGen.Generator.Model;
using KernelGen.Shared;

namespace KernelGen.Generator.Planning;

/// <summary>The facts about a kernel's tensor that every plan uses, computed once from the spec.</summary>
internal sealed record TensorFacts(
    KernelOperation Operation,
    ElementKind ElementKind,
    string ShapeText,
    int Rank,
    int Axis,
    int Outer,
    int Length,
    int Inner,
    int Count,
    double Scale = 1,
    bool ZeroMaskedRows = false,
    bool RuntimeCount = false,
    int CausalQueries = 0)
{
    /// <summary>GPT-2's causal mask over the last two dimensions [Q, K] = [<see cref="CausalQueries"/>, <see cref="Length"/>].</summary>
    public bool IsCausal => CausalQueries > 0;

    public string Element => ElementKind == ElementKind.Float ? "float" : "double";

    /// <summary>The kernel computes softmax(Scale * x): every load is multiplied by the local <c>scale</c>.</summary>
    public bool IsScaled => Scale != 1;

    /// <summary>The scale as a C# literal of the element type.</summary>
    public string ScaleLiteral => ElementKind == ElementKind.Float
        ? ((float)Scale).ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "f"
        : Scale.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The element count the paths loop over: a constant, or the path method's <c>count</c> parameter when the
    /// leading dimension is known only at run time (-1) or split across cores.
    /// </summary>
    public string CountExpression => RuntimeCount ? "count" : Count.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Rows in words: a number, or "n x k" per leading slice when the count is known at run time.</summary>
    public string RowsText => RuntimeCount ? $"{Rows} per leading slice" : Rows.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Scales a loaded value when the kernel has a Scale.</summary>
    public string Scaled(string value) => IsScaled ? $"{value} * scale" : value;
    public bool IsLog => Operation == KernelOperation.LogSoftmax;
    public int Rows => Outer * Inner;
    public bool IsLastAxis => Inner == 1;

    public static TensorFacts From(KernelSpec spec)
    {
        ShapeMath.Analyze(spec.Shape, spec.Axis, allowDynamicLeading: true, out ShapeLayout layout, out _);
        KernelOptions options = spec.Options;
        bool dynamic = spec.Shape[0] == ShapeMath.DynamicDimension;
        return new TensorFacts(spec.Operation, spec.Element, ShapeMath.Format(spec.Shape), layout.Rank, layout.Axis,
            (int)layout.Outer, layout.AxisLength, (int)layout.Inner, (int)layout.ElementCount,
            options.Scale, options.ZeroMaskedRows, RuntimeCount: dynamic || options.Parallel,
            CausalQueries: options.Causal ? spec.Shape[spec.Shape.Count - 2] : 0)
        {
            IsDynamic = dynamic,
            IsParallel = options.Parallel,
            LeadingSlices = dynamic ? 0 : spec.Shape[0],
        };
    }

    /// <summary>The leading dimension is -1: <see cref="Count"/> is the element count of one leading slice.</summary>
    public bool IsDynamic { get; init; }

    /// <summary>The leading dimension is split across cores.</summary>
    public bool IsParallel { get; init; }

    /// <summary>The leading dimension when it is known (0 when dynamic).</summary>
    public int LeadingSlices { get; init; }

    /// <summary>Elements per leading slice.</summary>
    public int SliceElements => IsDynamic ? Count : Count / LeadingSlices;
}

/// <summary>One hardware path's SIMD shape: Vector512, Vector256, Vector128, or scalar (one lane).</summary>
internal sealed record Lanes(string Vector, int Count, string Element, string Hardware)
{
    public bool IsScalar => Count == 1;
    /// <summary>The C# type of one register: <c>Vector256&lt;float&gt;</c>, or <c>float</c> for scalar.</summary>
    public string Type => IsScalar ? Element : $"{Vector}<{Element}>";
    public string MethodName => IsScalar ? "ScalarPath" : Vector + "Path";

    public static Lanes For(string vector, ElementKind element)
    {
        string e = element == ElementKind.Float ? "float" : "double";
        int bytes = element == ElementKind.Float ? 4 : 8;
        return vector switch
        {
            "Vector512" => new Lanes(vector, 64 / bytes, e, "x64 with AVX-512"),
            "Vector256" => new Lanes(vector, 32 / bytes, e, "x64 with AVX2"),
            "Vector128" => new Lanes(vector, 16 / bytes, e, "x64 without AVX2, and ARM64"),
            _ => new Lanes("scalar", 1, e, "hardware without SIMD acceleration"),
        };
    }
}

/// <summary>How one hardware path computes the kernel. Each kind of plan lives in a file named for what it does.</summary>
internal abstract record PathPlan(TensorFacts Tensor, Lanes Lanes)
{
    /// <summary>A short name, e.g. "contiguous rows in three passes".</summary>
    public abstract string Name { get; }

    /// <summary>The plan in words, for the generated doc comment.</summary>
    public abstract string Describe();

    /// <summary>Writes the body of the path's method, which reads <c>x</c> and writes <c>y</c> (both <c>ref T</c>).</summary>
    public abstract void Write(CodeWriter writer);

    /// <summary>
    /// Whether the path method starts by declaring the exp's constants (<see cref="VectorCode.ExpDeclaration"/>): true
    /// where the body computes exp in the method itself (rows of one compute none; causal rows declare them in their
    /// row function).
    /// </summary>
    public virtual bool DeclaresExpAtTop => true;

    /// <summary>
    /// Whether the path's float exp reads its constants from memory at every use (<c>FloatExp256InMemory</c>) even where 32
    /// registers could keep them: true for code that keeps more vectors live than the registers hold beside them.
    /// </summary>
    public virtual bool ExpConstantsInMemory => false;

    /// <summary>
    /// The slabs of a non-last axis (<c>Length x Inner</c> contiguous elements each), the body written with <c>xs</c> and
    /// <c>ys</c> at the current slab: a single slab without a loop, more (or a run-time count) in a loop over <c>slab</c>.
    /// </summary>
    /// <summary>
    /// One vector's term of a log-softmax's sum, for the column plans: <c>x{k}</c> loaded and scaled, its lanes equal to
    /// the max counted apart in <c>count{k}</c> (their exp is exactly 1), the others' exp added to <c>sum{k}</c> and
    /// <c>lost{k}</c>; <paramref name="mask"/>, where given, keeps only the lanes it sets (an overlapping vector's new
    /// ones), and <paramref name="expOnce"/> calls the exp out of line where the double exp would be inlined once more.
    /// </summary>
    protected void WriteLogSumTerm(CodeWriter w, VectorCode v, string k, string load, string max, string? mask = null, bool expOnce = false)
    {
        string and = mask is null ? "" : " & " + mask;
        w.Line($"{v.Type} x{k} = {Tensor.Scaled(load)};");
        w.Line($"{v.Type} top{k} = {v.Equals($"x{k}", max)}{and};");
        string exp = expOnce ? v.ExpNoOverflowOnce($"x{k} - {max}") : v.ExpNoOverflow($"x{k} - {max}");
        w.Line($"Reductions.AddCompensated(ref sum{k}, ref lost{k}, {v.AndNot(exp, $"top{k}")}{and});");
        w.Line($"count{k} += top{k} & {v.One};");
    }

    protected void WriteSlabs(CodeWriter w, System.Action body)
    {
        string e = Lanes.Element;
        if (Tensor.Outer == 1 && !Tensor.RuntimeCount)
        {
            w.Line($"ref {e} xs = ref x;");
            w.Line($"ref {e} ys = ref y;");
            body();
            return;
        }
        using (w.Block($"for (nuint slab = 0; slab < {Tensor.CountExpression}; slab += {Tensor.Length * Tensor.Inner})"))
        {
            w.Line($"ref {e} xs = ref Unsafe.Add(ref x, slab);");
            w.Line($"ref {e} ys = ref Unsafe.Add(ref y, slab);");
            body();
        }
    }
}

/// <summary>
/// A kernel's hardware paths, chosen at compile time from its shape and axis. <see cref="Vector512"/> is null where the
/// layout's plan is written for at most 8 lanes (<see cref="Vector512Reason"/> says why): AVX-512 hardware then runs
/// the Vector256 path. <see cref="Vector256"/> is null where a Vector128 plan measured faster on AVX2 hardware
/// (<see cref="Vector256Reason"/>): AVX2 and AVX-512 hardware then run the Vector128 path.
/// </summary>
internal sealed record KernelPlan(TensorFacts Tensor, PathPlan? Vector512, string Vector512Reason, PathPlan? Vector256, PathPlan Vector128, PathPlan Scalar)
{
    /// <summary>Why there is no Vector256 path, where there is none.</summary>
    public string Vector256Reason { get; init; } = "";

    /// <summary>The paths that get a method of their own, widest first.</summary>
    public PathPlan[] Paths => new[] { Vector512, Vector256, Vector128, Scalar }.Where(p => p is not null).Select(p => p!).ToArray();
}
