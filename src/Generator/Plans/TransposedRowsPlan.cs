using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Emit;
using KernelGen.Generator.Planning;

namespace KernelGen.Generator.Plans;

/// <summary>
/// Last-axis float rows of 3 to 16, C rows at a time (C = 8 on the Vector256 path, 16 on the Vector512 one): each row of
/// the group is loaded into one vector (on Vector256, two for rows longer than 8) starting at its first element, so the
/// vector's lanes past the row hold the next row's first elements; <c>Lanes.Transpose</c> (a C x C transpose: 24
/// shuffles for 8, 64 for 16) turns the C row vectors into column vectors with one row per lane; the softmax runs lane-wise across the L columns, and a second transpose turns
/// the results back into rows, stored in order so that each row's store overwrites what the one before it wrote past
/// its end. A row whose vector would reach past the group (or the tensor) is read and written with
/// <c>Lanes.LoadFirst</c>/<c>StoreFirst</c>, only as far as the group goes.
/// </summary>
internal sealed record TransposedRowsPlan(TensorFacts Tensor, Lanes Lanes) : RowGroupPlan(Tensor, Lanes)
{
    /// <summary>Whether the plan can serve the layout: float rows of 3 to 16 on the Vector256 or Vector512 path.</summary>
    public static bool Serves(TensorFacts tensor, Lanes lanes) =>
        tensor.IsLastAxis && !tensor.IsCausal && lanes.Vector is "Vector256" or "Vector512" && lanes.Element == "float" && tensor.Length is >= 3 and <= 16;

    private int L => Tensor.Length;
    private int C => Lanes.Count;
    /// <summary>Vectors per row: 1 for rows of up to 8, 2 for longer ones.</summary>
    private int Halves => L > C ? 2 : 1;

    public override string Name => $"rows transposed {C} at a time";

    public override int GroupElements => C * L;

    public override string DescribeGroup() =>
        $"{Tensor.RowsText} rows of {L}: each group of {C} rows is loaded one row per {(Halves == 1 ? "vector" : "pair of vectors")}, turned into {L} column vectors (lane j = row j) by {(Halves == 1 ? $"a {C} x {C} transpose" : $"two {C} x {C} transposes")} (Lanes.Transpose); max, exp and sum run lane-wise across the columns, then the transpose back and one store per row{(Halves == 1 ? "" : " half")}, in order";

    public override void WriteGroup(CodeWriter w, string x, string y, string offset, int freshFrom, int available)
    {
        var v = new VectorCode(Lanes);
        string T = v.Type;
        int rows = System.Math.Min(C, available / L);
        string At(int element) => int.TryParse(offset, out int start) ? $"{start + element}" : element == 0 ? offset : $"{offset} + {element}";
        // Row j's vector h starts at element j L + 8 h; it may run on to `available` (the group's or the tensor's end).
        int Count(int j, int h) => System.Math.Min(C, available - (j * L + h * C));
        string Load(int j, int h)
        {
            if (j >= rows) return v.Zero;
            int n = Count(j, h);
            string load = n == C ? v.Load(x, At(j * L + h * C)) : v.LoadFirst(x, At(j * L + h * C), n);
            return Tensor.IsScaled ? $"{load} * scale" : load;
        }
        string Store(string value, int j, int h)
        {
            int n = Count(j, h);
            return n == C ? v.Store(value, y, At(j * L + h * C)) : v.StoreFirst(value, y, At(j * L + h * C), n);
        }
        string Refs(IEnumerable<string> names) => string.Join(", ", names.Select(n => "ref " + n));
        IEnumerable<int> rowsOfGroup = Enumerable.Range(0, C);

        if (rows < C) w.Line($"// The tensor's {rows} rows fill {rows} of the group's {C} lanes; the others hold no row and are never stored.");
        for (int h = 0; h < Halves; h++)
        {
            w.Line($"// Elements {h * C} to {h * C + C - 1} of rows 0 to {C - 1}, one row per vector{(L % C != 0 ? $" (lanes past element {L - 1} hold the next row's first elements, or nothing)" : "")}.");
            w.Line($"{T} {string.Join(", ", rowsOfGroup.Select(j => $"c{h * C + j} = {Load(j, h)}"))};");
            w.Line($"Lanes.Transpose({Refs(rowsOfGroup.Select(j => $"c{h * C + j}"))}); // now lane j of c<l> holds element l of row j");
        }
        TransposedGroup.ColumnsOnly(v, Tensor.IsLog, L, Tensor.ZeroMaskedRows).WriteColumnSoftmax(w, 0);
        w.Line("// Transpose back: lane l of row<j> holds element l of row j's result (lanes past the row: whatever was there).");
        for (int h = 0; h < Halves; h++)
        {
            string name = Halves == 1 ? "row" : h == 0 ? "low" : "high";
            w.Line($"{T} {string.Join(", ", rowsOfGroup.Select(j => $"{name}{j} = {(h * C + j < L ? $"r{h * C + j}" : $"c{h * C + j}")}"))};");
            w.Line($"Lanes.Transpose({Refs(rowsOfGroup.Select(j => $"{name}{j}"))});");
        }
        w.Line($"// Store row by row: each row's store overwrites what the one before it wrote past its end.");
        for (int j = 0; j < rows; j++)
        {
            if (j * L < freshFrom) continue;
            for (int h = 0; h < Halves; h++)
            {
                w.Line(Store(Halves == 1 ? $"row{j}" : h == 0 ? $"low{j}" : $"high{j}", j, h));
            }
        }
    }
}
