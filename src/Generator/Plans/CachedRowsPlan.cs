using System;
using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Emit;
using KernelGen.Generator.Planning;

namespace KernelGen.Generator.Plans;

/// <summary>
/// Rows on the last axis, at least one vector long, in three passes per row: max; e = exp(x - max)
/// stored and summed; scale by 1/sum (log-softmax: sum only, then write (x - max) - log(sum)).
/// Trip counts, unrolling and the tail are fixed at compile time: rows of up to
/// <see cref="FullUnrollVectors"/> vectors are unrolled completely, longer rows loop four vectors at a
/// time with four independent accumulators, and a row that is not a whole number of vectors ends with
/// one vector overlapping the one before it, whose new lanes a constant mask selects.
/// </summary>
internal sealed record CachedRowsPlan(TensorFacts Tensor, Lanes Lanes) : PathPlan(Tensor, Lanes)
{
    /// <summary>Rows of at most this many vectors are unrolled completely.</summary>
    public const int FullUnrollVectors = 16;

    private int Vectors => Tensor.Length / Lanes.Count;
    private int TailLanes => Tensor.Length % Lanes.Count;
    private int TailOffset => Tensor.Length - Lanes.Count;
    private int Accumulators => Math.Min(4, Vectors);

    public override string Name => "rows in cache, three passes";

    public override string Describe()
    {
        string unroll = Vectors <= FullUnrollVectors
            ? "every pass fully unrolled"
            : $"each pass a loop of {Vectors / 4} iterations of 4 vectors (four independent accumulators){(Vectors % 4 > 0 ? $" and {Vectors % 4} more" : "")}";
        string tail = TailLanes == 0
            ? "no tail"
            : $"a tail of {TailLanes} handled by one vector at element {TailOffset}, overlapping the one before it, with a constant mask selecting its last {TailLanes} lanes";
        return $"{Tensor.RowsText} rows of {Tensor.Length} = {Vectors} vectors of {Lanes.Count} per row, {unroll}; {tail}.";
    }

    public override void Write(CodeWriter w)
    {
        var v = new VectorCode(Lanes);
        if (Tensor.IsScaled) w.Line($"{v.Type} scale = {v.Splat(Tensor.ScaleLiteral)}; // the kernel computes softmax(scale * x)");
        if (TailLanes > 0)
        {
            w.Line($"// The last vector of a row starts at element {TailOffset} and overlaps the one before it: its last {TailLanes} lanes are new.");
            w.Line($"{v.Type} fresh = {v.TailMask(Lanes.Count - TailLanes)};");
        }
        using (RowLoop(w))
        {
            WriteMaxPass(w, v);
            w.Line();
            WriteSumPass(w, v);
            w.Line();
            WriteOutputPass(w, v);
        }
    }

    private bool SingleRow => Tensor.Rows == 1 && !Tensor.RuntimeCount;

    private CodeWriter.Scope RowLoop(CodeWriter w)
    {
        CodeWriter.Scope scope = SingleRow
            ? w.Block("// One row.")
            : w.Block($"for (nuint row = 0; row < {Tensor.CountExpression}; row += {Tensor.Length})");
        string offset = SingleRow ? "" : ", row";
        w.Line($"ref {Lanes.Element} xr = ref Unsafe.Add(ref x{offset});".Replace("Unsafe.Add(ref x)", "x"));
        w.Line($"ref {Lanes.Element} yr = ref Unsafe.Add(ref y{offset});".Replace("Unsafe.Add(ref y)", "y"));
        w.Line();
        return scope;
    }

    private void WriteMaxPass(CodeWriter w, VectorCode v)
    {
        int a = Accumulators;
        string e = Lanes.Element;
        if (Tensor.ZeroMaskedRows)
        {
            w.Line("// Pass 1: the row max, NaN-propagating, so that only a row of -inf (not one with a NaN) becomes zeros.");
            w.Line($"{e} max = Reductions.Max(MemoryMarshal.CreateReadOnlySpan(ref xr, {Tensor.Length}));");
            using (w.Block($"if (max == {e}.NegativeInfinity)"))
            {
                w.Line($"MemoryMarshal.CreateSpan(ref yr, {Tensor.Length}).Clear(); // MaskedRows = Zero: a row of -inf gives zeros");
                w.Line(SingleRow ? "return;" : "continue;");
            }
        }
        else
        {
            w.Line("// Pass 1: the row max. A NaN need not be tracked here: it makes the sum, and so the whole row, NaN.");
            w.Line($"{v.Type} {string.Join(", ", Enumerable.Range(0, a).Select(k => $"max{k} = {v.NegativeInfinity}"))};");
            Sweep(w, 0, Vectors, (offset, acc, _) => w.Line($"max{acc} = {v.Max($"max{acc}", v.Load("xr", offset))};"));
            if (TailLanes > 0)
            {
                w.Line($"max0 = {v.Max("max0", v.Load("xr", $"{TailOffset}"))}; // re-reading lanes cannot change a max");
            }
            w.Line($"{e} max = Reductions.Max({Tree(v, "max", a, (l, r) => v.Max(l, r))});");
        }
    }

    private void WriteSumPass(CodeWriter w, VectorCode v)
    {
        w.Line($"{v.Type} shift = {v.Splat(Tensor.IsScaled ? $"max * {Tensor.ScaleLiteral}" : "max")};{(Tensor.IsScaled ? " // the max of scale * x is scale * max" : "")}");
        string T = v.Type;
        string wide = $"{Lanes.Vector}<double>";
        if (Tensor.IsLog)
        {
            w.Line("// Pass 2: the sum of exp(x - max), the maxima (exp exactly 1) counted apart so log(sum) stays exact near 0;");
            w.Line("// each pair of vectors is added in float, then folded into a double accumulator.");
            w.Line($"{wide} others = {wide}.Zero;");
            w.Line($"{T} maxima = {v.Zero};");
            Pairs(w, (offset, name, mask) =>
            {
                w.Line($"{T} x{name} = {Tensor.Scaled(v.Load("xr", offset))};");
                w.Line($"{T} top{name} = {v.Equals($"x{name}", "shift")}{(mask is null ? "" : " & " + mask)};");
                w.Line($"maxima += top{name} & {v.One};");
                string exp = v.AndNot($"VectorMath.Exp(x{name} - shift)", $"top{name}");
                return mask is null ? exp : $"({exp} & {mask})";
            }, "others");
            w.Line("double logSum = Reductions.LogOfSum(Reductions.Sum(others), Reductions.Sum(maxima));");
            return;
        }
        w.Line("// Pass 2: e = exp(x - max), x - max taken exactly, stored; each pair of vectors is added in float,");
        w.Line("// then folded into a double accumulator.");
        w.Line($"{wide} total = {wide}.Zero;");
        Pairs(w, (offset, name, mask) =>
        {
            w.Line($"{T} {name} = VectorMath.ExpOfDifference({Tensor.Scaled(v.Load("xr", offset))}, shift);");
            if (mask is null)
            {
                w.Line(v.Store(name, "yr", offset));
                return name;
            }
            w.Line(v.Store(v.Select(mask, name, v.Load("yr", offset)), "yr", offset));
            return $"({name} & {mask})";
        }, "total");
        w.Line("double sum = Reductions.Sum(total);");
    }

    /// <summary>
    /// Pass 2's sweep: vectors two at a time in a loop with a compile-time trip count, each
    /// pair's values added in float and folded into the double accumulator; then an odd vector and the masked tail.
    /// The body writes the code for one vector and returns the value to add.
    /// </summary>
    private void Pairs(CodeWriter w, Func<string, string, string?, string> body, string accumulator)
    {
        int c = Lanes.Count, pairs = Vectors / 2;
        void Pair(string first, string second, string a, string b)
        {
            string va = body(first, a, null), vb = body(second, b, null);
            w.Line($"{accumulator} += Reductions.FoldToDouble({va} + {vb});");
        }
        // Even a short row loops here: the JIT keeps a small loop body in registers, while many unrolled exps spill.
        if (pairs == 1)
        {
            Pair("0", $"{c}", "e0", "e1");
        }
        else
        {
            using (w.Block($"for (nuint i = 0; i < {2 * pairs * c}; i += {2 * c})"))
            {
                Pair("i", $"i + {c}", "e0", "e1");
            }
        }
        if (Vectors % 2 == 1)
        {
            w.Line($"{accumulator} += Reductions.FoldToDouble({body($"{(Vectors - 1) * c}", "eLast", null)});");
        }
        if (TailLanes > 0)
        {
            w.Line($"{accumulator} += Reductions.FoldToDouble({body($"{TailOffset}", "eTail", "fresh")});");
        }
    }

    private void WriteOutputPass(CodeWriter w, VectorCode v)
    {
        string cast = Lanes.Element == "float" ? "(float)" : "";
        if (Tensor.IsLog)
        {
            w.Line("// Pass 3: (x - max) - log(sum), subtracted in that order.");
            w.Line($"{v.Type} logSumVector = {v.Splat($"{cast}logSum")};");
            Sweep(w, 0, Vectors, (offset, _, _) => w.Line(v.Store($"({Tensor.Scaled(v.Load("xr", offset))} - shift) - logSumVector", "yr", offset)));
            if (TailLanes > 0)
            {
                string t = $"{TailOffset}";
                w.Line(v.Store(v.Select("fresh", $"({Tensor.Scaled(v.Load("xr", t))} - shift) - logSumVector", v.Load("yr", t)), "yr", t));
            }
        }
        else
        {
            w.Line("// Pass 3: multiply by 1/sum.");
            w.Line($"{v.Type} factor = {v.Splat($"{cast}(1.0 / sum)")};");
            Sweep(w, 0, Vectors, (offset, _, _) => w.Line(v.Store($"{v.Load("yr", offset)} * factor", "yr", offset)));
            if (TailLanes > 0)
            {
                string t = $"{TailOffset}";
                w.Line($"{v.Type} last = {v.Load("yr", t)};");
                w.Line(v.Store(v.Select("fresh", "last * factor", "last"), "yr", t));
            }
        }
    }

    /// <summary>
    /// Emits <paramref name="body"/> for vectors first..first+count-1: straight-line when there are at most
    /// <see cref="FullUnrollVectors"/>, else a loop of four vectors per iteration and the remainder unrolled.
    /// The body gets the offset expression, the accumulator index and a unique local name.
    /// </summary>
    private void Sweep(CodeWriter w, int first, int count, Action<string, int, string> body) => Sweep(w, first, count, Accumulators, body);

    private void Sweep(CodeWriter w, int first, int count, int a, Action<string, int, string> body)
    {
        int c = Lanes.Count;
        if (count <= FullUnrollVectors)
        {
            for (int k = 0; k < count; k++) body($"{(first + k) * c}", k % a, $"e{first + k}");
            return;
        }
        int looped = count / 4 * 4;
        int start = first * c, end = (first + looped) * c;
        using (w.Block($"for (nuint i = {start}; i < {end}; i += {4 * c})"))
        {
            for (int j = 0; j < 4; j++) body(j == 0 ? "i" : $"i + {j * c}", j % a, $"e{j}");
        }
        for (int k = looped; k < count; k++) body($"{(first + k) * c}", k % a, $"e{first + k + 4}");
    }

    private static string Tree(VectorCode v, string prefix, int count, Func<string, string, string> combine)
    {
        var items = new List<string>(Enumerable.Range(0, count).Select(k => prefix + k));
        while (items.Count > 1)
        {
            var next = new List<string>();
            for (int i = 0; i + 1 < items.Count; i += 2) next.Add(combine(items[i], items[i + 1]));
            if (items.Count % 2 == 1) next.Add(items[items.Count - 1]);
            items = next;
        }
        return items[0];
    }
}
