using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.Intrinsics;
using Xunit;

namespace KernelGen.Runtime.Tests;

/// <summary>
/// The lane helpers the generated kernels use. CI runs these on the Vector256, Vector128 and scalar paths, so the
/// shuffle-instruction forms and the portable fallbacks are both checked.
/// </summary>
public class LanesTests
{
    // Element i of the pair vectors holds i: row r of the group is (2r, 2r + 1).
    private static T[] Pairs<T>(int count, Func<int, T> value) => Enumerable.Range(0, count).Select(value).ToArray();

    [Fact]
    public void Transpose_moves_lane_j_of_vector_i_to_lane_i_of_vector_j_and_twice_is_the_identity()
    {
        var v = new Vector256<float>[8];
        for (int i = 0; i < 8; i++) v[i] = Vector256.Create(Pairs(8, j => 10f * i + j).AsSpan());
        Vector256<float>[] original = [.. v];
        Lanes.Transpose(ref v[0], ref v[1], ref v[2], ref v[3], ref v[4], ref v[5], ref v[6], ref v[7]);
        for (int i = 0; i < 8; i++)
        {
            for (int j = 0; j < 8; j++) Assert.Equal(10f * j + i, v[i][j]);
        }
        Lanes.Transpose(ref v[0], ref v[1], ref v[2], ref v[3], ref v[4], ref v[5], ref v[6], ref v[7]);
        Assert.Equal(original, v);
    }

    [Fact]
    public void Transpose_of_16_moves_lane_j_of_vector_i_to_lane_i_of_vector_j_and_twice_is_the_identity()
    {
        var v = new Vector512<float>[16];
        for (int i = 0; i < 16; i++) v[i] = Vector512.Create(Pairs(16, j => 100f * i + j).AsSpan());
        Vector512<float>[] original = [.. v];
        Lanes.Transpose(ref v[0], ref v[1], ref v[2], ref v[3], ref v[4], ref v[5], ref v[6], ref v[7], ref v[8], ref v[9], ref v[10], ref v[11], ref v[12], ref v[13], ref v[14], ref v[15]);
        for (int i = 0; i < 16; i++)
        {
            for (int j = 0; j < 16; j++) Assert.Equal(100f * j + i, v[i][j]);
        }
        Lanes.Transpose(ref v[0], ref v[1], ref v[2], ref v[3], ref v[4], ref v[5], ref v[6], ref v[7], ref v[8], ref v[9], ref v[10], ref v[11], ref v[12], ref v[13], ref v[14], ref v[15]);
        Assert.Equal(original, v);
    }

    [Fact]
    public void Transpose_of_4_doubles_moves_lane_j_of_vector_i_to_lane_i_of_vector_j_and_twice_is_the_identity()
    {
        var v = new Vector256<double>[4];
        for (int i = 0; i < 4; i++) v[i] = Vector256.Create(Pairs(4, j => 10.0 * i + j).AsSpan());
        Vector256<double>[] original = [.. v];
        Lanes.Transpose(ref v[0], ref v[1], ref v[2], ref v[3]);
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++) Assert.Equal(10.0 * j + i, v[i][j]);
        }
        Lanes.Transpose(ref v[0], ref v[1], ref v[2], ref v[3]);
        Assert.Equal(original, v);
    }

    [Fact]
    public void Transpose_of_8_doubles_moves_lane_j_of_vector_i_to_lane_i_of_vector_j_and_twice_is_the_identity()
    {
        var v = new Vector512<double>[8];
        for (int i = 0; i < 8; i++) v[i] = Vector512.Create(Pairs(8, j => 10.0 * i + j).AsSpan());
        Vector512<double>[] original = [.. v];
        Lanes.Transpose(ref v[0], ref v[1], ref v[2], ref v[3], ref v[4], ref v[5], ref v[6], ref v[7]);
        for (int i = 0; i < 8; i++)
        {
            for (int j = 0; j < 8; j++) Assert.Equal(10.0 * j + i, v[i][j]);
        }
        Lanes.Transpose(ref v[0], ref v[1], ref v[2], ref v[3], ref v[4], ref v[5], ref v[6], ref v[7]);
        Assert.Equal(original, v);
    }

    [Fact]
    public void Transpose_pairs_puts_element_l_of_each_of_16_rows_in_column_l_and_untranspose_undoes_it()
    {
        // Row k in the low half of vector k, row 8 + k in its high half; element l of row r holds 100 r + l.
        var v = new Vector512<float>[8];
        for (int k = 0; k < 8; k++) v[k] = Vector512.Create(Pairs(16, j => 100f * (k + 8 * (j / 8)) + j % 8).AsSpan());
        Vector512<float>[] original = [.. v];
        Lanes.TransposePairs(ref v[0], ref v[1], ref v[2], ref v[3], ref v[4], ref v[5], ref v[6], ref v[7]);
        for (int l = 0; l < 8; l++)
        {
            for (int i = 0; i < 16; i++) Assert.Equal(100f * Lanes.PairedRow(i) + l, v[l][i]);
        }
        Assert.Equal(Enumerable.Range(0, 16).ToArray(), Enumerable.Range(0, 16).Select(Lanes.PairedRow).Order().ToArray()); // every row once
        Lanes.UntransposePairs(ref v[0], ref v[1], ref v[2], ref v[3], ref v[4], ref v[5], ref v[6], ref v[7]);
        Assert.Equal(original, v);
    }

    [Fact]
    public void Transpose_blocks_transposes_each_128_bit_block_and_twice_is_the_identity()
    {
        var v = new Vector256<float>[4];
        for (int i = 0; i < 4; i++) v[i] = Vector256.Create(Pairs(8, j => 10f * i + j).AsSpan());
        Vector256<float>[] original = [.. v];
        Lanes.TransposeBlocks(ref v[0], ref v[1], ref v[2], ref v[3]);
        for (int l = 0; l < 4; l++)
        {
            for (int j = 0; j < 8; j++) Assert.Equal(10f * (j % 4) + 4 * (j / 4) + l, v[l][j]); // lane 4b + p: element 4b + l of vector p
        }
        Lanes.TransposeBlocks(ref v[0], ref v[1], ref v[2], ref v[3]);
        Assert.Equal(original, v);

        var w = new Vector512<float>[4];
        for (int i = 0; i < 4; i++) w[i] = Vector512.Create(Pairs(16, j => 100f * i + j).AsSpan());
        Vector512<float>[] original512 = [.. w];
        Lanes.TransposeBlocks(ref w[0], ref w[1], ref w[2], ref w[3]);
        for (int l = 0; l < 4; l++)
        {
            for (int j = 0; j < 16; j++) Assert.Equal(100f * (j % 4) + 4 * (j / 4) + l, w[l][j]);
        }
        Lanes.TransposeBlocks(ref w[0], ref w[1], ref w[2], ref w[3]);
        Assert.Equal(original512, w);
    }

    [Fact]
    public void Split_pairs_puts_each_rows_two_elements_in_the_same_lane_and_join_undoes_it_float256()
    {
        float[] all = Pairs(16, i => (float)i);
        var v0 = Vector256.Create(all.AsSpan(0, 8));
        var v1 = Vector256.Create(all.AsSpan(8, 8));
        var first = Lanes.SplitPairsFirst(v0, v1);
        var second = Lanes.SplitPairsSecond(v0, v1);
        AssertRowsInLanes(ToArray(first), ToArray(second), 8);
        Assert.Equal(new float[] { 0, 2, 8, 10, 4, 6, 12, 14 }, ToArray(first)); // the documented order
        Assert.Equal(v0, Lanes.JoinPairsLow(first, second));
        Assert.Equal(v1, Lanes.JoinPairsHigh(first, second));
    }

    [Fact]
    public void Split_pairs_puts_each_rows_two_elements_in_the_same_lane_and_join_undoes_it_float128()
    {
        float[] all = Pairs(8, i => (float)i);
        var v0 = Vector128.Create(all.AsSpan(0, 4));
        var v1 = Vector128.Create(all.AsSpan(4, 4));
        var first = Lanes.SplitPairsFirst(v0, v1);
        var second = Lanes.SplitPairsSecond(v0, v1);
        AssertRowsInLanes(ToArray(first), ToArray(second), 4);
        Assert.Equal(new float[] { 0, 2, 4, 6 }, ToArray(first));
        Assert.Equal(v0, Lanes.JoinPairsLow(first, second));
        Assert.Equal(v1, Lanes.JoinPairsHigh(first, second));
    }

    [Fact]
    public void Split_pairs_puts_each_rows_two_elements_in_the_same_lane_and_join_undoes_it_double256()
    {
        double[] all = Pairs(8, i => (double)i);
        var v0 = Vector256.Create(all.AsSpan(0, 4));
        var v1 = Vector256.Create(all.AsSpan(4, 4));
        var first = Lanes.SplitPairsFirst(v0, v1);
        var second = Lanes.SplitPairsSecond(v0, v1);
        AssertRowsInLanes(ToArray(first).Select(d => (float)d).ToArray(), ToArray(second).Select(d => (float)d).ToArray(), 4);
        Assert.Equal(new double[] { 0, 4, 2, 6 }, ToArray(first));
        Assert.Equal(v0, Lanes.JoinPairsLow(first, second));
        Assert.Equal(v1, Lanes.JoinPairsHigh(first, second));
    }

    [Fact]
    public void Split_pairs_puts_each_rows_two_elements_in_the_same_lane_and_join_undoes_it_double128()
    {
        var v0 = Vector128.Create(0.0, 1.0);
        var v1 = Vector128.Create(2.0, 3.0);
        var first = Lanes.SplitPairsFirst(v0, v1);
        var second = Lanes.SplitPairsSecond(v0, v1);
        Assert.Equal(Vector128.Create(0.0, 2.0), first);
        Assert.Equal(Vector128.Create(1.0, 3.0), second);
        Assert.Equal(v0, Lanes.JoinPairsLow(first, second));
        Assert.Equal(v1, Lanes.JoinPairsHigh(first, second));
    }

    [Fact]
    public void Select_takes_the_first_value_where_the_mask_is_set()
    {
        var mask = Vector256.Create(-1, 0, -1, 0, 0, 0, -1, -1).AsSingle();
        var chosen = Lanes.Select(mask, Vector256.Create(1f), Vector256.Create(2f));
        Assert.Equal(Vector256.Create(1f, 2, 1, 2, 2, 2, 1, 1), chosen);
        var mask128 = Vector128.Create(0L, -1L).AsDouble();
        Assert.Equal(Vector128.Create(2.0, 1.0), Lanes.Select(mask128, Vector128.Create(1.0), Vector128.Create(2.0)));
    }

    // Lane j of first holds element 2r and lane j of second element 2r + 1 of the same row r, every row once.
    private static void AssertRowsInLanes(float[] first, float[] second, int rows)
    {
        var seen = new HashSet<int>();
        for (int j = 0; j < first.Length; j++)
        {
            int row = (int)first[j] / 2;
            Assert.Equal(2 * row, first[j]);
            Assert.Equal(2 * row + 1, second[j]);
            Assert.True(seen.Add(row), $"row {row} appears twice");
        }
        Assert.Equal(rows, seen.Count);
    }

    private static T[] ToArray<T>(Vector256<T> v)
    {
        var a = new T[Vector256<T>.Count];
        v.CopyTo(a);
        return a;
    }

    private static T[] ToArray<T>(Vector128<T> v)
    {
        var a = new T[Vector128<T>.Count];
        v.CopyTo(a);
        return a;
    }
}
