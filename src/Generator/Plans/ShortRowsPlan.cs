using System.Linq;
using KernelGen.Generator.Emit;
using KernelGen.Generator.Planning;

namespace KernelGen.Generator.Plans;

/// <summary>
/// Last-axis rows shorter than a vector (L below the lane count): work across rows, one row per lane.
/// A group of C rows (C lanes) occupies L vectors; constant permutes transpose them so that column
/// vector k holds element k of each of the C rows, the softmax runs lane-wise across the L columns, and
/// the results are transposed back. L = 2 is the logistic function of the difference (one exp per row);
/// L = 1 is all ones (NaN for NaN or an infinity), with no exp at all.
/// </summary>
internal sealed record ShortRowsPlan(TensorFacts Tensor, Lanes Lanes) : RowGroupPlan(Tensor, Lanes)
{
    private int L => Tensor.Length;

    public override string Name => L switch
    {
        1 => "rows of one",
        2 => "rows of two, logistic across rows",
        _ => "short rows transposed across lanes",
    };

    protected override bool GroupsUseExp => L != 1;

    public override int GroupElements => L == 1 ? Lanes.Count : Lanes.Count * L;

    public override string DescribeGroup() => L switch
    {
        1 => $"{Tensor.RowsText} rows of 1: softmax is (x - x) + 1 and log-softmax x - x, {Lanes.Count} rows per vector, no exp",
        2 => $"{Tensor.RowsText} rows of 2: each group of {Lanes.Count} rows is 2 vectors, split by in-lane shuffles into first and second elements; then the logistic function of the difference, one exp per row ({Lanes.Count} rows per exp), and the transpose back",
        _ => $"{Tensor.RowsText} rows of {L}: each group of {Lanes.Count} rows is {L} vectors, transposed by constant permutes into {L} column vectors (lane r = row r); max, exp and sum run lane-wise across the columns, then the transpose back",
    };

    public override void WriteGroup(CodeWriter w, string x, string y, string offset, int freshFrom, int available)
    {
        var v = new VectorCode(Lanes);
        if (L == 1)
        {
            bool partial = available < Lanes.Count;
            w.Line($"{v.Type} v0 = {Tensor.Scaled(partial ? v.LoadFirst(x, offset, available) : v.Load(x, offset))};");
            string result = Tensor.IsLog ? "v0 - v0" : $"(v0 - v0) + {v.One}";
            result = v.ZeroWhereMasked(Tensor.ZeroMaskedRows, result, "v0");
            if (partial)
            {
                w.Line(v.StoreFirst(result, y, offset, available));
            }
            else if (freshFrom == 0)
            {
                w.Line(v.Store(result, y, offset));
            }
            else
            {
                bool[] fresh = Enumerable.Range(0, Lanes.Count).Select(j => j >= freshFrom).ToArray();
                w.Line(v.Store(v.Select(v.Mask(fresh), result, v.Load(y, offset)), y, offset));
            }
            return;
        }
        var group = new TransposedGroup(v, Tensor.IsLog, L, columnVectors: 1, memoryVectors: L, map: (l, _, j) => j * L + l, Tensor.IsScaled, Tensor.ZeroMaskedRows);
        group.Write(w, x, y, offset, freshFrom, available);
    }
}
