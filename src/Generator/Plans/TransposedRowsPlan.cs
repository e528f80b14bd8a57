using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Emit;
using KernelGen.Generator.Planning;

namespace KernelGen.Generator.Plans;

/// <summary>
/// Last-axis float rows of 3 to 16, C rows at a time (C = 8 on the Vector256 path, 16 on the Vector512 one), and double
/// rows of 3 to 16 on the Vector512 path, 8 at a time, and of 3 to 8 on the Vector256 path, 4 at a time (the chooser gives
/// them rows of 3 to 11 and of 4 to 8), turned into
/// L column vectors with one row per lane so that the softmax runs lane-wise across the columns, then turned back into
/// rows. How a group becomes columns depends on the row length:
/// <list type="bullet">
/// <item>rows of 4: the group is 4 contiguous vectors of C / 4 rows, one per 128-bit block, and <c>Lanes.TransposeBlocks</c>
/// (a 4 x 4 transpose within each block, 8 shuffles) makes the columns;</item>
/// <item>rows of 5 to 8 on Vector512: two rows per vector (rows k and 8 + k of the group in its halves, each half loaded
/// from the row's first element), and <c>Lanes.TransposePairs</c> (24 shuffles) makes 8 columns of 16;</item>
/// <item>otherwise each row of the group is loaded into one vector (on Vector256, two for rows longer than 8) starting at
/// its first element, so the vector's lanes past the row hold the next row's first elements, and <c>Lanes.Transpose</c>
/// (a C x C transpose: 24 shuffles for 8, 64 for 16) makes the columns.</item>
/// </list>
/// Rows are stored back in order, so that each row's store overwrites what the one before it wrote past its end. A row
/// whose vector would reach past the group (or the tensor) is read and written with <c>Lanes.LoadFirst</c>/<c>StoreFirst</c>,
/// only as far as the group goes.
/// </summary>
internal sealed record TransposedRowsPlan(TensorFacts Tensor, Lanes Lanes) : RowGroupPlan(Tensor, Lanes)
{
    /// <summary>Whether the plan can serve the layout: float rows of 3 to 16 on the Vector256 or Vector512 path, double rows of 3 to 16 on the Vector512 path and of 3 to 8 (two vectors at most) on the Vector256 path.</summary>
    public static bool Serves(TensorFacts tensor, Lanes lanes) =>
        tensor.IsLastAxis && !tensor.IsCausal && tensor.Length is >= 3 and <= 16
        && (lanes.Element == "float" ? lanes.Vector is "Vector256" or "Vector512" : lanes.Vector == "Vector512" || (lanes.Vector == "Vector256" && tensor.Length <= 8));

    /// <summary>
    /// On the Vector512 path the exp reads its constants from memory (<c>FloatExp512InMemory</c>): a group of 16 rows keeps
    /// up to 16 column vectors and their exps live, and the eleven constants in registers beside them spilled. Plan sweep,
    /// --shapes, 21 rounds, 2026-12-01 10:58 UTC, Xeon with AVX-512: 1.05x to 1.45x faster at 32 of 39 points of rows of 4
    /// to 16 with 16, 32 and 256 rows ([32, 8] 156 against 173 ns, [256, 16] 2517 against 3660), 0.98x to 1.04x at the
    /// others. Every other Vector512 plan measured was slower with it (rows in registers 0.88x to 0.97x, columns
    /// 0.85x to 1.02x).
    /// </summary>
    public override bool ExpConstantsInMemory => C == 16;

    private int L => Tensor.Length;
    private int C => Lanes.Count;
    /// <summary>Vectors per row: 1 for rows of up to 8, 2 for longer ones.</summary>
    private int Halves => L > C ? 2 : 1;

    /// <summary>
    /// Rows of 5 to 8 on the Vector512 path: two rows per vector (row k and row 8 + k of the group of 16 in its
    /// halves), turned into columns by <c>Lanes.TransposePairs</c> (24 shuffles for 16 rows) instead of a 16 x 16 transpose.
    /// </summary>
    private bool Paired => C == 16 && L is > 4 and <= 8;

    /// <summary>
    /// Float rows of 4: the group's C rows are 4 contiguous vectors (C / 4 rows each), turned into 4 columns by
    /// <c>Lanes.TransposeBlocks</c>, a 4 x 4 transpose within each 128-bit block (8 shuffles each way). (A 128-bit block
    /// holds two doubles: double rows of 4 go one per vector, as rows of 3 and 5 to 8 do.)
    /// </summary>
    private bool Quad => L == 4 && Lanes.Element == "float";

    public override string Name => $"rows transposed {C} at a time";

    public override int GroupElements => C * L;

    public override string DescribeGroup() => Quad
        ? $"{Tensor.RowsText} rows of 4: each group of {C} rows is 4 contiguous vectors of {C / 4} rows, turned into 4 column vectors (one row per lane) by Lanes.TransposeBlocks, a 4 x 4 transpose within each 128-bit block, 8 shuffles; max, exp and sum run lane-wise across the columns, then the same transpose back and 4 stores"
        : Paired
        ? $"{Tensor.RowsText} rows of {L}: each group of 16 rows is loaded two rows per vector (rows k and 8 + k of the group in its two halves), turned into {L} column vectors (one row per lane) by Lanes.TransposePairs, 24 shuffles; max, exp and sum run lane-wise across the columns, then Lanes.UntransposePairs and one store per row, in order"
        : $"{Tensor.RowsText} rows of {L}: each group of {C} rows is loaded one row per {(Halves == 1 ? "vector" : "pair of vectors")}, turned into {L} column vectors (lane j = row j) by {(Halves == 1 ? $"{(C == 8 ? "an" : "a")} {C} x {C} transpose" : $"two {C} x {C} transposes")} (Lanes.Transpose); max, exp and sum run lane-wise across the columns, then the transpose back and one store per row{(Halves == 1 ? "" : " half")}, in order";

    public override void WriteGroup(CodeWriter w, string x, string y, string offset, int freshFrom, int available)
    {
        if (Quad)
        {
            WriteQuadGroup(w, x, y, offset, freshFrom, available);
            return;
        }
        if (Paired)
        {
            WritePairedGroup(w, x, y, offset, freshFrom, available);
            return;
        }
        var v = new VectorCode(Lanes);
        string T = v.Type;
        int rows = System.Math.Min(C, available / L);
        string At(int element) => Offset(offset, element);
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
        // The lanes past the row are stored past its end and overwritten by the next row's store, so any vector serves
        // as their column: the last result column, already live, rather than the input columns, which would stay live
        // through the exps only for this (on Vector512 rows of 12 their four registers made the loop spill: 54 stack
        // accesses per group, 16 without them, 1.02x-1.04x faster; interleaved A/B, Xeon with AVX-512).
        w.Line($"// Transpose back: lane l of row<j> holds element l of row j's result{(L % C != 0 ? $" (lanes past the row: copies of element {L - 1}, overwritten by the next row)" : "")}.");
        for (int h = 0; h < Halves; h++)
        {
            string name = Halves == 1 ? "row" : h == 0 ? "low" : "high";
            w.Line($"{T} {string.Join(", ", rowsOfGroup.Select(j => $"{name}{j} = r{System.Math.Min(h * C + j, L - 1)}"))};");
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

    // Rows of 5 to 8, 16 at a time on Vector512, two per vector: row r of the group in half r / 8 of vector r % 8.
    private void WritePairedGroup(CodeWriter w, string x, string y, string offset, int freshFrom, int available)
    {
        var v = new VectorCode(Lanes);
        var half = new VectorCode(Lanes.For("Vector256", Model.ElementKind.Float));
        string T = v.Type;
        int rows = System.Math.Min(C, available / L);
        string At(int element) => Offset(offset, element);
        // Row r's 8 lanes start at element r L; they may run on to `available` (the group's or the tensor's end).
        int Count(int r) => System.Math.Min(8, available - r * L);
        string Load(int r) => r >= rows ? half.Zero : Count(r) == 8 ? half.Load(x, At(r * L)) : half.LoadFirst(x, At(r * L), Count(r));
        string Pair(int k) => $"{Lanes.Vector}.Create({Load(k)}, {Load(k + 8)}){(Tensor.IsScaled ? " * scale" : "")}";
        string Refs(string name) => RefList(name, 8);

        if (rows < C) w.Line($"// The tensor's {rows} rows fill {rows} of the group's {C} lanes; the others hold no row and are never stored.");
        w.Line($"// Rows k and 8 + k in the halves of c<k>, 8 lanes each{(L < 8 ? $" (lanes past element {L - 1} hold the next row's first elements, or nothing)" : "")}.");
        w.Line($"{T} {string.Join(", ", Enumerable.Range(0, 8).Select(k => $"c{k} = {Pair(k)}"))};");
        w.Line($"Lanes.TransposePairs({Refs("c")}); // now lane i of c<l> holds element l of row Lanes.PairedRow(i)");
        TransposedGroup.ColumnsOnly(v, Tensor.IsLog, L, Tensor.ZeroMaskedRows).WriteColumnSoftmax(w, 0);
        w.Line($"// Back to rows: the low half of pair<k> is row k's result, the high half row 8 + k's{(L < 8 ? $" (lanes past the row: copies of element {L - 1}, overwritten by the next row)" : "")}.");
        w.Line($"{T} {string.Join(", ", Enumerable.Range(0, 8).Select(k => $"pair{k} = r{System.Math.Min(k, L - 1)}"))};");
        w.Line($"Lanes.UntransposePairs({Refs("pair")});");
        w.Line("// Store row by row, in order: each row's store overwrites what the one before it wrote past its end.");
        for (int r = 0; r < rows; r++)
        {
            if (r * L < freshFrom) continue;
            string value = $"pair{r % 8}.{(r < 8 ? "GetLower()" : "GetUpper()")}";
            w.Line(Count(r) == 8 ? half.Store(value, y, At(r * L)) : half.StoreFirst(value, y, At(r * L), Count(r)));
        }
    }

    // Rows of 4: vector k holds rows (C / 4) k to (C / 4) k + C / 4 - 1, one per 128-bit block.
    private void WriteQuadGroup(CodeWriter w, string x, string y, string offset, int freshFrom, int available)
    {
        var v = new VectorCode(Lanes);
        string T = v.Type;
        string At(int element) => Offset(offset, element);
        // Vector k covers elements k C to k C + C - 1, of which the first Count(k) exist.
        int Count(int k) => System.Math.Max(0, System.Math.Min(C, available - k * C));
        string Load(int k)
        {
            if (Count(k) == 0) return v.Zero;
            string load = Count(k) == C ? v.Load(x, At(k * C)) : v.LoadFirst(x, At(k * C), Count(k));
            return Tensor.IsScaled ? $"{load} * scale" : load;
        }
        string Refs(string name) => RefList(name, 4);
        // Block b of a vector as a Vector128.
        string Block(string value, int b) => C == 8
            ? $"{value}.{(b == 0 ? "GetLower()" : "GetUpper()")}"
            : $"{value}.{(b < 2 ? "GetLower()" : "GetUpper()")}.{(b % 2 == 0 ? "GetLower()" : "GetUpper()")}";

        if (available < 4 * C) w.Line($"// The tensor's {available / 4} rows fill {available / 4} of the group's {C} lanes; the others hold no row and are never stored.");
        w.Line($"// Rows 0 to {C - 1}: {C / 4} rows of 4 per vector, one per 128-bit block.");
        w.Line($"{T} {string.Join(", ", Enumerable.Range(0, 4).Select(k => $"c{k} = {Load(k)}"))};");
        w.Line($"Lanes.TransposeBlocks({Refs("c")}); // now lane 4b + p of c<l> holds element l of row {C / 4}p + b");
        TransposedGroup.ColumnsOnly(v, Tensor.IsLog, L, Tensor.ZeroMaskedRows).WriteColumnSoftmax(w, 0);
        w.Line("// The same transpose turns the results back into rows.");
        w.Line($"{T} {string.Join(", ", Enumerable.Range(0, 4).Select(k => $"rows{k} = r{k}"))};");
        w.Line($"Lanes.TransposeBlocks({Refs("rows")});");
        for (int k = 0; k < 4; k++)
        {
            int fresh = System.Math.Max(freshFrom, k * C) - k * C; // the first element of the vector to write
            if (fresh >= Count(k)) continue;
            if (fresh == 0)
            {
                w.Line(Count(k) == C ? v.Store($"rows{k}", y, At(k * C)) : v.StoreFirst($"rows{k}", y, At(k * C), Count(k)));
                continue;
            }
            int first = (k * C + fresh) / 4, last = (k * C + Count(k)) / 4 - 1;
            w.Line(first == last
                ? $"// Only the group's row {first} is new in this vector: its 128-bit block is stored."
                : $"// Only the group's rows {first} to {last} are new in this vector: stored one 128-bit block each.");
            for (int b = fresh / 4; b < Count(k) / 4; b++) w.Line($"{Block($"rows{k}", b)}.StoreUnsafe(ref {y}, {At(k * C + 4 * b)});");
        }
    }

    // The element at `element` past `offset` (a constant or an expression), as code.
    private static string Offset(string offset, int element) =>
        int.TryParse(offset, out int start) ? $"{start + element}" : element == 0 ? offset : $"{offset} + {element}";

    // "ref name0, ref name1, ...".
    private static string RefList(string name, int count) => string.Join(", ", Enumerable.Range(0, count).Select(k => $"ref {name}{k}"));
}
