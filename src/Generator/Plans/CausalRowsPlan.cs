using System.Linq;
using KernelGen.Generator.Emit;
using KernelGen.Generator.Planning;

namespace KernelGen.Generator.Plans;

/// <summary>
/// GPT-2's causal softmax over the last two dimensions [..., Q, K]: query row i keeps keys j &lt;= i + (K - Q)
/// and every other key gets exactly 0 (log-softmax: -inf). Each row's n keys go through the three passes
/// (max; exp and sum; scale) with a run-time trip count; no work is done on the masked keys, which are only
/// filled. A row with no keys at all (K &lt; Q) follows MaskedRows.
/// </summary>
internal sealed record CausalRowsPlan(TensorFacts Tensor, Lanes Lanes) : PathPlan(Tensor, Lanes)
{
    private int Q => Tensor.CausalQueries;
    private int K => Tensor.Length;
    private int C => Lanes.Count;
    private bool Staged => !Lanes.IsScalar && K < C;

    public override string Name => "causal rows";

    public override string Describe()
    {
        string work = Lanes.IsScalar
            ? "three scalar loops over the row's keys"
            : Staged
                ? $"the row's keys (fewer than a vector of {C}) staged through a stack buffer and handled as one masked vector"
                : $"three passes over the row's keys in vectors of {C}, the last one masked";
        string empty = K < Q ? $"; the first {Q - K} rows see no key and give {(Tensor.ZeroMaskedRows ? "zeros" : "NaN")} (MaskedRows)" : "";
        return $"causal mask on [{Q}, {K}] matrices{(Tensor.RuntimeCount ? " (as many as the span holds)" : $" ({Tensor.Count / (Q * K)} of them)")}: row i keeps keys j <= i + {K - Q}, so its n = i + {K - Q + 1} keys are computed ({work}) and the other K - n are filled with {(Tensor.IsLog ? "-inf" : "0")} without being read{empty}.";
    }

    // The exp's constants are declared in the row function, which the path method calls once per row.
    public override bool DeclaresExpAtTop => false;

    public override void Write(CodeWriter w)
    {
        string e = Lanes.Element;
        var v = new VectorCode(Lanes);
        if (Tensor.IsScaled) w.Line(v.ScaleDeclaration(Tensor.ScaleLiteral));
        if (Staged) w.Line($"Span<{e}> staged = stackalloc {e}[{C}];");
        string masked = Tensor.IsLog ? $"{e}.NegativeInfinity" : "0";
        using (w.Block($"for (nuint matrix = 0; matrix < {Tensor.CountExpression}; matrix += {Q * K})"))
        {
            using (w.Block($"for (nuint i = 0; i < {Q}; i++)"))
            {
                w.Line($"ref {e} xr = ref Unsafe.Add(ref x, matrix + i * {K});");
                w.Line($"ref {e} yr = ref Unsafe.Add(ref y, matrix + i * {K});");
                if (K < Q)
                {
                    w.Line($"nint keys = (nint)i - {Q - K - 1}; // query i sees keys j <= i + (K - Q)");
                    using (w.Block("if (keys <= 0)"))
                    {
                        w.Line($"MemoryMarshal.CreateSpan(ref yr, {K}).Fill({(Tensor.ZeroMaskedRows ? "0" : $"{e}.NaN")}); // no key at all: MaskedRows = {(Tensor.ZeroMaskedRows ? "Zero" : "NaN")}");
                        w.Line("continue;");
                    }
                    w.Line("nuint n = (nuint)keys;");
                }
                else
                {
                    w.Line($"nuint n = i + {K - Q + 1}; // query i sees keys j <= i + (K - Q)");
                }
                string scaleArgument = Tensor.IsScaled ? ", scale" : "";
                if (Staged)
                {
                    w.Line("MemoryMarshal.CreateReadOnlySpan(ref xr, (int)n).CopyTo(staged);");
                    w.Line($"Row(ref MemoryMarshal.GetReference(staged), ref MemoryMarshal.GetReference(staged), n{scaleArgument});");
                    w.Line("staged.Slice(0, (int)n).CopyTo(MemoryMarshal.CreateSpan(ref yr, (int)n));");
                }
                else
                {
                    w.Line($"Row(ref xr, ref yr, n{scaleArgument});");
                }
                using (w.Block($"if (n < {K})"))
                {
                    w.Line($"MemoryMarshal.CreateSpan(ref Unsafe.Add(ref yr, n), (int)({K} - n)).Fill({masked}); // the masked keys");
                }
            }
        }
        w.Line();
        string scaleParameter = Tensor.IsScaled ? $", {v.Type} scale" : "";
        using (w.Block($"static void Row(ref {e} xr, ref {e} yr, nuint n{scaleParameter})"))
        {
            if (Lanes.IsScalar) WriteScalarRow(w);
            else
            {
                if (v.HasFloatExp) w.Line(VectorCode.ExpDeclaration(Lanes));
                WriteVectorRow(w, v);
            }
        }
    }

    private void WriteScalarRow(CodeWriter w) =>
        ScalarLoopsPlan.WriteRow(w, Tensor, Lanes.Element, "for (nuint i = 0; i < n; i++)",
            Tensor.IsScaled ? "Unsafe.Add(ref xr, i) * scale" : "Unsafe.Add(ref xr, i)", exit: "return;");

    private void WriteVectorRow(CodeWriter w, VectorCode v)
    {
        string T = v.Type, e = Lanes.Element;
        string Load(string at) => Tensor.Scaled(v.Load("xr", at));
        w.Line($"// The row's last {C} or fewer keys: one vector ending at key n (starting at key 0 when n < {C}), its new lanes masked.");
        w.Line($"nuint full = n / {C} * {C}, last = n >= {C} ? n - {C} : 0;");
        w.Line($"{T} fresh = {v.RangeMask("full - last", "n - last")};");
        w.Line("bool tail = full < n;");
        if (Tensor.ZeroMaskedRows)
        {
            w.Line("// Pass 1: the max, NaN-propagating, so only a row of -inf (not one with a NaN) becomes zeros.");
            w.Line($"{e} max = Reductions.Max(MemoryMarshal.CreateReadOnlySpan(ref xr, (int)n)){(Tensor.IsScaled ? " * scale.ToScalar()" : "")};");
            using (w.Block($"if (max == {e}.NegativeInfinity)"))
            {
                w.Line("MemoryMarshal.CreateSpan(ref yr, (int)n).Clear(); // MaskedRows = Zero");
                w.Line("return;");
            }
        }
        else
        {
            w.Line("// Pass 1: the max (a NaN makes the sum, and so the row, NaN).");
            w.Line($"{T} max0 = {v.NegativeInfinity}, max1 = {v.NegativeInfinity};");
            w.Line("nuint j = 0;");
            w.Line($"for (; j + {2 * C} <= full; j += {2 * C}) {{ max0 = {v.Max("max0", Load("j"))}; max1 = {v.Max("max1", Load($"j + {C}"))}; }}");
            w.Line($"if (j < full) max0 = {v.Max("max0", Load("j"))};");
            w.Line($"if (tail) max1 = {v.Max("max1", v.Select("fresh", Load("last"), v.NegativeInfinity))};");
            w.Line($"{e} max = Reductions.Max({v.Max("max0", "max1")});");
        }
        w.Line($"{T} shift = {v.Splat("max")};");
        string wide = $"{Lanes.Vector}<double>";
        if (Tensor.IsLog)
        {
            w.Line("// Pass 2: the sum of exp(x - max), the maxima (exp exactly 1) counted apart so log(sum) stays exact near 0;");
            w.Line($"// {CachedRowsPlan.BlockVectors} vectors at a time are added in float, then folded into a double accumulator.");
            w.Line($"{wide} others = {wide}.Zero;");
            w.Line($"{T} maxima = {v.Zero};");
            SumBlocks(w, v, "others", (at, mask) =>
            {
                w.Line($"{T} xk = {Load(at)};");
                w.Line($"{T} top = {v.Equals("xk", "shift")}{(mask is null ? "" : " & " + mask)};");
                w.Line($"maxima += top & {v.One};");
                string exp = v.AndNot(v.ExpNoOverflow("xk - shift"), "top");
                return mask is null ? exp : $"({exp} & {mask})";
            });
            string cast = e == "float" ? "(float)" : "";
            w.Line($"{T} logSum = {v.Splat($"{cast}Reductions.LogOfSum(Reductions.Sum(others), Reductions.Sum(maxima))")};");
            w.Line("// Pass 3: (x - max) - log(sum).");
            w.Line($"for (nuint k = 0; k < full; k += {C}) {v.Store($"({Load("k")} - shift) - logSum", "yr", "k")}");
            w.Line($"if (tail) {v.Store(v.Select("fresh", $"({Load("last")} - shift) - logSum", v.Load("yr", "last")), "yr", "last")}");
        }
        else
        {
            w.Line($"// Pass 2: e = exp(x - max), x - max taken exactly, stored; {CachedRowsPlan.BlockVectors} vectors at a time are added in float,");
            w.Line("// then folded into a double accumulator.");
            w.Line($"{wide} total = {wide}.Zero;");
            SumBlocks(w, v, "total", (at, mask) =>
            {
                w.Line($"{T} ek = {v.ExpOfDifference(Load(at), "shift")};");
                if (mask is null)
                {
                    w.Line(v.Store("ek", "yr", at));
                    return "ek";
                }
                w.Line(v.Store(v.Select(mask, "ek", v.Load("yr", at)), "yr", at));
                return $"(ek & {mask})";
            });
            string cast = e == "float" ? "(float)" : "";
            w.Line("double sum = Reductions.Sum(total);");
            w.Line($"{T} factor = {v.Splat($"{cast}(1.0 / sum)")};");
            w.Line(v.FloorOfSumDeclaration("floor", "sum"));
            w.Line("// Pass 3: multiply by 1/sum.");
            w.Line($"for (nuint k = 0; k < full; k += {C}) {v.Store(VectorCode.Scale(v.Load("yr", "k"), "factor", "floor"), "yr", "k")}");
            using (w.Block("if (tail)"))
            {
                w.Line($"{T} vk = {v.Load("yr", "last")};");
                w.Line(v.Store(v.Select("fresh", VectorCode.Scale("vk", "factor", "floor"), "vk"), "yr", "last"));
            }
        }
    }

    /// <summary>
    /// Pass 2's sweep over the row's n keys: blocks of <see cref="CachedRowsPlan.BlockVectors"/> vectors whose float
    /// partial sum is folded into the double accumulator, then the vectors left over and the masked tail, likewise (one
    /// short dependency chain per vector instead of a compensated sum's). The body writes one vector's code at the given
    /// key, masked or not, and returns the value to add.
    /// </summary>
    private void SumBlocks(CodeWriter w, VectorCode v, string accumulator, System.Func<string, string?, string> body)
    {
        int block = CachedRowsPlan.BlockVectors * C;
        string T = v.Type;
        w.Line("nuint key = 0;");
        using (w.Block($"for (; key + {block} <= full; key += {block})"))
        {
            w.Line($"{T} partial = {v.Zero};");
            using (w.Block($"for (nuint i = key; i < key + {block}; i += {C})"))
            {
                w.Line($"partial += {body("i", null)};");
            }
            w.Line($"{accumulator} += Reductions.FoldToDouble(partial);");
        }
        using (w.Block("// The vectors left over, and the tail."))
        {
            w.Line($"{T} partial = {v.Zero};");
            using (w.Block($"for (; key < full; key += {C})"))
            {
                w.Line($"partial += {body("key", null)};");
            }
            using (w.Block("if (tail)"))
            {
                w.Line($"partial += {body("last", "fresh")};");
            }
            w.Line($"{accumulator} += Reductions.FoldToDouble(partial);");
        }
    }
}
