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
            // Pairs of rows interleaved, then quadruples, then the 128-bit halves exchanged.
            Vector256<float> t0 = Avx.UnpackLow(v0, v1), t1 = Avx.UnpackHigh(v0, v1);
            Vector256<float> t2 = Avx.UnpackLow(v2, v3), t3 = Avx.UnpackHigh(v2, v3);
            Vector256<float> t4 = Avx.UnpackLow(v4, v5), t5 = Avx.UnpackHigh(v4, v5);
            Vector256<float> t6 = Avx.UnpackLow(v6, v7), t7 = Avx.UnpackHigh(v6, v7);
            Vector256<float> q0 = Avx.Shuffle(t0, t2, 0x44), q1 = Avx.Shuffle(t0, t2, 0xEE);
            Vector256<float> q2 = Avx.Shuffle(t1, t3, 0x44), q3 = Avx.Shuffle(t1, t3, 0xEE);
            Vector256<float> q4 = Avx.Shuffle(t4, t6, 0x44), q5 = Avx.Shuffle(t4, t6, 0xEE);
            Vector256<float> q6 = Avx.Shuffle(t5, t7, 0x44), q7 = Avx.Shuffle(t5, t7, 0xEE);
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
        Vector256<float> a0 = v0, a1 = v1, a2 = v2, a3 = v3, a4 = v4, a5 = v5, a6 = v6, a7 = v7;
        Vector256<float> Column(int i) => Vector256.Create(a0[i], a1[i], a2[i], a3[i], a4[i], a5[i], a6[i], a7[i]);
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
    /// Transposes the 16 x 16 floats held in <paramref name="v0"/> to <paramref name="v15"/> (lane j of vector i becomes
    /// lane i of vector j), as <see cref="Transpose(ref Vector256{float}, ref Vector256{float}, ref Vector256{float}, ref Vector256{float}, ref Vector256{float}, ref Vector256{float}, ref Vector256{float}, ref Vector256{float})"/>
    /// does for 8: on x64 with AVX-512, 64 shuffles (unpack, in-lane shuffle, two rounds of 128-bit block shuffles);
    /// elsewhere element by element.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Transpose(
        ref Vector512<float> v0, ref Vector512<float> v1, ref Vector512<float> v2, ref Vector512<float> v3,
        ref Vector512<float> v4, ref Vector512<float> v5, ref Vector512<float> v6, ref Vector512<float> v7,
        ref Vector512<float> v8, ref Vector512<float> v9, ref Vector512<float> v10, ref Vector512<float> v11,
        ref Vector512<float> v12, ref Vector512<float> v13, ref Vector512<float> v14, ref Vector512<float> v15)
    {
        if (Avx512F.IsSupported)
        {
            // Within each 128-bit block: pairs of rows interleaved, then quadruples, so that block k of u<4g + m> holds
            // element 4k + m of rows 4g to 4g + 3.
            Vector512<float> t0 = Avx512F.UnpackLow(v0, v1), t1 = Avx512F.UnpackHigh(v0, v1);
            Vector512<float> t2 = Avx512F.UnpackLow(v2, v3), t3 = Avx512F.UnpackHigh(v2, v3);
            Vector512<float> t4 = Avx512F.UnpackLow(v4, v5), t5 = Avx512F.UnpackHigh(v4, v5);
            Vector512<float> t6 = Avx512F.UnpackLow(v6, v7), t7 = Avx512F.UnpackHigh(v6, v7);
            Vector512<float> t8 = Avx512F.UnpackLow(v8, v9), t9 = Avx512F.UnpackHigh(v8, v9);
            Vector512<float> t10 = Avx512F.UnpackLow(v10, v11), t11 = Avx512F.UnpackHigh(v10, v11);
            Vector512<float> t12 = Avx512F.UnpackLow(v12, v13), t13 = Avx512F.UnpackHigh(v12, v13);
            Vector512<float> t14 = Avx512F.UnpackLow(v14, v15), t15 = Avx512F.UnpackHigh(v14, v15);
            Vector512<float> u0 = Avx512F.Shuffle(t0, t2, 0x44), u1 = Avx512F.Shuffle(t0, t2, 0xEE);
            Vector512<float> u2 = Avx512F.Shuffle(t1, t3, 0x44), u3 = Avx512F.Shuffle(t1, t3, 0xEE);
            Vector512<float> u4 = Avx512F.Shuffle(t4, t6, 0x44), u5 = Avx512F.Shuffle(t4, t6, 0xEE);
            Vector512<float> u6 = Avx512F.Shuffle(t5, t7, 0x44), u7 = Avx512F.Shuffle(t5, t7, 0xEE);
            Vector512<float> u8 = Avx512F.Shuffle(t8, t10, 0x44), u9 = Avx512F.Shuffle(t8, t10, 0xEE);
            Vector512<float> u10 = Avx512F.Shuffle(t9, t11, 0x44), u11 = Avx512F.Shuffle(t9, t11, 0xEE);
            Vector512<float> u12 = Avx512F.Shuffle(t12, t14, 0x44), u13 = Avx512F.Shuffle(t12, t14, 0xEE);
            Vector512<float> u14 = Avx512F.Shuffle(t13, t15, 0x44), u15 = Avx512F.Shuffle(t13, t15, 0xEE);
            // Blocks 0 and 2 (0x88) or 1 and 3 (0xDD) of two vectors: columns m and m + 8, or m + 4 and m + 12, of 8 rows.
            Vector512<float> w0 = Avx512F.Shuffle4x128(u0, u4, 0x88), w1 = Avx512F.Shuffle4x128(u1, u5, 0x88);
            Vector512<float> w2 = Avx512F.Shuffle4x128(u2, u6, 0x88), w3 = Avx512F.Shuffle4x128(u3, u7, 0x88);
            Vector512<float> w4 = Avx512F.Shuffle4x128(u0, u4, 0xDD), w5 = Avx512F.Shuffle4x128(u1, u5, 0xDD);
            Vector512<float> w6 = Avx512F.Shuffle4x128(u2, u6, 0xDD), w7 = Avx512F.Shuffle4x128(u3, u7, 0xDD);
            Vector512<float> w8 = Avx512F.Shuffle4x128(u8, u12, 0x88), w9 = Avx512F.Shuffle4x128(u9, u13, 0x88);
            Vector512<float> w10 = Avx512F.Shuffle4x128(u10, u14, 0x88), w11 = Avx512F.Shuffle4x128(u11, u15, 0x88);
            Vector512<float> w12 = Avx512F.Shuffle4x128(u8, u12, 0xDD), w13 = Avx512F.Shuffle4x128(u9, u13, 0xDD);
            Vector512<float> w14 = Avx512F.Shuffle4x128(u10, u14, 0xDD), w15 = Avx512F.Shuffle4x128(u11, u15, 0xDD);
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
            return;
        }
        Vector512<float>[] a = [v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12, v13, v14, v15];
        Vector512<float> Column(int i)
        {
            System.Span<float> column = stackalloc float[16];
            for (int r = 0; r < 16; r++) column[r] = a[r][i];
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
        v8 = Column(8);
        v9 = Column(9);
        v10 = Column(10);
        v11 = Column(11);
        v12 = Column(12);
        v13 = Column(13);
        v14 = Column(14);
        v15 = Column(15);
    }
}
