using KernelGen.Generator.Emit;
using KernelGen.Generator.Planning;

namespace KernelGen.Generator.Plans;

/// <summary>
/// A non-last axis whose inner dimension is exactly half a vector (8 floats or 4 doubles on Vector512): two
/// neighbouring positions along the axis fill one vector, the lower half the even position and the upper half the odd
/// one, and lane j + C/2 belongs to the same column as lane j. Each pass walks down the axis two positions per vector,
/// so every instruction serves twice the columns that <see cref="ColumnsPlan"/>'s one vector of half the width does;
/// after the max pass and after the sum pass the two halves of each column are combined in registers
/// (<c>Lanes.SwapHalves</c>, <c>Reductions.AddHalves</c>), with no stack buffer. An odd axis length ends with one
/// position read as a lower half, its upper half -inf (which changes no max and adds 0 to every sum), and written back
/// as a half.
/// </summary>
internal sealed record HalfVectorColumnsPlan(TensorFacts Tensor, Lanes Lanes) : PathPlan(Tensor, Lanes)
{
    private int C => Lanes.Count;
    private int Half => C / 2;
    private int Slab => Tensor.Length * Tensor.Inner;
    private int Pairs => Tensor.Length / 2;
    private bool Odd => Tensor.Length % 2 == 1;
    private int LastAt => Slab - Half;
    private string HalfVector => Lanes.Vector == "Vector512" ? "Vector256" : "Vector128";

    /// <summary>Whether the plan serves the layout on these lanes: columns of exactly half a vector, along an axis of at least 2.</summary>
    public static bool Serves(TensorFacts tensor, Lanes lanes) =>
        !tensor.IsLastAxis && !tensor.IsCausal && lanes.Vector is "Vector512" or "Vector256" && tensor.Inner * 2 == lanes.Count && tensor.Length >= 2;

    public override string Name => "columns of half a vector, two axis positions per vector";

    public override string Describe()
    {
        string slabs = $"{(Tensor.RuntimeCount ? $"{Tensor.Outer} per leading slice:" : $"{Tensor.Outer}")} slab{(Tensor.Outer == 1 && !Tensor.RuntimeCount ? "" : "s")} of {Tensor.Length} x {Tensor.Inner}";
        string odd = Odd ? $", and the last position alone in a lower half (its upper half -inf)" : "";
        return $"{slabs}; each {C}-lane vector holds two neighbouring axis positions of all {Tensor.Inner} columns (lane j and lane j + {Half} the same column): {Pairs} such vector{(Pairs == 1 ? "" : "s")} per slab{odd}; three passes down the axis (max; exp and sum; {(Tensor.IsLog ? "subtract the log of the sum" : "scale")}), the two halves of each column's max and sum combined in registers after their pass.";
    }

    public override void Write(CodeWriter w)
    {
        var v = new VectorCode(Lanes);
        string T = v.Type, e = Lanes.Element;
        if (Tensor.IsScaled) w.Line(v.ScaleDeclaration(Tensor.ScaleLiteral));
        // Passes 1 and 2 carry two chains (max, and sum with its compensation), each taking every other vector: one
        // chain's compensated sum waits four dependent additions per vector, about as long as the vector's exp takes.
        int looped = Pairs / 2 * 2;
        bool twoChains = Pairs + (Odd ? 1 : 0) >= 2;
        string pairLoop = $"for (nuint at = 0; at < {looped * C}; at += {2 * C})";
        string loop = $"for (nuint at = 0; at < {Pairs * C}; at += {C})";
        // The odd last position: its lower half read from the tensor, its upper half -inf; only the lower half is written.
        string LoadLast(string source, string upper) => $"{Lanes.Vector}.Create({HalfVector}.LoadUnsafe(ref {source}, {LastAt}), {upper})";
        string negativeInfinities = $"{HalfVector}.Create({e}.NegativeInfinity)";
        string StoreLast(string value) => $"{(IsOneCall(value) ? value : $"({value})")}.GetLower().StoreUnsafe(ref ys, {LastAt});";
        // The vectors outside the loop over pairs of vectors: a last whole one (chain 0) and the odd position (chain 1).
        var extras = new System.Collections.Generic.List<(string Load, string? At, int Chain, string What)>();
        if (Pairs % 2 == 1) extras.Add((v.Load("xs", $"{looped * C}"), $"{looped * C}", 0, $"positions {Tensor.Length - (Odd ? 3 : 2)} and {Tensor.Length - (Odd ? 2 : 1)}"));
        if (Odd) extras.Add((LoadLast("xs", negativeInfinities), null, twoChains ? 1 : 0, $"the last position, alone (its upper half -inf{(Tensor.IsLog ? ": never the max unless the column is all -inf, and its exp is 0" : ", whose exp is 0")})"));
        int[] chains = twoChains ? [0, 1] : [0];
        string Each(string format) => string.Join(", ", System.Array.ConvertAll(chains, k => string.Format(System.Globalization.CultureInfo.InvariantCulture, format, k)));
        WriteSlabs(w, () =>
        {
            w.Line($"// Pass 1: each column's max down the axis, two positions per vector, then of its two halves.");
            w.Line($"{T} {Each($"max{{0}} = {v.NegativeInfinity}")};");
            if (looped > 0)
            {
                using (w.Block(pairLoop))
                {
                    w.Line($"max0 = {v.RowMax(Tensor.ZeroMaskedRows, "max0", v.Load("xs", "at"))};");
                    w.Line($"max1 = {v.RowMax(Tensor.ZeroMaskedRows, "max1", v.Load("xs", $"at + {C}"))};");
                }
            }
            foreach (var x in extras) w.Line($"max{x.Chain} = {v.RowMax(Tensor.ZeroMaskedRows, $"max{x.Chain}", x.Load)}; // {x.What}");
            w.Line($"{T} max = {(twoChains ? v.RowMax(Tensor.ZeroMaskedRows, "max0", "max1") : "max0")};");
            w.Line($"max = {v.RowMax(Tensor.ZeroMaskedRows, "max", "Lanes.SwapHalves(max)")}; // both halves: the column's max");
            if (Tensor.IsScaled) w.Line("max *= scale; // the max of scale * x is scale * max");
            w.Line($"{T} {Each($"sum{{0}} = {v.Zero}, lost{{0}} = {v.Zero}")};");
            if (Tensor.IsLog)
            {
                w.Line("// Pass 2: each column's sum of exp(x - max), its maxima counted apart so log(sum) stays exact near 0.");
                w.Line($"{T} {Each($"count{{0}} = {v.Zero}")};");
                void Accumulate(string load, int k)
                {
                    w.Line($"{T} x{k} = {Tensor.Scaled(load)};");
                    w.Line($"{T} top{k} = {v.Equals($"x{k}", "max")};");
                    w.Line($"Reductions.AddCompensated(ref sum{k}, ref lost{k}, {v.AndNot(v.ExpNoOverflow($"x{k} - max"), $"top{k}")});");
                    w.Line($"count{k} += top{k} & {v.One};");
                }
                if (looped > 0)
                {
                    using (w.Block(pairLoop))
                    {
                        Accumulate(v.Load("xs", "at"), 0);
                        Accumulate(v.Load("xs", $"at + {C}"), 1);
                    }
                }
                foreach (var x in extras)
                {
                    using (w.Block($"// {char.ToUpperInvariant(x.What[0])}{x.What.Substring(1)}."))
                    {
                        Accumulate(x.Load, x.Chain);
                    }
                }
                if (twoChains) w.Line("Reductions.AddCompensated(ref sum0, ref lost0, sum1); lost0 += lost1; count0 += count1; // the second chain's totals");
                w.Line("Reductions.AddHalves(ref sum0, ref lost0);");
                w.Line("count0 += Lanes.SwapHalves(count0);");
                w.Line($"{T} logSum = Reductions.LogOfSum(sum0, lost0, count0);");
                w.Line("// Pass 3: (x - max) - log(sum).");
                using (w.Block(loop))
                {
                    w.Line(v.Store(ZeroWhereMasked(v, $"({Tensor.Scaled(v.Load("xs", "at"))} - max) - logSum"), "ys", "at"));
                }
                if (Odd) w.Line(StoreLast(ZeroWhereMasked(v, $"({Tensor.Scaled(LoadLast("xs", negativeInfinities))} - max) - logSum")) + " // the last position");
            }
            else
            {
                w.Line("// Pass 2: e = exp(x - max), x - max taken exactly, stored and summed per lane, then the halves' sums added.");
                void Exp(string load, System.Func<string, string> store, int k)
                {
                    w.Line($"{T} e{k} = {v.ExpOfDifference(Tensor.Scaled(load), "max")};");
                    w.Line(store($"e{k}"));
                    w.Line($"Reductions.AddCompensated(ref sum{k}, ref lost{k}, e{k});");
                }
                if (looped > 0)
                {
                    using (w.Block(pairLoop))
                    {
                        Exp(v.Load("xs", "at"), value => v.Store(value, "ys", "at"), 0);
                        Exp(v.Load("xs", $"at + {C}"), value => v.Store(value, "ys", $"at + {C}"), 1);
                    }
                }
                foreach (var x in extras)
                {
                    using (w.Block($"// {char.ToUpperInvariant(x.What[0])}{x.What.Substring(1)}."))
                    {
                        Exp(x.Load, value => x.At is null ? StoreLast(value) : v.Store(value, "ys", x.At), x.Chain);
                    }
                }
                if (twoChains) w.Line("Reductions.AddCompensated(ref sum0, ref lost0, sum1); lost0 += lost1; // the second chain's total");
                w.Line("Reductions.AddHalves(ref sum0, ref lost0);");
                w.Line($"{T} factor = Reductions.Reciprocal(sum0, lost0);");
                w.Line($"{T} floor = Lanes.NormalFloorOfSum(sum0); // below it, e * factor would be subnormal: those results are 0");
                w.Line("// Pass 3: multiply by 1/sum.");
                using (w.Block(loop))
                {
                    w.Line(v.Store(ZeroWhereMasked(v, VectorCode.Scale(v.Load("ys", "at"), "factor", "floor")), "ys", "at"));
                }
                if (Odd) w.Line(StoreLast(ZeroWhereMasked(v, VectorCode.Scale(LoadLast("ys", $"{HalfVector}<{e}>.Zero"), "factor", "floor"))) + " // the last position");
            }
        });
    }

    // Whether the expression is a name or one call (a name, its arguments in parentheses that close at the end).
    private static bool IsOneCall(string value)
    {
        int open = value.IndexOf('(');
        if (open < 0) return System.Linq.Enumerable.All(value, char.IsLetterOrDigit);
        int depth = 0;
        for (int i = open; i < value.Length; i++)
        {
            depth += value[i] == '(' ? 1 : value[i] == ')' ? -1 : 0;
            if (depth == 0) return i == value.Length - 1 && System.Linq.Enumerable.All(value.Substring(0, open), c => char.IsLetterOrDigit(c) || c == '.');
        }
        return false;
    }

    // MaskedRows = Zero: columns whose max is -inf (every element -inf) give 0 instead of NaN.
    private string ZeroWhereMasked(VectorCode v, string value) => v.ZeroWhereMasked(Tensor.ZeroMaskedRows, value, "max");
}
