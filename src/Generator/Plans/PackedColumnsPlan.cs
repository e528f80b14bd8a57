using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Emit;
using KernelGen.Generator.Planning;

namespace KernelGen.Generator.Plans;

/// <summary>
/// A non-last axis whose inner dimension divides a vector into K = C / inner parts, two or more (8, 4 or 2 floats on
/// Vector512; 4 or 2 floats on Vector256; 4 or 2 doubles on Vector512, 2 on Vector256): K neighbouring axis positions
/// fill one vector, and lane j belongs to column j mod inner. Each pass walks down the axis K positions per vector, so
/// every instruction serves K times the columns that a vector of the columns alone would; after the max pass and after
/// the sum pass the K parts of each column are combined in registers (<c>Lanes.SwapHalves</c>, <c>SwapQuarters</c>,
/// <c>SwapEighths</c>; <c>Reductions.AddCompensatedSums</c>), with no stack buffer. An axis that is not a whole number of
/// vectors ends with one vector overlapping the one before it, whose new lanes alone are counted; it is computed before
/// the pass's loop (which may overwrite its old lanes in place) and stored whole after it (its old lanes get the same bits
/// the loop wrote).
/// </summary>
internal sealed record PackedColumnsPlan(TensorFacts Tensor, Lanes Lanes) : PathPlan(Tensor, Lanes)
{
    private int C => Lanes.Count;
    /// <summary>Axis positions per vector.</summary>
    public int K => C / Tensor.Inner;
    private int Slab => Tensor.Length * Tensor.Inner;
    private int Whole => Slab / C;
    private int NewLanes => Slab % C;
    private int TailAt => Slab - C;

    /// <summary>Whether the plan serves the layout on these lanes: columns that divide a vector into two or more parts, along an axis of at least one vector.</summary>
    public static bool Serves(TensorFacts tensor, Lanes lanes) =>
        !tensor.IsLastAxis && !tensor.IsCausal && lanes.Vector is "Vector512" or "Vector256"
        && tensor.Inner < lanes.Count && lanes.Count % tensor.Inner == 0 && tensor.Length * tensor.Inner >= lanes.Count;

    public override string Name => "columns packed several axis positions per vector";

    private string Parts => K switch { 2 => "halves", 4 => "quarters", _ => "eighths" };

    public override string Describe()
    {
        string slabs = $"{(Tensor.RuntimeCount ? $"{Tensor.Outer} per leading slice:" : $"{Tensor.Outer}")} slab{(Tensor.Outer == 1 && !Tensor.RuntimeCount ? "" : "s")} of {Tensor.Length} x {Tensor.Inner}";
        string tail = NewLanes > 0 ? $", and a last vector overlapping the one before it ({NewLanes / Tensor.Inner} new position{(NewLanes == Tensor.Inner ? "" : "s")})" : "";
        return $"{slabs}; each {C}-lane vector holds {K} neighbouring axis positions of all {Tensor.Inner} columns (lane j: column j mod {Tensor.Inner}): {Whole} such vector{(Whole == 1 ? "" : "s")} per slab{tail}; three passes down the axis (max; exp and sum; {(Tensor.IsLog ? "subtract the log of the sum" : "scale")}), the {Parts} of each column's max and sum combined in registers after their pass.";
    }

    public override void Write(CodeWriter w)
    {
        var v = new VectorCode(Lanes);
        string T = v.Type;
        if (Tensor.IsScaled) w.Line(v.ScaleDeclaration(Tensor.ScaleLiteral));
        // Passes 1 and 2 carry two chains (max, and sum with its compensation), each taking every other vector. On long
        // axes one chain measured the same ([2, 64, 8] axis 1, 544 against 541 ns): the exp's instructions bind there.
        int looped = Whole / 2 * 2;
        bool twoChains = Whole + (NewLanes > 0 ? 1 : 0) >= 2;
        // A loop over the vectors (pairs of them in passes 1 and 2), or where it would run once, a block with constant offsets.
        void Loop(int vectors, int step, string once, System.Action<System.Func<int, string>> body)
        {
            bool single = vectors == step;
            using (w.Block(single ? $"// {once}" : $"for (nuint at = 0; at < {vectors * C}; at += {step * C})"))
            {
                body(offset => single ? $"{offset}" : offset == 0 ? "at" : $"at + {offset}");
            }
        }
        bool tail = NewLanes > 0;
        string fresh = v.Mask([.. Enumerable.Range(0, C).Select(j => j >= C - NewLanes)]);
        // The vectors outside the loop over pairs: a last whole one (chain 0) and the overlapping tail (chain 1).
        var extras = new List<(string At, int Chain, bool Tail)>();
        if (Whole % 2 == 1) extras.Add(($"{looped * C}", 0, false));
        if (tail) extras.Add(($"{TailAt}", twoChains ? 1 : 0, true));
        int[] chains = twoChains ? [0, 1] : [0];
        string Each(System.Func<int, string> item) => string.Join(", ", chains.Select(item));
        string[] swaps = K switch { 2 => ["SwapHalves"], 4 => ["SwapHalves", "SwapQuarters"], _ => ["SwapHalves", "SwapQuarters", "SwapEighths"] };
        string tailNote = $"the last vector, overlapping the one before it: only its last {NewLanes} lanes are new";
        WriteSlabs(w, () =>
        {
            w.Line($"// Pass 1: each lane's max down the axis, {K} positions per vector, then each column's over its {Parts}.");
            w.Line($"{T} {Each(k => $"max{k} = {v.NegativeInfinity}")};");
            if (looped > 0)
            {
                Loop(looped, 2, "The first two vectors.", at =>
                {
                    w.Line($"max0 = {v.RowMax(Tensor.ZeroMaskedRows, "max0", v.Load("xs", at(0)))};");
                    w.Line($"max1 = {v.RowMax(Tensor.ZeroMaskedRows, "max1", v.Load("xs", at(C)))};");
                });
            }
            foreach (var x in extras) w.Line($"max{x.Chain} = {v.RowMax(Tensor.ZeroMaskedRows, $"max{x.Chain}", v.Load("xs", x.At))};{(x.Tail ? " // the overlapping last vector: re-reading cannot change a max" : "")}");
            w.Line($"{T} max = {(twoChains ? v.RowMax(Tensor.ZeroMaskedRows, "max0", "max1") : "max0")};");
            foreach (string swap in swaps) w.Line($"max = {v.RowMax(Tensor.ZeroMaskedRows, "max", $"Lanes.{swap}(max)")};");
            if (Tensor.IsScaled) w.Line("max *= scale; // the max of scale * x is scale * max");
            w.Line($"{T} {Each(k => $"sum{k} = {v.Zero}, lost{k} = {v.Zero}")};");
            if (tail) w.Line($"{T} fresh = {fresh}; // the overlapping last vector's new lanes");
            if (Tensor.IsLog)
            {
                w.Line("// Pass 2: each lane's sum of exp(x - max), its maxima counted apart so log(sum) stays exact near 0.");
                w.Line($"{T} {Each(k => $"count{k} = {v.Zero}")};");
                void Accumulate(string at, int k, bool isTail) => WriteLogSumTerm(w, v, $"{k}", v.Load("xs", at), "max", isTail ? "fresh" : null);
                if (looped > 0)
                {
                    Loop(looped, 2, "The first two vectors.", at =>
                    {
                        Accumulate(at(0), 0, false);
                        Accumulate(at(C), 1, false);
                    });
                }
                foreach (var x in extras)
                {
                    using (w.Block(x.Tail ? $"// {char.ToUpperInvariant(tailNote[0])}{tailNote.Substring(1)}." : "// The last whole vector."))
                    {
                        Accumulate(x.At, x.Chain, x.Tail);
                    }
                }
                if (twoChains) w.Line("Reductions.AddCompensatedSums(ref sum0, ref lost0, sum1, lost1); count0 += count1; // the second chain's totals");
                foreach (string swap in swaps)
                {
                    w.Line($"Reductions.AddCompensatedSums(ref sum0, ref lost0, Lanes.{swap}(sum0), Lanes.{swap}(lost0)); count0 += Lanes.{swap}(count0);");
                }
                w.Line($"{T} logSum = Reductions.LogOfSum(sum0, lost0, count0);");
                w.Line("// Pass 3: (x - max) - log(sum).");
                string Result(string at) => ZeroWhereMasked(v, $"({Tensor.Scaled(v.Load("xs", at))} - max) - logSum");
                if (tail) w.Line($"{T} last = {Result($"{TailAt}")}; // the overlapping last vector, read before the loop writes its old lanes in place");
                Loop(Whole, 1, "The one whole vector.", at => w.Line(v.Store(Result(at(0)), "ys", at(0))));
                if (tail) w.Line(v.Store("last", "ys", $"{TailAt}") + " // whole: its old lanes get the bits the loop wrote");
            }
            else
            {
                w.Line("// Pass 2: e = exp(x - max), x - max taken exactly, stored and summed per lane.");
                void Exp(string at, int k)
                {
                    w.Line($"{T} e{k} = {v.ExpOfDifference(Tensor.Scaled(v.Load("xs", at)), "max")};");
                    w.Line(v.Store($"e{k}", "ys", at));
                    w.Line($"Reductions.AddCompensated(ref sum{k}, ref lost{k}, e{k});");
                }
                if (tail)
                {
                    w.Line($"// The last vector, overlapping the one before it, first: read before the loop writes its old lanes in place,");
                    w.Line($"// stored after it (whole: its old lanes get the bits the loop wrote), and only its new lanes summed.");
                    w.Line($"{T} last = {v.ExpOfDifference(Tensor.Scaled(v.Load("xs", $"{TailAt}")), "max")};");
                    w.Line($"Reductions.AddCompensated(ref sum{(twoChains ? 1 : 0)}, ref lost{(twoChains ? 1 : 0)}, last & fresh);");
                }
                if (looped > 0)
                {
                    Loop(looped, 2, "The first two vectors.", at =>
                    {
                        Exp(at(0), 0);
                        Exp(at(C), 1);
                    });
                }
                foreach (var x in extras.Where(x => !x.Tail))
                {
                    using (w.Block("// The last whole vector."))
                    {
                        Exp(x.At, x.Chain);
                    }
                }
                if (tail) w.Line(v.Store("last", "ys", $"{TailAt}"));
                if (twoChains) w.Line("Reductions.AddCompensatedSums(ref sum0, ref lost0, sum1, lost1); // the second chain's total");
                foreach (string swap in swaps) w.Line($"Reductions.AddCompensatedSums(ref sum0, ref lost0, Lanes.{swap}(sum0), Lanes.{swap}(lost0));");
                w.Line($"{T} factor = Reductions.Reciprocal(sum0, lost0);");
                w.Line($"{T} floor = Lanes.NormalFloorOfSum(sum0); // below it, e * factor would be subnormal: those results are 0");
                w.Line("// Pass 3: multiply by 1/sum.");
                string Result(string at) => ZeroWhereMasked(v, VectorCode.Scale(v.Load("ys", at), "factor", "floor"));
                if (tail) w.Line($"{T} scaled = {Result($"{TailAt}")}; // the overlapping last vector, scaled before the loop scales its old lanes");
                Loop(Whole, 1, "The one whole vector.", at => w.Line(v.Store(Result(at(0)), "ys", at(0))));
                if (tail) w.Line(v.Store("scaled", "ys", $"{TailAt}") + " // whole: its old lanes get the bits the loop wrote");
            }
        });
    }

    // MaskedRows = Zero: columns whose max is -inf (every element -inf) give 0 instead of NaN.
    private string ZeroWhereMasked(VectorCode v, string value) => v.ZeroWhereMasked(Tensor.ZeroMaskedRows, value, "max");
}
