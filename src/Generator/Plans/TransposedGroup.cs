using System;
using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Emit;

namespace KernelGen.Generator.Plans;

/// <summary>
/// The code for one group of rows that are shorter than a vector: the group's memory vectors are
/// transposed in registers (constant permutes and blends) so that lane j of "column" vector c(l, q) holds
/// position l of row q*C + j; the softmax then runs lane-wise across the L columns (one row per lane),
/// and the results are transposed back. Shared by <see cref="ShortRowsPlan"/> (rows on the last axis) and
/// <see cref="TinySlabsPlan"/> (tiny slabs of a non-last axis).
/// </summary>
internal sealed class TransposedGroup
{
    private readonly VectorCode _v;
    private readonly bool _isLog;
    private readonly bool _scaled;
    private readonly bool _zeroMaskedRows;

    /// <param name="v">The hardware path.</param>
    /// <param name="isLog">Log-softmax rather than softmax.</param>
    /// <param name="length">L, the positions along the axis.</param>
    /// <param name="columnVectors">m, how many column vectors hold one axis position of the group's rows.</param>
    /// <param name="memoryVectors">How many contiguous vectors the group occupies.</param>
    /// <param name="map">(l, q, j) to the element within the group, or -1 for a lane that holds no row.</param>
    /// <param name="scaled">Multiply every load by the path's <c>scale</c> local.</param>
    /// <param name="zeroMaskedRows">A row of -inf gives zeros rather than NaN.</param>
    public TransposedGroup(VectorCode v, bool isLog, int length, int columnVectors, int memoryVectors, Func<int, int, int, int> map, bool scaled = false, bool zeroMaskedRows = false)
    {
        _v = v;
        _isLog = isLog;
        _scaled = scaled;
        _zeroMaskedRows = zeroMaskedRows;
        Length = length;
        ColumnVectors = columnVectors;
        MemoryVectors = memoryVectors;
        Map = map;
    }

    /// <summary>
    /// The softmax across <paramref name="length"/> column vectors alone (one row per lane), for a plan that loads and
    /// transposes its rows itself (<see cref="TransposedRowsPlan"/>): no memory vectors, no lane map.
    /// </summary>
    public static TransposedGroup ColumnsOnly(VectorCode v, bool isLog, int length, bool zeroMaskedRows) =>
        new(v, isLog, length, columnVectors: 1, memoryVectors: 0, map: (_, _, _) => -1, zeroMaskedRows: zeroMaskedRows);

    public int Length { get; }
    public int ColumnVectors { get; }
    public int MemoryVectors { get; }
    public Func<int, int, int, int> Map { get; }
    public int Elements => MemoryVectors * _v.Lanes;

    private string C(int l, int q) => ColumnVectors == 1 ? $"c{l}" : $"c{l}q{q}";
    private string R(int l, int q) => ColumnVectors == 1 ? $"r{l}" : $"r{l}q{q}";

    /// <summary>
    /// Writes the group at element <paramref name="offset"/>; only elements from <paramref name="freshFrom"/> on are
    /// written, and only the first <paramref name="available"/> exist (a tensor smaller than one group): the vector that
    /// holds the last of them is read and written with <c>Lanes.LoadFirst</c>/<c>StoreFirst</c>, and vectors after it
    /// are zero and never stored. Their lanes compute rows that do not exist, harmlessly.
    /// </summary>
    public void Write(CodeWriter w, string x, string y, string offset, int freshFrom, int available)
    {
        int lanes = _v.Lanes;
        string At(int k) => int.TryParse(offset, out int start) ? $"{start + k * lanes}" : k == 0 ? offset : $"{offset} + {k * lanes}";
        int Count(int k) => System.Math.Max(0, System.Math.Min(available - k * lanes, lanes));
        string LoadVector(int k) => Count(k) switch
        {
            0 => _v.Zero,
            int n when n == lanes => _v.Load(x, At(k)) + (_scaled ? " * scale" : ""),
            int n => _v.LoadFirst(x, At(k), n) + (_scaled ? " * scale" : ""),
        };
        // How memory vector k is written back: whole, only its first lanes (the tensor's last elements), or not at all.
        string StoreVector(string value, int k) => Count(k) == lanes ? _v.Store(value, y, At(k)) : _v.StoreFirst(value, y, At(k), Count(k));

        if (available < Elements)
        {
            w.Line($"// The tensor's {available} elements fill {(available + lanes - 1) / lanes} of the group's {MemoryVectors} vectors{(available % lanes == 0 ? "" : $", the last with {available % lanes} lane{(available % lanes == 1 ? "" : "s")} (read and written without touching memory after them)")}; the other lanes hold no row.");
        }
        w.Line($"{_v.Type} {string.Join(", ", Enumerable.Range(0, MemoryVectors).Select(k => $"v{k} = {LoadVector(k)}"))};");
        if (IsPairs)
        {
            WritePairs(w, y, At, freshFrom, Count, StoreVector);
            return;
        }
        w.Line("// Transpose: lane j of c<l> holds position l of the group's row j.");
        var sources = Enumerable.Range(0, MemoryVectors).Select(k => $"v{k}").ToList();
        for (int q = 0; q < ColumnVectors; q++)
        {
            for (int l = 0; l < Length; l++)
            {
                var from = Enumerable.Range(0, lanes).Select(j =>
                {
                    int e = Map(l, q, j);
                    return e < 0 || e >= available ? (-1, 0) : (e / lanes, e % lanes);
                }).ToArray();
                w.Line($"{_v.Type} {C(l, q)} = {LaneShuffle.Gather(_v, sources, from)};");
            }
        }
        for (int q = 0; q < ColumnVectors; q++)
        {
            WriteColumnSoftmax(w, q);
        }

        w.Line("// Transpose back and store.");
        var results = new List<string>();
        var where = new Dictionary<int, (int Vector, int Lane)>();
        for (int q = 0; q < ColumnVectors; q++)
        {
            for (int l = 0; l < Length; l++)
            {
                results.Add(R(l, q));
                for (int j = 0; j < lanes; j++)
                {
                    int e = Map(l, q, j);
                    if (e >= 0) where[e] = (results.Count - 1, j);
                }
            }
        }
        for (int k = 0; k < MemoryVectors; k++)
        {
            bool[] fresh = Enumerable.Range(0, lanes).Select(j => k * lanes + j >= freshFrom).ToArray();
            if (!fresh.Any(b => b) || Count(k) == 0) continue;
            var from = Enumerable.Range(0, lanes).Select(j => where.TryGetValue(k * lanes + j, out var f) ? f : (-1, 0)).ToArray();
            string value = LaneShuffle.Gather(_v, results, from);
            if (fresh.All(b => b))
            {
                w.Line(StoreVector(value, k));
            }
            else
            {
                w.Line(_v.Store(_v.Select(_v.Mask(fresh), value, _v.Load(y, At(k))), y, At(k)) + " // only the rows not written before");
            }
        }
    }

    // Rows of two side by side in two vectors: one in-lane shuffle per column transposes them (no permutes or blends).
    private bool IsPairs => Length == 2 && ColumnVectors == 1 && MemoryVectors == 2
        && Enumerable.Range(0, _v.Lanes).All(j => Map(0, 0, j) == 2 * j && Map(1, 0, j) == 2 * j + 1);

    private void WritePairs(CodeWriter w, string y, Func<int, string> at, int freshFrom, Func<int, int> count, Func<string, int, string> store)
    {
        int lanes = _v.Lanes;
        w.Line("// Transpose: c0 takes every row's first element and c1 its second, one row per lane (an in-lane shuffle each).");
        w.Line($"{_v.Type} c0 = Lanes.SplitPairsFirst(v0, v1), c1 = Lanes.SplitPairsSecond(v0, v1);");
        WriteColumnSoftmax(w, 0);
        w.Line("// Transpose back: the rows side by side again, as they were loaded.");
        for (int k = 0; k < 2; k++)
        {
            bool[] fresh = Enumerable.Range(0, lanes).Select(j => k * lanes + j >= freshFrom).ToArray();
            if (!fresh.Any(b => b) || count(k) == 0) continue;
            string value = $"Lanes.JoinPairs{(k == 0 ? "Low" : "High")}(r0, r1)";
            w.Line(fresh.All(b => b)
                ? store(value, k)
                : _v.Store(_v.Select(_v.Mask(fresh), value, _v.Load(y, at(k))), y, at(k)) + " // only the rows not written before");
        }
    }

    /// <summary>The softmax across columns c0, c1, ... (one row per lane) into r0, r1, ...; also used by <see cref="TransposedRowsPlan"/>.</summary>
    internal void WriteColumnSoftmax(CodeWriter w, int q)
    {
        string T = _v.Type;
        string suffix = ColumnVectors == 1 ? "" : $"q{q}";
        if (Length == 1)
        {
            string one = _isLog
                ? $"{C(0, q)} - {C(0, q)}"
                : $"({C(0, q)} - {C(0, q)}) + {_v.One}";
            w.Line($"{T} {R(0, q)} = {ZeroWhereMasked(one, C(0, q))}; // a row of one: {(_isLog ? "log(1) = 0" : "1")}, NaN for NaN or an infinity");
            return;
        }
        if (Length == 2)
        {
            string a = C(0, q), b = C(1, q);
            w.Line("// Rows of two: the logistic function of the difference, one exp per row.");
            w.Line($"{T} hi{suffix} = {_v.Max(a, b)}, lo{suffix} = {_v.Type.Split('<')[0]}.MinNative({a}, {b});");
            w.Line(_isLog
                ? $"{T} e{suffix} = {_v.ExpNoOverflow($"lo{suffix} - hi{suffix}")}; // exp(-|a - b|)"
                : $"{T} e{suffix} = {_v.ExpOfDifference($"lo{suffix}", $"hi{suffix}")}; // exp(-|a - b|), the difference taken exactly");
            w.Line($"{T} unordered{suffix} = {_v.IsNaN($"{a} + {b}")}; // a NaN in the row");
            w.Line($"// 0, or NaN (all bits set) where the row holds a NaN or its max is infinite, as exp(x - max) gives.");
            w.Line($"{T} invalid{suffix} = (hi{suffix} - hi{suffix}) | unordered{suffix};");
            w.Line($"{T} firstIsMax{suffix} = {_v.GreaterThanOrEqual(a, b)};");
            string masked = _v.AndNot(_v.Equals($"hi{suffix}", _v.NegativeInfinity), $"unordered{suffix}");
            string Zeroed(string value) => _zeroMaskedRows ? _v.AndNot(value, masked) : value;
            if (_isLog)
            {
                w.Line($"{T} logSum{suffix} = Reductions.LogOfSum(e{suffix}, {_v.Zero}, {_v.One}) + invalid{suffix}; // log(1 + e)");
                w.Line($"{T} atMax{suffix} = -logSum{suffix}, belowMax{suffix} = (lo{suffix} - hi{suffix}) - logSum{suffix};");
            }
            else
            {
                w.Line($"{T} inverse{suffix} = {_v.One} / ({_v.One} + e{suffix});");
                w.Line($"{T} atMax{suffix} = inverse{suffix} + invalid{suffix}, belowMax{suffix} = e{suffix} * inverse{suffix} + invalid{suffix};");
            }
            w.Line($"{T} {R(0, q)} = {Zeroed(_v.Select($"firstIsMax{suffix}", $"atMax{suffix}", $"belowMax{suffix}"))}, {R(1, q)} = {Zeroed(_v.Select($"firstIsMax{suffix}", $"belowMax{suffix}", $"atMax{suffix}"))};");
            return;
        }

        string max = "max" + suffix;
        w.Line($"{T} {max} = {MaxOfColumns(q)};");
        // The compensated sum starts at the first term (adding it to zero would give it exactly, with nothing lost,
        // three additions later on the chain to the reciprocal).
        string AddTerm(int l, string term) => l == 0
            ? $"{T} sum{suffix} = {term}, lost{suffix} = {_v.Zero};"
            : $"Reductions.AddCompensated(ref sum{suffix}, ref lost{suffix}, {term});";
        if (_isLog)
        {
            w.Line($"{T} maxima{suffix} = {_v.Zero};");
            for (int l = 0; l < Length; l++)
            {
                string top = $"top{l}{suffix}";
                w.Line($"{T} {top} = {_v.Equals(C(l, q), max)};");
                w.Line(AddTerm(l, _v.AndNot(_v.ExpNoOverflow($"{C(l, q)} - {max}"), top)));
                w.Line($"maxima{suffix} += {top} & {_v.One};");
            }
            w.Line($"{T} logSum{suffix} = Reductions.LogOfSum(sum{suffix}, lost{suffix}, maxima{suffix}); // the maxima counted apart: exact near 0");
            w.Line($"{T} {string.Join(", ", Enumerable.Range(0, Length).Select(l => $"{R(l, q)} = {ZeroWhereMasked($"({C(l, q)} - {max}) - logSum{suffix}", max)}"))};");
        }
        else
        {
            for (int l = 0; l < Length; l++)
            {
                w.Line($"{T} e{l}{suffix} = {_v.ExpOfDifference(C(l, q), max)};");
                w.Line(AddTerm(l, $"e{l}{suffix}"));
            }
            w.Line($"{T} factor{suffix} = Reductions.Reciprocal(sum{suffix}, lost{suffix});");
            w.Line(VectorCode.FloorDeclaration(T, $"floor{suffix}", $"sum{suffix}"));
            w.Line($"{T} {string.Join(", ", Enumerable.Range(0, Length).Select(l => $"{R(l, q)} = {ZeroWhereMasked(VectorCode.Scale($"e{l}{suffix}", $"factor{suffix}", $"floor{suffix}"), max)}"))};");
        }
    }

    // The rows' maxima across the L columns: a balanced tree (depth log2 L), so that the group's exps start sooner than
    // after a chain of L - 1 maxima (the order does not matter: a NaN makes its row NaN through the exp and the sum
    // either way). Interleaved A/B on the Xeon: rows of 13 to 15 sixteen at a time 1.08x to 1.11x faster, rows of 7 two
    // per Vector512 1.08x, the tiny slabs of [2, 7, 3] axis 1 1.06x (AVX-512) and 1.07x to 1.09x (AVX2); rows of 9 to 15
    // in two Vector256s each were 1.00x to 1.02x with it on AVX-512 hardware and 0.98x to 0.99x on 16 registers, so
    // groups of more than 8 columns on Vector256 keep the chain (tiny slabs along axes of 9 or more with them, not
    // measured apart).
    private string MaxOfColumns(int q)
    {
        var columns = Enumerable.Range(0, Length).Select(l => C(l, q)).ToList();
        string Max(string a, string b) => _v.RowMax(_zeroMaskedRows, a, b);
        return _v.VectorName == "Vector256" && Length > 8
            ? columns.Skip(1).Aggregate(columns[0], Max)
            : VectorCode.Balanced(columns, Max);
    }

    // MaskedRows = Zero: lanes whose row max is -inf (every element -inf) give 0 instead of NaN.
    private string ZeroWhereMasked(string value, string max) =>
        _v.ZeroWhereMasked(_zeroMaskedRows, value, max);
}
