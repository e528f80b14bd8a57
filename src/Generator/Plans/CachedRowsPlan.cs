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
        if (Tensor.IsScaled) w.Line(v.ScaleDeclaration(Tensor.ScaleLiteral));
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
            w.Line($"{e} max = Reductions.Max({VectorCode.Balanced(Enumerable.Range(0, a).Select(k => $"max{k}"), v.Max)});");
        }
    }

    /// <summary>Pass 2 adds this many vectors in float before folding the partial sum into double.</summary>
    public const int BlockVectors = 4;

    private void WriteSumPass(CodeWriter w, VectorCode v)
    {
        w.Line($"{v.Type} shift = {v.Splat(Tensor.IsScaled ? $"max * {Tensor.ScaleLiteral}" : "max")};{(Tensor.IsScaled ? " // the max of scale * x is scale * max" : "")}");
        string T = v.Type;
        string wide = $"{Lanes.Vector}<double>";
        if (Tensor.IsLog)
        {
            w.Line("// Pass 2: the sum of exp(x - max), the maxima (exp exactly 1) counted apart so log(sum) stays exact near 0;");
            w.Line($"// {BlockVectors} vectors at a time are added in float, then folded into a double accumulator.");
            w.Line($"{wide} others = {wide}.Zero;");
            w.Line($"{T} maxima = {v.Zero};");
            Blocks(w, v, (offset, mask) =>
            {
                w.Line($"{T} xi = {Tensor.Scaled(v.Load("xr", offset))};");
                w.Line($"{T} top = {v.Equals("xi", "shift")}{(mask is null ? "" : " & " + mask)};");
                w.Line($"maxima += top & {v.One};");
                string exp = v.AndNot(v.ExpNoOverflow("xi - shift"), "top");
                return mask is null ? exp : $"({exp} & {mask})";
            }, "others");
            w.Line("double logSum = Reductions.LogOfSum(Reductions.Sum(others), Reductions.Sum(maxima));");
            return;
        }
        w.Line("// Pass 2: e = exp(x - max), x - max taken exactly, stored; " + BlockVectors + " vectors at a time are added in float,");
        w.Line("// then folded into a double accumulator.");
        w.Line($"{wide} total = {wide}.Zero;");
        Blocks(w, v, (offset, mask) =>
        {
            w.Line($"{T} e = {v.ExpOfDifference(Tensor.Scaled(v.Load("xr", offset)), "shift")};");
            if (mask is null)
            {
                w.Line(v.Store("e", "yr", offset));
                return "e";
            }
            w.Line(v.Store(v.Select(mask, "e", v.Load("yr", offset)), "yr", offset));
            return $"(e & {mask})";
        }, "total");
        w.Line("double sum = Reductions.Sum(total);");
    }

    /// <summary>
    /// Pass 2's sweep, one vector per iteration (the JIT keeps a small loop body in registers; unrolled exps spill):
    /// blocks of <see cref="BlockVectors"/> vectors whose float partial sum is folded into the double accumulator, then
    /// the vectors left over and the masked tail, likewise. The body writes one vector's code and returns the value to add.
    /// </summary>
    private void Blocks(CodeWriter w, VectorCode v, Func<string, string?, string> body, string accumulator)
    {
        int c = Lanes.Count, blocks = Vectors / BlockVectors, blockElements = BlockVectors * c;
        string T = v.Type;
        if (blocks > 0)
        {
            using (w.Block(blocks == 1 ? "// One block." : $"for (nuint block = 0; block < {blocks * blockElements}; block += {blockElements})"))
            {
                w.Line($"{T} partial = {v.Zero};");
                string start = blocks == 1 ? "0" : "block", end = blocks == 1 ? $"{blockElements}" : $"block + {blockElements}";
                using (w.Block($"for (nuint i = {start}; i < {end}; i += {c})"))
                {
                    w.Line($"partial += {body("i", null)};");
                }
                w.Line($"{accumulator} += Reductions.FoldToDouble(partial);");
            }
        }
        int rest = Vectors - blocks * BlockVectors;
        if (rest > 0 || TailLanes > 0)
        {
            using (w.Block("// The vectors left over, and the tail."))
            {
                w.Line($"{T} partial = {v.Zero};");
                if (rest > 0)
                {
                    using (w.Block($"for (nuint i = {blocks * blockElements}; i < {Vectors * c}; i += {c})"))
                    {
                        w.Line($"partial += {body("i", null)};");
                    }
                }
                if (TailLanes > 0)
                {
                    using (w.Block("// The tail vector: its new lanes only."))
                    {
                        w.Line($"partial += {body($"{TailOffset}", "fresh")};");
                    }
                }
                w.Line($"{accumulator} += Reductions.FoldToDouble(partial);");
            }
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
            w.Line(v.FloorOfSumDeclaration("floor", "sum"));
            Sweep(w, 0, Vectors, (offset, _, _) => w.Line(v.Store(VectorCode.Scale(v.Load("yr", offset), "factor", "floor"), "yr", offset)));
            if (TailLanes > 0)
            {
                string t = $"{TailOffset}";
                w.Line($"{v.Type} last = {v.Load("yr", t)};");
                w.Line(v.Store(v.Select("fresh", VectorCode.Scale("last", "factor", "floor"), "last"), "yr", t));
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
}
