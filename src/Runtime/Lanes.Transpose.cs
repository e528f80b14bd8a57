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
}
