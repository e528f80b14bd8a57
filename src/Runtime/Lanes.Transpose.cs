using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace KernelGen;

public static partial class Lanes
{
    /// <summary>
    /// Transposes the 8 x 8 floats held in <paramref name="v0"/> to <paramref name="v7"/> (lane j of vector i becomes lane
    /// i of vector j): the generated kernels load 8 short rows, one per vector, turn them into columns with one row per
    /// lane, and turn the results back into rows. On x64 it is the 24 in-lane and cross-lane shuffles of the classic AVX
    /// transpose (unpack, shuffle, 128-bit permute), a third of what a transpose by general permutes and blends takes;
    /// elsewhere (where the Vector256 path runs in software) it goes element by element.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Transpose(
        ref Vector256<float> v0, ref Vector256<float> v1, ref Vector256<float> v2, ref Vector256<float> v3,
        ref Vector256<float> v4, ref Vector256<float> v5, ref Vector256<float> v6, ref Vector256<float> v7)
    {
        if (Avx.IsSupported)
        {
            // 4 x 4 transposes within each 128-bit half (pairs of rows interleaved, then quadruples), then the halves exchanged.
            Transpose4InBlocks(v0, v1, v2, v3, out Vector256<float> q0, out Vector256<float> q1, out Vector256<float> q2, out Vector256<float> q3);
            Transpose4InBlocks(v4, v5, v6, v7, out Vector256<float> q4, out Vector256<float> q5, out Vector256<float> q6, out Vector256<float> q7);
            v0 = Avx.Permute2x128(q0, q4, 0x20);
            v1 = Avx.Permute2x128(q1, q5, 0x20);
            v2 = Avx.Permute2x128(q2, q6, 0x20);
            v3 = Avx.Permute2x128(q3, q7, 0x20);
            v4 = Avx.Permute2x128(q0, q4, 0x31);
            v5 = Avx.Permute2x128(q1, q5, 0x31);
            v6 = Avx.Permute2x128(q2, q6, 0x31);
            v7 = Avx.Permute2x128(q3, q7, 0x31);
            return;
        }
        ReadOnlySpan<Vector256<float>> a = [v0, v1, v2, v3, v4, v5, v6, v7];
        v0 = LaneOfEach(a, 0);
        v1 = LaneOfEach(a, 1);
        v2 = LaneOfEach(a, 2);
        v3 = LaneOfEach(a, 3);
        v4 = LaneOfEach(a, 4);
        v5 = LaneOfEach(a, 5);
        v6 = LaneOfEach(a, 6);
        v7 = LaneOfEach(a, 7);
    }

    /// <summary>
    /// Transposes the 16 x 16 floats held in <paramref name="v0"/> to <paramref name="v15"/> (lane j of vector i becomes
    /// lane i of vector j), as <see cref="Transpose(ref Vector256{float}, ref Vector256{float}, ref Vector256{float}, ref Vector256{float}, ref Vector256{float}, ref Vector256{float}, ref Vector256{float}, ref Vector256{float})"/>
    /// does for 8: on x64 with AVX-512, 64 shuffles (unpack, in-lane shuffle, two rounds of 128-bit block shuffles);
    /// elsewhere element by element. The 4 x 4 transposes write back into the arguments and the element-by-element form is
    /// a method of its own, so that this one declares 16 locals: with 32 and more the JIT would not inline it (its limit on
    /// an inlinee's locals), and every 16-row group spilled its 16 vectors to memory for a call, twice.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Transpose(
        ref Vector512<float> v0, ref Vector512<float> v1, ref Vector512<float> v2, ref Vector512<float> v3,
        ref Vector512<float> v4, ref Vector512<float> v5, ref Vector512<float> v6, ref Vector512<float> v7,
        ref Vector512<float> v8, ref Vector512<float> v9, ref Vector512<float> v10, ref Vector512<float> v11,
        ref Vector512<float> v12, ref Vector512<float> v13, ref Vector512<float> v14, ref Vector512<float> v15)
    {
        if (!Avx512F.IsSupported)
        {
            TransposeElementwise(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7, ref v8, ref v9, ref v10, ref v11, ref v12, ref v13, ref v14, ref v15);
            return;
        }
        // Within each 128-bit block: pairs of rows interleaved, then quadruples, so that block k of v<4g + m> holds
        // element 4k + m of rows 4g to 4g + 3.
        Transpose4InBlocks(v0, v1, v2, v3, out v0, out v1, out v2, out v3);
        Transpose4InBlocks(v4, v5, v6, v7, out v4, out v5, out v6, out v7);
        Transpose4InBlocks(v8, v9, v10, v11, out v8, out v9, out v10, out v11);
        Transpose4InBlocks(v12, v13, v14, v15, out v12, out v13, out v14, out v15);
        // Blocks 0 and 2 (0x88) or 1 and 3 (0xDD) of two vectors: columns m and m + 8, or m + 4 and m + 12, of 8 rows.
        Vector512<float> w0 = Avx512F.Shuffle4x128(v0, v4, 0x88), w1 = Avx512F.Shuffle4x128(v1, v5, 0x88);
        Vector512<float> w2 = Avx512F.Shuffle4x128(v2, v6, 0x88), w3 = Avx512F.Shuffle4x128(v3, v7, 0x88);
        Vector512<float> w4 = Avx512F.Shuffle4x128(v0, v4, 0xDD), w5 = Avx512F.Shuffle4x128(v1, v5, 0xDD);
        Vector512<float> w6 = Avx512F.Shuffle4x128(v2, v6, 0xDD), w7 = Avx512F.Shuffle4x128(v3, v7, 0xDD);
        Vector512<float> w8 = Avx512F.Shuffle4x128(v8, v12, 0x88), w9 = Avx512F.Shuffle4x128(v9, v13, 0x88);
        Vector512<float> w10 = Avx512F.Shuffle4x128(v10, v14, 0x88), w11 = Avx512F.Shuffle4x128(v11, v15, 0x88);
        Vector512<float> w12 = Avx512F.Shuffle4x128(v8, v12, 0xDD), w13 = Avx512F.Shuffle4x128(v9, v13, 0xDD);
        Vector512<float> w14 = Avx512F.Shuffle4x128(v10, v14, 0xDD), w15 = Avx512F.Shuffle4x128(v11, v15, 0xDD);
        v0 = Avx512F.Shuffle4x128(w0, w8, 0x88);
        v1 = Avx512F.Shuffle4x128(w1, w9, 0x88);
        v2 = Avx512F.Shuffle4x128(w2, w10, 0x88);
        v3 = Avx512F.Shuffle4x128(w3, w11, 0x88);
        v4 = Avx512F.Shuffle4x128(w4, w12, 0x88);
        v5 = Avx512F.Shuffle4x128(w5, w13, 0x88);
        v6 = Avx512F.Shuffle4x128(w6, w14, 0x88);
        v7 = Avx512F.Shuffle4x128(w7, w15, 0x88);
        v8 = Avx512F.Shuffle4x128(w0, w8, 0xDD);
        v9 = Avx512F.Shuffle4x128(w1, w9, 0xDD);
        v10 = Avx512F.Shuffle4x128(w2, w10, 0xDD);
        v11 = Avx512F.Shuffle4x128(w3, w11, 0xDD);
        v12 = Avx512F.Shuffle4x128(w4, w12, 0xDD);
        v13 = Avx512F.Shuffle4x128(w5, w13, 0xDD);
        v14 = Avx512F.Shuffle4x128(w6, w14, 0xDD);
        v15 = Avx512F.Shuffle4x128(w7, w15, 0xDD);
    }

    /// <summary>
    /// Transposes the 4 x 4 doubles held in <paramref name="v0"/> to <paramref name="v3"/> (lane j of vector i becomes lane
    /// i of vector j), for double rows 4 at a time on the Vector256 path: on x64 with AVX, 8 shuffles (unpack pairs of
    /// rows, then exchange 128-bit halves); elsewhere element by element.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Transpose(ref Vector256<double> v0, ref Vector256<double> v1, ref Vector256<double> v2, ref Vector256<double> v3)
    {
        if (Avx.IsSupported)
        {
            // Half h of e0 holds element 2h of rows 0 and 1, of e1 their element 2h + 1; e2 and e3 the same for rows 2 and 3.
            Vector256<double> e0 = Avx.UnpackLow(v0, v1), e1 = Avx.UnpackHigh(v0, v1);
            Vector256<double> e2 = Avx.UnpackLow(v2, v3), e3 = Avx.UnpackHigh(v2, v3);
            v0 = Avx.Permute2x128(e0, e2, 0x20);
            v1 = Avx.Permute2x128(e1, e3, 0x20);
            v2 = Avx.Permute2x128(e0, e2, 0x31);
            v3 = Avx.Permute2x128(e1, e3, 0x31);
            return;
        }
        ReadOnlySpan<Vector256<double>> a = [v0, v1, v2, v3];
        v0 = LaneOfEach(a, 0);
        v1 = LaneOfEach(a, 1);
        v2 = LaneOfEach(a, 2);
        v3 = LaneOfEach(a, 3);
    }

    /// <summary>
    /// Transposes the 8 x 8 doubles held in <paramref name="v0"/> to <paramref name="v7"/> (lane j of vector i becomes lane
    /// i of vector j), for double rows 8 at a time on the Vector512 path: on x64 with AVX-512, 24 shuffles (unpack pairs of
    /// rows, then two rounds of 128-bit block shuffles, as the 16 x 16 float transpose's last rounds); elsewhere element by
    /// element.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Transpose(
        ref Vector512<double> v0, ref Vector512<double> v1, ref Vector512<double> v2, ref Vector512<double> v3,
        ref Vector512<double> v4, ref Vector512<double> v5, ref Vector512<double> v6, ref Vector512<double> v7)
    {
        if (!Avx512F.IsSupported)
        {
            TransposeElementwise(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7);
            return;
        }
        // Block b of e<2k> holds element 2b of rows 2k and 2k + 1; of e<2k + 1>, their element 2b + 1.
        Vector512<double> e0 = Avx512F.UnpackLow(v0, v1), e1 = Avx512F.UnpackHigh(v0, v1);
        Vector512<double> e2 = Avx512F.UnpackLow(v2, v3), e3 = Avx512F.UnpackHigh(v2, v3);
        Vector512<double> e4 = Avx512F.UnpackLow(v4, v5), e5 = Avx512F.UnpackHigh(v4, v5);
        Vector512<double> e6 = Avx512F.UnpackLow(v6, v7), e7 = Avx512F.UnpackHigh(v6, v7);
        // Blocks 0 and 2 (0x88) or 1 and 3 (0xDD) of two of them: element m or m + 4, then m + 2 or m + 6, of rows 0 to 3 (4 to 7).
        Vector512<double> w0 = Avx512F.Shuffle4x128(e0, e2, 0x88), w1 = Avx512F.Shuffle4x128(e0, e2, 0xDD);
        Vector512<double> w2 = Avx512F.Shuffle4x128(e1, e3, 0x88), w3 = Avx512F.Shuffle4x128(e1, e3, 0xDD);
        Vector512<double> w4 = Avx512F.Shuffle4x128(e4, e6, 0x88), w5 = Avx512F.Shuffle4x128(e4, e6, 0xDD);
        Vector512<double> w6 = Avx512F.Shuffle4x128(e5, e7, 0x88), w7 = Avx512F.Shuffle4x128(e5, e7, 0xDD);
        v0 = Avx512F.Shuffle4x128(w0, w4, 0x88);
        v4 = Avx512F.Shuffle4x128(w0, w4, 0xDD);
        v2 = Avx512F.Shuffle4x128(w1, w5, 0x88);
        v6 = Avx512F.Shuffle4x128(w1, w5, 0xDD);
        v1 = Avx512F.Shuffle4x128(w2, w6, 0x88);
        v5 = Avx512F.Shuffle4x128(w2, w6, 0xDD);
        v3 = Avx512F.Shuffle4x128(w3, w7, 0x88);
        v7 = Avx512F.Shuffle4x128(w3, w7, 0xDD);
    }

    // The 8 x 8 double transpose element by element, where Vector512 runs in software.
    private static void TransposeElementwise(
        ref Vector512<double> v0, ref Vector512<double> v1, ref Vector512<double> v2, ref Vector512<double> v3,
        ref Vector512<double> v4, ref Vector512<double> v5, ref Vector512<double> v6, ref Vector512<double> v7)
    {
        ReadOnlySpan<Vector512<double>> a = [v0, v1, v2, v3, v4, v5, v6, v7];
        v0 = LaneOfEach(a, 0);
        v1 = LaneOfEach(a, 1);
        v2 = LaneOfEach(a, 2);
        v3 = LaneOfEach(a, 3);
        v4 = LaneOfEach(a, 4);
        v5 = LaneOfEach(a, 5);
        v6 = LaneOfEach(a, 6);
        v7 = LaneOfEach(a, 7);
    }

    /// <summary>
    /// Lane <paramref name="i"/> of each of the vectors, as one vector (lane r from vector r): a column of the
    /// element-by-element transposes, which run where the shuffles are missing.
    /// </summary>
    private static Vector256<T> LaneOfEach<T>(ReadOnlySpan<Vector256<T>> vectors, int i)
    {
        Vector256<T> column = default;
        for (int r = 0; r < vectors.Length; r++) column = column.WithElement(r, vectors[r][i]);
        return column;
    }

    /// <inheritdoc cref="LaneOfEach{T}(ReadOnlySpan{Vector256{T}}, int)"/>
    private static Vector512<T> LaneOfEach<T>(ReadOnlySpan<Vector512<T>> vectors, int i)
    {
        Vector512<T> column = default;
        for (int r = 0; r < vectors.Length; r++) column = column.WithElement(r, vectors[r][i]);
        return column;
    }

    // The 16 x 16 transpose element by element, where Vector512 runs in software.
    private static void TransposeElementwise(
        ref Vector512<float> v0, ref Vector512<float> v1, ref Vector512<float> v2, ref Vector512<float> v3,
        ref Vector512<float> v4, ref Vector512<float> v5, ref Vector512<float> v6, ref Vector512<float> v7,
        ref Vector512<float> v8, ref Vector512<float> v9, ref Vector512<float> v10, ref Vector512<float> v11,
        ref Vector512<float> v12, ref Vector512<float> v13, ref Vector512<float> v14, ref Vector512<float> v15)
    {
        ReadOnlySpan<Vector512<float>> a = [v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12, v13, v14, v15];
        v0 = LaneOfEach(a, 0);
        v1 = LaneOfEach(a, 1);
        v2 = LaneOfEach(a, 2);
        v3 = LaneOfEach(a, 3);
        v4 = LaneOfEach(a, 4);
        v5 = LaneOfEach(a, 5);
        v6 = LaneOfEach(a, 6);
        v7 = LaneOfEach(a, 7);
        v8 = LaneOfEach(a, 8);
        v9 = LaneOfEach(a, 9);
        v10 = LaneOfEach(a, 10);
        v11 = LaneOfEach(a, 11);
        v12 = LaneOfEach(a, 12);
        v13 = LaneOfEach(a, 13);
        v14 = LaneOfEach(a, 14);
        v15 = LaneOfEach(a, 15);
    }

    /// <summary>
    /// Turns 16 rows of 8 floats held two per vector (row k in the low half of <paramref name="v0"/> to <paramref name="v7"/>'s
    /// vector k, row 8 + k in its high half) into 8 columns of 16: lane i of vector l becomes element l of row
    /// <see cref="PairedRow"/>(i). The generated kernels use it for rows of 5 to 8 on the Vector512 path: 16 rows per 24
    /// shuffles, where two 8 x 8 transposes take 48 and a 16 x 16 one 64. On x64 with AVX-512: a 4 x 4 transpose within
    /// each 128-bit block (unpack, shuffle), then one 128-bit block shuffle per column; elsewhere element by element.
    /// <see cref="UntransposePairs"/> undoes it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TransposePairs(
        ref Vector512<float> v0, ref Vector512<float> v1, ref Vector512<float> v2, ref Vector512<float> v3,
        ref Vector512<float> v4, ref Vector512<float> v5, ref Vector512<float> v6, ref Vector512<float> v7)
    {
        if (Avx512F.IsSupported)
        {
            // Block b of u<m> holds element m of block b of v0 to v3 (u'<m>: of v4 to v7): blocks 0 to 3 are elements m,
            // 4 + m of rows 0 to 3 and m, 4 + m of rows 8 to 11 (rows 4 to 7 and 12 to 15 for u').
            Transpose4InBlocks(v0, v1, v2, v3, out Vector512<float> u0, out Vector512<float> u1, out Vector512<float> u2, out Vector512<float> u3);
            Transpose4InBlocks(v4, v5, v6, v7, out Vector512<float> w0, out Vector512<float> w1, out Vector512<float> w2, out Vector512<float> w3);
            // Column m: blocks 0 and 2 of u<m> and of u'<m> (0x88); column 4 + m: blocks 1 and 3 (0xDD).
            v0 = Avx512F.Shuffle4x128(u0, w0, 0x88);
            v1 = Avx512F.Shuffle4x128(u1, w1, 0x88);
            v2 = Avx512F.Shuffle4x128(u2, w2, 0x88);
            v3 = Avx512F.Shuffle4x128(u3, w3, 0x88);
            v4 = Avx512F.Shuffle4x128(u0, w0, 0xDD);
            v5 = Avx512F.Shuffle4x128(u1, w1, 0xDD);
            v6 = Avx512F.Shuffle4x128(u2, w2, 0xDD);
            v7 = Avx512F.Shuffle4x128(u3, w3, 0xDD);
            return;
        }
        Vector512<float>[] rows = [v0, v1, v2, v3, v4, v5, v6, v7];
        Vector512<float> Column(int l)
        {
            System.Span<float> column = stackalloc float[16];
            for (int i = 0; i < 16; i++)
            {
                int row = PairedRow(i);
                column[i] = rows[row % 8][8 * (row / 8) + l];
            }
            return Vector512.Create<float>(column);
        }
        v0 = Column(0);
        v1 = Column(1);
        v2 = Column(2);
        v3 = Column(3);
        v4 = Column(4);
        v5 = Column(5);
        v6 = Column(6);
        v7 = Column(7);
    }

    /// <summary>
    /// Undoes <see cref="TransposePairs"/>: 8 columns of 16 (lane i of vector l element l of row <see cref="PairedRow"/>(i))
    /// back into 16 rows of 8, row k in the low half of vector k and row 8 + k in its high half. On x64 with AVX-512: one
    /// two-source permute per vector (the block shuffle has no inverse in one instruction), then the 4 x 4 transposes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void UntransposePairs(
        ref Vector512<float> v0, ref Vector512<float> v1, ref Vector512<float> v2, ref Vector512<float> v3,
        ref Vector512<float> v4, ref Vector512<float> v5, ref Vector512<float> v6, ref Vector512<float> v7)
    {
        if (Avx512F.IsSupported)
        {
            // u<m> = blocks 0, 0, 1, 1 of columns m and 4 + m in turn; u'<m> = their blocks 2, 2, 3, 3.
            Vector512<int> low = Vector512.Create(0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23);
            Vector512<int> high = Vector512.Create(8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31);
            Vector512<float> u0 = Avx512F.PermuteVar16x32x2(v0, low, v4), w0 = Avx512F.PermuteVar16x32x2(v0, high, v4);
            Vector512<float> u1 = Avx512F.PermuteVar16x32x2(v1, low, v5), w1 = Avx512F.PermuteVar16x32x2(v1, high, v5);
            Vector512<float> u2 = Avx512F.PermuteVar16x32x2(v2, low, v6), w2 = Avx512F.PermuteVar16x32x2(v2, high, v6);
            Vector512<float> u3 = Avx512F.PermuteVar16x32x2(v3, low, v7), w3 = Avx512F.PermuteVar16x32x2(v3, high, v7);
            Transpose4InBlocks(u0, u1, u2, u3, out v0, out v1, out v2, out v3);
            Transpose4InBlocks(w0, w1, w2, w3, out v4, out v5, out v6, out v7);
            return;
        }
        Vector512<float>[] columns = [v0, v1, v2, v3, v4, v5, v6, v7];
        Vector512<float> Rows(int k)
        {
            System.Span<float> pair = stackalloc float[16];
            for (int i = 0; i < 16; i++)
            {
                int row = PairedRow(i);
                if (row % 8 != k) continue;
                for (int l = 0; l < 8; l++) pair[8 * (row / 8) + l] = columns[l][i];
            }
            return Vector512.Create<float>(pair);
        }
        v0 = Rows(0);
        v1 = Rows(1);
        v2 = Rows(2);
        v3 = Rows(3);
        v4 = Rows(4);
        v5 = Rows(5);
        v6 = Rows(6);
        v7 = Rows(7);
    }

    /// <summary>
    /// Transposes the 4 x 4 floats in each 128-bit block of <paramref name="v0"/> to <paramref name="v3"/>: lane p of
    /// block b of vector l becomes lane l of block b of vector p. Done twice it is the identity. The generated kernels load
    /// rows of 4, two per vector, and turn them into 4 columns with one row per lane (row 2p + b in lane 4b + p) in 8
    /// shuffles (unpack and in-lane shuffle on x64 with AVX; elsewhere element by element).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TransposeBlocks(ref Vector256<float> v0, ref Vector256<float> v1, ref Vector256<float> v2, ref Vector256<float> v3)
    {
        if (Avx.IsSupported)
        {
            Transpose4InBlocks(v0, v1, v2, v3, out v0, out v1, out v2, out v3);
            return;
        }
        Vector256<float> a0 = v0, a1 = v1, a2 = v2, a3 = v3;
        Vector256<float> Column(int p) => Vector256.Create(a0[p], a1[p], a2[p], a3[p], a0[4 + p], a1[4 + p], a2[4 + p], a3[4 + p]);
        v0 = Column(0);
        v1 = Column(1);
        v2 = Column(2);
        v3 = Column(3);
    }

    /// <summary>
    /// <see cref="TransposeBlocks(ref Vector256{float}, ref Vector256{float}, ref Vector256{float}, ref Vector256{float})"/>
    /// for Vector512: four rows of 4 per vector become 4 columns of 16 rows (row 4p + b in lane 4b + p) in 8 AVX-512 shuffles.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TransposeBlocks(ref Vector512<float> v0, ref Vector512<float> v1, ref Vector512<float> v2, ref Vector512<float> v3)
    {
        if (Avx512F.IsSupported)
        {
            Transpose4InBlocks(v0, v1, v2, v3, out v0, out v1, out v2, out v3);
            return;
        }
        Vector512<float>[] a = [v0, v1, v2, v3];
        Vector512<float> Column(int p)
        {
            System.Span<float> column = stackalloc float[16];
            for (int i = 0; i < 16; i++) column[i] = a[i % 4][4 * (i / 4) + p];
            return Vector512.Create<float>(column);
        }
        v0 = Column(0);
        v1 = Column(1);
        v2 = Column(2);
        v3 = Column(3);
    }

    /// <summary>The row whose elements lane <paramref name="lane"/> of <see cref="TransposePairs"/>' columns holds: lanes 0
    /// to 3 rows 0 to 3, lanes 4 to 7 rows 8 to 11, lanes 8 to 11 rows 4 to 7, lanes 12 to 15 rows 12 to 15.</summary>
    public static int PairedRow(int lane) => (lane & 3) | ((lane & 4) << 1) | ((lane & 8) >> 1);

    // The 4 x 4 transpose within each 128-bit block (AVX): block b of c<m> holds element m of block b of a0 to a3. The first
    // two rounds of the 8 x 8 transpose, and the whole of TransposeBlocks.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4InBlocks(
        Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3,
        out Vector256<float> c0, out Vector256<float> c1, out Vector256<float> c2, out Vector256<float> c3)
    {
        Vector256<float> t0 = Avx.UnpackLow(a0, a1), t1 = Avx.UnpackHigh(a0, a1);
        Vector256<float> t2 = Avx.UnpackLow(a2, a3), t3 = Avx.UnpackHigh(a2, a3);
        c0 = Avx.Shuffle(t0, t2, 0x44);
        c1 = Avx.Shuffle(t0, t2, 0xEE);
        c2 = Avx.Shuffle(t1, t3, 0x44);
        c3 = Avx.Shuffle(t1, t3, 0xEE);
    }

    // The same for Vector512 (AVX-512): the first two rounds of the 16 x 16 transpose and of TransposePairs.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4InBlocks(
        Vector512<float> a0, Vector512<float> a1, Vector512<float> a2, Vector512<float> a3,
        out Vector512<float> c0, out Vector512<float> c1, out Vector512<float> c2, out Vector512<float> c3)
    {
        Vector512<float> t0 = Avx512F.UnpackLow(a0, a1), t1 = Avx512F.UnpackHigh(a0, a1);
        Vector512<float> t2 = Avx512F.UnpackLow(a2, a3), t3 = Avx512F.UnpackHigh(a2, a3);
        c0 = Avx512F.Shuffle(t0, t2, 0x44);
        c1 = Avx512F.Shuffle(t0, t2, 0xEE);
        c2 = Avx512F.Shuffle(t1, t3, 0x44);
        c3 = Avx512F.Shuffle(t1, t3, 0xEE);
    }
}
