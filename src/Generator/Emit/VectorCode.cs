using System;
using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Planning;

namespace KernelGen.Generator.Emit;

/// <summary>C# expressions for one hardware path, so that a plan is written once for Vector512, Vector256 and Vector128.</summary>
internal sealed class VectorCode
{
    private readonly Lanes _lanes;

    public VectorCode(Lanes lanes) => _lanes = lanes;

    private string V => _lanes.Vector;

    public string Type => _lanes.Type;

    /// <summary>The vector type's name: Vector512, Vector256, Vector128 (or the element type, for scalar).</summary>
    public string VectorName => _lanes.Vector;

    /// <summary>The declaration of the <c>scale</c> local that a kernel with <c>Scale</c> multiplies its loads by.</summary>
    public string ScaleDeclaration(string literal) =>
        $"{Type} scale = {(_lanes.IsScalar ? literal : Splat(literal))}; // the kernel computes softmax(scale * x)";

    /// <summary>
    /// A balanced tree of <paramref name="combine"/> over <paramref name="items"/> (pairs, then pairs of pairs, an odd one
    /// carried up): depth log2 n instead of a chain of n - 1, for sums and maxima whose order does not matter.
    /// </summary>
    public static string Balanced(IEnumerable<string> items, Func<string, string, string> combine)
    {
        var level = items.ToList();
        while (level.Count > 1)
        {
            var next = new List<string>();
            for (int i = 0; i + 1 < level.Count; i += 2) next.Add(combine(level[i], level[i + 1]));
            if (level.Count % 2 == 1) next.Add(level[level.Count - 1]);
            level = next;
        }
        return level[0];
    }

    public string Load(string source, string offset) => $"{V}.LoadUnsafe(ref {source}, {offset})";

    /// <summary>The first <paramref name="count"/> elements at <paramref name="offset"/> into a vector, reading nothing after them.</summary>
    public string LoadFirst(string source, string offset, int count) =>
        $"Lanes.LoadFirst{V.Substring("Vector".Length)}(ref {At(source, offset)}, {count})";

    /// <summary>Writes the first <paramref name="count"/> lanes of <paramref name="value"/> at <paramref name="offset"/>, and nothing after them.</summary>
    public string StoreFirst(string value, string destination, string offset, int count) =>
        $"Lanes.StoreFirst({value}, ref {At(destination, offset)}, {count});";

    private static string At(string reference, string offset) => offset == "0" ? reference : $"Unsafe.Add(ref {reference}, {offset})";

    public string Store(string value, string destination, string offset) =>
        $"{(IsSimple(value) ? value : "(" + value + ")")}.StoreUnsafe(ref {destination}, {offset});";

    public string Equals(string left, string right) => $"{V}.Equals({left}, {right})";

    /// <summary>All bits set in the lanes that are NaN.</summary>
    public string IsNaN(string value) => $"{V}.IsNaN({value})";

    public string AndNot(string value, string mask) => $"{V}.AndNot({value}, {mask})";

    public string One => $"{V}<{_lanes.Element}>.One";

    /// <summary>
    /// True where the path declares a <c>FloatExp512</c> (or 256, 128) named <c>exp</c>: float vectors, whose exp's
    /// constants are then loaded once per call and kept in registers across the loops (see <see cref="ExpDeclaration"/>).
    /// </summary>
    public bool HasFloatExp => HasFloatExpFor(_lanes);

    public static bool HasFloatExpFor(Lanes lanes) => !lanes.IsScalar && lanes.Element == "float";

    /// <summary>The declaration of the path's <c>exp</c>, at the top of a float vector path that computes exp.</summary>
    public static string ExpDeclaration(Lanes lanes, bool inMemory = false) => inMemory
        ? $"FloatExp{lanes.Vector.Substring("Vector".Length)}InMemory exp = new(); // the exp's constants are read from memory at each use: the group's vectors fill the registers"
        : $"FloatExp{lanes.Vector.Substring("Vector".Length)} exp = new(); // the exp's constants, loaded once: they stay in registers across the loops";

    /// <summary>
    /// The declaration of <paramref name="floor"/>, the smallest value whose product with the factor 1 / <paramref name="sum"/>
    /// is a normal float (0 for double), for <see cref="Scale"/>: a multiply of the sum, which does not wait for the
    /// factor's division (<c>Lanes.NormalFloorOfSum</c>; [3, 3] 1.08x to 1.10x, [256, 4] 1.08x to 1.20x faster than
    /// dividing by the factor, interleaved A/B on the Xeon).
    /// </summary>
    public static string FloorDeclaration(string type, string floor, string sum) =>
        $"{type} {floor} = Lanes.NormalFloorOfSum({sum}); // below it, e * factor would be subnormal: those results are 0";

    /// <summary>
    /// The declaration of <paramref name="floor"/> for a row whose sum (a double) is known: <c>2^-126 * sum</c>, no
    /// division (for double kernels the floor is not used).
    /// </summary>
    public string FloorOfSumDeclaration(string floor, string sum) =>
        $"{Type} {floor} = {(_lanes.IsScalar ? "" : V + ".Create(")}{(_lanes.Element == "float" ? "" : "(double)")}Lanes.NormalFloorOfSum({sum}){(_lanes.IsScalar ? "" : ")")}; // below it, e * factor would be subnormal: those results are 0";

    /// <summary>
    /// value * factor, 0 where value is below floor (float: the product would be subnormal, which costs Intel processors a
    /// microcode assist per instruction; double: no flush).
    /// </summary>
    public static string Scale(string value, string factor, string floor) => $"Lanes.ScaleAboveFloor({value}, {factor}, {floor})";

    /// <summary>e^(x - y) with x - y taken exactly.</summary>
    public string ExpOfDifference(string x, string y) => HasFloatExp ? $"exp.OfDifference({x}, {y})" : $"VectorMath.ExpOfDifference({x}, {y})";

    /// <summary>
    /// <see cref="ExpOfDifference"/> for code outside the loops (run once per slab): double calls its exp out of line
    /// there (<c>VectorMath.ExpOfDifferenceOutOfLine</c>), so that its body does not use up the JIT's inlining budget for
    /// the loops, as the BCL's large double exp once did; float's exp is inlined.
    /// </summary>
    public string ExpOfDifferenceOnce(string x, string y) => _lanes.Element == "double" && !_lanes.IsScalar ? $"VectorMath.ExpOfDifferenceOutOfLine({x}, {y})" : ExpOfDifference(x, y);

    /// <summary><see cref="ExpNoOverflow"/> for code outside the loops (see <see cref="ExpOfDifferenceOnce"/>).</summary>
    public string ExpNoOverflowOnce(string x) => _lanes.Element == "double" && !_lanes.IsScalar ? $"VectorMath.ExpNoOverflowOutOfLine({x})" : ExpNoOverflow(x);

    /// <summary>e^x for x at most 0 (no overflow path).</summary>
    public string ExpNoOverflow(string x) => HasFloatExp ? $"exp.NoOverflow({x})" : $"VectorMath.ExpNoOverflow({x})";

    // A name or a call: safe to follow with a member access without parentheses.
    private static bool IsSimple(string expression) => !expression.Contains(" ") || (expression.EndsWith(")") && !expression.StartsWith("("));

    public string Splat(string value) => $"{V}.Create({value})";

    public string NegativeInfinity => Splat($"{_lanes.Element}.NegativeInfinity");

    public string Zero => $"{V}<{_lanes.Element}>.Zero";

    public string Max(string left, string right) => $"{V}.MaxNative({left}, {right})";

    /// <summary>A lane select whose mask is a constant or a comparison: one blend instruction (see <c>KernelGen.Lanes.Select</c>).</summary>
    public string Select(string mask, string ifSet, string ifClear) => $"Lanes.Select({mask}, {ifSet}, {ifClear})";

    public int Lanes => _lanes.Count;

    public string Element => _lanes.Element;

    /// <summary>
    /// A running max under the kernel's MaskedRows policy: NaN-propagating under Zero (a row holding a NaN must stay NaN,
    /// not be taken for a row of -inf), the hardware max otherwise (a NaN then reaches the sum and makes the row NaN).
    /// </summary>
    public string RowMax(bool zeroMaskedRows, string left, string right) => zeroMaskedRows ? MaxPropagating(left, right) : Max(left, right);

    /// <summary>MaskedRows = Zero: <paramref name="value"/> with 0 in the lanes whose max is -inf (every element -inf); otherwise <paramref name="value"/>.</summary>
    public string ZeroWhereMasked(bool zeroMaskedRows, string value, string max) =>
        zeroMaskedRows ? AndNot(value, Equals(max, NegativeInfinity)) : value;

    /// <summary>IEEE max/min: a NaN in either operand gives NaN.</summary>
    public string MaxPropagating(string left, string right) => $"{V}.Max({left}, {right})";

    public string MinPropagating(string left, string right) => $"{V}.Min({left}, {right})";

    public string GreaterThanOrEqual(string left, string right) => $"{V}.GreaterThanOrEqual({left}, {right})";

    /// <summary>A constant permutation: lane j of the result takes lane <c>indices[j]</c> of <paramref name="source"/>.</summary>
    public string Shuffle(string source, int[] indices)
    {
        bool identity = indices.Select((value, j) => value == j).All(b => b);
        if (identity) return source;
        string suffix = _lanes.Element == "float" ? "" : "L";
        return $"{V}.Shuffle({source}, {V}.Create({string.Join(", ", indices.Select(i => i + suffix))}))";
    }

    /// <summary>
    /// A blend whose lanes are known when the kernel is generated: lane j from <paramref name="ifSet"/> where
    /// <c>mask[j]</c>, else from <paramref name="ifClear"/>. On the Vector256 path, which runs only where Vector256 is
    /// hardware accelerated (x64 with AVX2), an immediate blend (<c>Avx.Blend</c>, vblendps; bit j of the immediate is
    /// lane j): one micro-op, no mask held in a register, and no helper for the JIT to inline. Groups of a few dozen
    /// blends had spent the JIT's inlining budget on <c>Lanes.Select</c> (a whole tiny-slab group of 24 vectors, [4, 24,
    /// 2] axis 1: 72 of its selects and 24 other helpers became calls). Elsewhere <c>Lanes.Select</c> with a constant
    /// mask.
    /// </summary>
    public string Blend(bool[] mask, string ifSet, string ifClear)
    {
        if (V != "Vector256") return Select(Mask(mask), ifSet, ifClear);
        string bits = new(Enumerable.Reverse(mask).Select(b => b ? '1' : '0').ToArray());
        return $"Avx.Blend({ifClear}, {ifSet}, 0b{bits})";
    }

    /// <summary>A constant mask with the given lanes set.</summary>
    public string Mask(bool[] set)
    {
        bool isFloat = _lanes.Element == "float";
        string on = isFloat ? "-1" : "-1L", off = isFloat ? "0" : "0L";
        return $"{V}.Create({string.Join(", ", set.Select(b => b ? on : off))}).{(isFloat ? "AsSingle" : "AsDouble")}()";
    }

    /// <summary>A run-time mask whose lanes <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive) are set; both are nuint expressions.</summary>
    public string RangeMask(string from, string to)
    {
        bool isFloat = _lanes.Element == "float";
        string index = isFloat ? "int" : "long";
        string indices = $"{V}<{index}>.Indices";
        return $"({V}.GreaterThanOrEqual({indices}, {V}.Create(({index})({from}))) & {V}.LessThan({indices}, {V}.Create(({index})({to})))).{(isFloat ? "AsSingle" : "AsDouble")}()";
    }

    /// <summary>A constant mask whose lanes from <paramref name="firstLane"/> on are set.</summary>
    public string TailMask(int firstLane)
    {
        bool isFloat = _lanes.Element == "float";
        string set = isFloat ? "-1" : "-1L", clear = isFloat ? "0" : "0L";
        string values = string.Join(", ", Enumerable.Range(0, _lanes.Count).Select(j => j >= firstLane ? set : clear));
        return $"{V}.Create({values}).{(isFloat ? "AsSingle" : "AsDouble")}()";
    }
}
