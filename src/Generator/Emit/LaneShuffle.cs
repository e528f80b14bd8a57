using System.Collections.Generic;
using System.Linq;

namespace KernelGen.Generator.Emit;

/// <summary>
/// Builds a register permutation known at compile time: a vector whose lane j comes from lane
/// <c>Lane</c> of source vector <c>Vector</c>, written as one constant <c>Shuffle</c> per source vector and
/// constant-mask blends between them (<see cref="VectorCode.Blend"/>). This is how short rows are transposed into columns
/// (lane r of column k = element k of row r) and back.
/// </summary>
internal static class LaneShuffle
{
    /// <param name="v">The hardware path's expressions.</param>
    /// <param name="sources">The names of the source vectors.</param>
    /// <param name="from">For each lane of the result, (source vector, lane); a negative vector means "any".</param>
    public static string Gather(VectorCode v, IReadOnlyList<string> sources, (int Vector, int Lane)[] from)
    {
        var used = from.Where(f => f.Vector >= 0).Select(f => f.Vector).Distinct().OrderBy(i => i).ToList();
        if (used.Count == 0) return v.Zero;
        string Part(int source)
        {
            int[] indices = from.Select((f, j) => f.Vector == source ? f.Lane : (from[j].Vector < 0 ? j : 0)).ToArray();
            return v.Shuffle(sources[source], indices);
        }
        // The last source fills every lane not taken by an earlier one.
        string expression = Part(used[used.Count - 1]);
        for (int i = used.Count - 2; i >= 0; i--)
        {
            int source = used[i];
            bool[] mask = from.Select(f => f.Vector == source).ToArray();
            expression = v.Blend(mask, Part(source), expression);
        }
        return expression;
    }
}
