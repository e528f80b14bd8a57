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
internal sealed record ContiguousRowsPlan(TensorFacts Tensor, Lanes Lanes) : PathPlan(Tensor, Lanes)
{
    /// <summary>Rows of at most this many vectors are unrolled completely.</summary>
    public const int FullUnrollVectors = 16;

    /// <summary>Float partial sums are folded into a double every this many vectors.</summary>
    public const int SumBlockVectors = 32;

    private int Vectors => Tensor.Length / Lanes.Count;
    private int TailLanes => Tensor.Length % Lanes.Count;
    private int TailOffset => Tensor.Length - Lanes.Count;
    private int Accumulators => Math.Min(4, Vectors);

    public override string Name => "contiguous rows in three passes";

    public override string Describe()
    {
        if (Lanes.IsScalar)
        {
            return $"{Tensor.Rows} rows of {Tensor.Length}, three scalar loops per row (max; exp and sum in double; {(Tensor.IsLog ? "subtract the log of the sum" : "scale")}).";
        }
        string unroll = Vectors <= FullUnrollVectors
            ? "every pass fully unrolled"
            : $"each pass a loop of {Vectors / 4} iterations of 4 vectors (four independent accumulators){(Vectors % 4 > 0 ? $" and {Vectors % 4} more" : "")}";
        string tail = TailLanes == 0
            ? "no tail"
            : $"a tail of {TailLanes} handled by one vector at element {TailOffset}, overlapping the one before it, with a constant mask selecting its last {TailLanes} lanes";
        return $"{Tensor.Rows} rows of {Tensor.Length} = {Vectors} vectors of {Lanes.Count} per row, {unroll}; {tail}.";
    }

    public override void Write(CodeWriter w)
    {
        if (Lanes.IsScalar)
        {
            WriteScalar(w);
            return;
        }
        var v = new VectorCode(Lanes);
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

    private CodeWriter.Scope RowLoop(CodeWriter w)
    {
        CodeWriter.Scope scope = Tensor.Rows == 1
            ? w.Block("// One row.")
            : w.Block($"for (nuint row = 0; row < {Tensor.Count}; row += {Tensor.Length})");
        string offset = Tensor.Rows == 1 ? "" : ", row";
        w.Line($"ref {Lanes.Element} xr = ref Unsafe.Add(ref x{offset});".Replace("Unsafe.Add(ref x)", "x"));
        w.Line($"ref {Lanes.Element} yr = ref Unsafe.Add(ref y{offset});".Replace("Unsafe.Add(ref y)", "y"));
        w.Line();
        return scope;
    }

    private void WriteMaxPass(CodeWriter w, VectorCode v)
    {
        int a = Accumulators;
        w.Line("// Pass 1: the row max. A NaN need not be tracked here: it makes the sum, and so the whole row, NaN.");
        w.Line($"{v.Type} {string.Join(", ", Enumerable.Range(0, a).Select(k => $"max{k} = {v.NegativeInfinity}"))};");
        Sweep(w, 0, Vectors, (offset, acc, _) => w.Line($"max{acc} = {v.Max($"max{acc}", v.Load("xr", offset))};"));
        if (TailLanes > 0)
        {
            w.Line($"max0 = {v.Max("max0", v.Load("xr", $"{TailOffset}"))}; // re-reading lanes cannot change a max");
        }
        w.Line($"{Lanes.Element} max = Reductions.Max({Tree(v, "max", a, (l, r) => v.Max(l, r))});");
    }

    private void WriteSumPass(CodeWriter w, VectorCode v)
    {
        int a = Accumulators;
        string Sums() => Tree(v, "sum", a, (l, r) => $"({l} + {r})");
        w.Line(Tensor.IsLog
            ? "// Pass 2: the sum of exp(x - max)."
            : "// Pass 2: e = exp(x - max), stored and summed.");
        w.Line($"{v.Type} shift = {v.Splat("max")};");
        w.Line($"{v.Type} {string.Join(", ", Enumerable.Range(0, a).Select(k => $"sum{k} = {v.Zero}"))};");

        void Body(string offset, int acc, string name)
        {
            string exp = $"VectorMath.Exp({v.Load("xr", offset)} - shift)";
            if (Tensor.IsLog)
            {
                w.Line($"sum{acc} += {exp};");
            }
            else
            {
                w.Line($"{v.Type} {name} = {exp};");
                w.Line(v.Store(name, "yr", offset));
                w.Line($"sum{acc} += {name};");
            }
        }

        int blocks = Vectors > SumBlockVectors ? Vectors / SumBlockVectors : 0;
        if (blocks > 0)
        {
            int blockElements = SumBlockVectors * Lanes.Count;
            w.Line($"// Partial sums are added in double every {SumBlockVectors} vectors, so a long row loses no accuracy.");
            w.Line("double total = 0;");
            using (w.Block($"for (nuint block = 0; block < {blocks * blockElements}; block += {blockElements})"))
            {
                using (w.Block($"for (nuint i = block; i < block + {blockElements}; i += {4 * Lanes.Count})"))
                {
                    for (int j = 0; j < 4; j++) Body(j == 0 ? "i" : $"i + {j * Lanes.Count}", j, $"e{j}");
                }
                w.Line($"total += Reductions.Sum({Sums()});");
                w.Line(string.Join(" ", Enumerable.Range(0, a).Select(k => $"sum{k} = {v.Zero};")));
            }
        }
        Sweep(w, blocks * SumBlockVectors, Vectors - blocks * SumBlockVectors, Body);
        if (TailLanes > 0)
        {
            string exp = $"VectorMath.Exp({v.Load("xr", $"{TailOffset}")} - shift)";
            if (Tensor.IsLog)
            {
                w.Line($"sum0 += {exp} & fresh;");
            }
            else
            {
                w.Line($"{v.Type} eTail = {exp};");
                w.Line("sum0 += eTail & fresh;");
                w.Line(v.Store(v.Select("fresh", "eTail", v.Load("yr", $"{TailOffset}")), "yr", $"{TailOffset}"));
            }
        }
        w.Line(blocks > 0 ? $"double sum = total + Reductions.Sum({Sums()});" : $"double sum = Reductions.Sum({Sums()});");
    }

    private void WriteOutputPass(CodeWriter w, VectorCode v)
    {
        string cast = Lanes.Element == "float" ? "(float)" : "";
        if (Tensor.IsLog)
        {
            w.Line("// Pass 3: (x - max) - log(sum), subtracted in that order.");
            w.Line($"{v.Type} logSum = {v.Splat($"{cast}Math.Log(sum)")};");
            Sweep(w, 0, Vectors, (offset, _, _) => w.Line(v.Store($"({v.Load("xr", offset)} - shift) - logSum", "yr", offset)));
            if (TailLanes > 0)
            {
                string t = $"{TailOffset}";
                w.Line(v.Store(v.Select("fresh", $"({v.Load("xr", t)} - shift) - logSum", v.Load("yr", t)), "yr", t));
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
    private void Sweep(CodeWriter w, int first, int count, Action<string, int, string> body)
    {
        int c = Lanes.Count, a = Accumulators;
        if (count <= FullUnrollVectors)
        {
            for (int k = 0; k < count; k++) body($"{(first + k) * c}", k % a, $"e{first + k}");
            return;
        }
        int looped = count / 4 * 4;
        int start = first * c, end = (first + looped) * c;
        using (w.Block($"for (nuint i = {start}; i < {end}; i += {4 * c})"))
        {
            for (int j = 0; j < 4; j++) body(j == 0 ? "i" : $"i + {j * c}", j, $"e{j}");
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

    private void WriteScalar(CodeWriter w)
    {
        string t = Lanes.Element;
        string cast = t == "float" ? "(float)" : "";
        using (RowLoop(w))
        {
            w.Line($"// Pass 1: the row max (Math.Max keeps a NaN).");
            w.Line($"{t} max = {t}.NegativeInfinity;");
            w.Line($"for (nuint i = 0; i < {Tensor.Length}; i++) max = Math.Max(max, Unsafe.Add(ref xr, i));");
            w.Line();
            w.Line("// Pass 2: exp(x - max), summed in double.");
            w.Line("double sum = 0;");
            using (w.Block($"for (nuint i = 0; i < {Tensor.Length}; i++)"))
            {
                w.Line($"{t} e = VectorMath.Exp(Unsafe.Add(ref xr, i) - max);");
                if (!Tensor.IsLog) w.Line("Unsafe.Add(ref yr, i) = e;");
                w.Line("sum += e;");
            }
            w.Line();
            if (Tensor.IsLog)
            {
                w.Line("// Pass 3: (x - max) - log(sum).");
                w.Line($"{t} logSum = {cast}Math.Log(sum);");
                w.Line($"for (nuint i = 0; i < {Tensor.Length}; i++) Unsafe.Add(ref yr, i) = (Unsafe.Add(ref xr, i) - max) - logSum;");
            }
            else
            {
                w.Line("// Pass 3: multiply by 1/sum.");
                w.Line($"{t} factor = {cast}(1.0 / sum);");
                w.Line($"for (nuint i = 0; i < {Tensor.Length}; i++) Unsafe.Add(ref yr, i) *= factor;");
            }
        }
    }
}
