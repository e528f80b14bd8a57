using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace KernelGen;

/// <summary>Lane selection for the kernels, generic and generated.</summary>
public static partial class Lanes
{
    /// <summary>
    /// Per lane, <paramref name="ifSet"/> where <paramref name="mask"/> is set (all bits) and <paramref name="ifClear"/>
    /// where it is clear. <c>Vector256.ConditionalSelect</c> is a bitwise select, three instructions on x64 when the mask
    /// is not a comparison's result (a constant tail mask, a transpose's lane mask); this is one <c>vblendvps</c>.
    /// The mask's lanes must be all set or all clear.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Select(Vector256<float> mask, Vector256<float> ifSet, Vector256<float> ifClear) =>
        Avx.IsSupported ? Avx.BlendVariable(ifClear, ifSet, mask) : Vector256.ConditionalSelect(mask, ifSet, ifClear);

    /// <inheritdoc cref="Select(Vector256{float}, Vector256{float}, Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Select(Vector512<float> mask, Vector512<float> ifSet, Vector512<float> ifClear) =>
        Vector512.ConditionalSelect(mask, ifSet, ifClear);

    /// <inheritdoc cref="Select(Vector256{float}, Vector256{float}, Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Select(Vector512<double> mask, Vector512<double> ifSet, Vector512<double> ifClear) =>
        Vector512.ConditionalSelect(mask, ifSet, ifClear);

    /// <inheritdoc cref="Select(Vector256{float}, Vector256{float}, Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Select(Vector256<double> mask, Vector256<double> ifSet, Vector256<double> ifClear) =>
        Avx.IsSupported ? Avx.BlendVariable(ifClear, ifSet, mask) : Vector256.ConditionalSelect(mask, ifSet, ifClear);

    /// <inheritdoc cref="Select(Vector256{float}, Vector256{float}, Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Select(Vector128<float> mask, Vector128<float> ifSet, Vector128<float> ifClear) =>
        Sse41.IsSupported ? Sse41.BlendVariable(ifClear, ifSet, mask) : Vector128.ConditionalSelect(mask, ifSet, ifClear);

    /// <inheritdoc cref="Select(Vector256{float}, Vector256{float}, Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Select(Vector128<double> mask, Vector128<double> ifSet, Vector128<double> ifClear) =>
        Sse41.IsSupported ? Sse41.BlendVariable(ifClear, ifSet, mask) : Vector128.ConditionalSelect(mask, ifSet, ifClear);

    // Rows of two. A group of rows of two fills two vectors, v0 and v1, each row's elements side by side. Split turns
    // them into a vector of first elements and a vector of second elements (one row per lane) with one in-lane shuffle
    // each (vshufps; uzp1/uzp2 on ARM64), and Join turns the results back (vunpcklps/vunpckhps; zip1/zip2). On
    // Vector256 the rows are not in memory order across the lanes (each 128-bit half is split on its own): a softmax
    // does not care which lane holds which row, only that Join undoes Split, which it does on every platform.

    /// <summary>
    /// The first element of each of the rows of two held in <paramref name="v0"/> and <paramref name="v1"/>, one row per
    /// lane, in the lane order that <see cref="JoinPairsLow(Vector256{float}, Vector256{float})"/> and
    /// <see cref="JoinPairsHigh(Vector256{float}, Vector256{float})"/> undo: <c>[v0[0], v0[2], v1[0], v1[2], v0[4], v0[6], v1[4], v1[6]]</c>
    /// (each 128-bit half on its own, one <c>vshufps</c>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> SplitPairsFirst(Vector256<float> v0, Vector256<float> v1) =>
        Avx.IsSupported ? Avx.Shuffle(v0, v1, 0b10_00_10_00) : Vector256.Create(SplitPairsFirst(v0.GetLower(), v1.GetLower()), SplitPairsFirst(v0.GetUpper(), v1.GetUpper()));

    /// <summary>The second element of each row of two, in the lane order of <see cref="SplitPairsFirst(Vector256{float}, Vector256{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> SplitPairsSecond(Vector256<float> v0, Vector256<float> v1) =>
        Avx.IsSupported ? Avx.Shuffle(v0, v1, 0b11_01_11_01) : Vector256.Create(SplitPairsSecond(v0.GetLower(), v1.GetLower()), SplitPairsSecond(v0.GetUpper(), v1.GetUpper()));

    /// <summary>
    /// Undoes <see cref="SplitPairsFirst(Vector256{float}, Vector256{float})"/> and <see cref="SplitPairsSecond(Vector256{float}, Vector256{float})"/>
    /// for the first vector: from the rows' first and second elements, the rows of two side by side as <c>v0</c> held them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> JoinPairsLow(Vector256<float> first, Vector256<float> second) =>
        Avx.IsSupported ? Avx.UnpackLow(first, second) : Vector256.Create(JoinPairsLow(first.GetLower(), second.GetLower()), JoinPairsLow(first.GetUpper(), second.GetUpper()));

    /// <summary>As <see cref="JoinPairsLow(Vector256{float}, Vector256{float})"/>, for the second vector (<c>v1</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> JoinPairsHigh(Vector256<float> first, Vector256<float> second) =>
        Avx.IsSupported ? Avx.UnpackHigh(first, second) : Vector256.Create(JoinPairsHigh(first.GetLower(), second.GetLower()), JoinPairsHigh(first.GetUpper(), second.GetUpper()));

    /// <summary>The first element of each row of two in <paramref name="v0"/> and <paramref name="v1"/>: <c>[v0[0], v0[2], v1[0], v1[2]]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> SplitPairsFirst(Vector128<float> v0, Vector128<float> v1) =>
        Sse.IsSupported ? Sse.Shuffle(v0, v1, 0b10_00_10_00)
        : AdvSimd.Arm64.IsSupported ? AdvSimd.Arm64.UnzipEven(v0, v1)
        : Vector128.Create(v0[0], v0[2], v1[0], v1[2]);

    /// <summary>The second element of each row of two: <c>[v0[1], v0[3], v1[1], v1[3]]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> SplitPairsSecond(Vector128<float> v0, Vector128<float> v1) =>
        Sse.IsSupported ? Sse.Shuffle(v0, v1, 0b11_01_11_01)
        : AdvSimd.Arm64.IsSupported ? AdvSimd.Arm64.UnzipOdd(v0, v1)
        : Vector128.Create(v0[1], v0[3], v1[1], v1[3]);

    /// <summary>The rows of two side by side from their first and second elements: <c>[first[0], second[0], first[1], second[1]]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> JoinPairsLow(Vector128<float> first, Vector128<float> second) =>
        Sse.IsSupported ? Sse.UnpackLow(first, second)
        : AdvSimd.Arm64.IsSupported ? AdvSimd.Arm64.ZipLow(first, second)
        : Vector128.Create(first[0], second[0], first[1], second[1]);

    /// <summary>The rows of two side by side from their first and second elements: <c>[first[2], second[2], first[3], second[3]]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> JoinPairsHigh(Vector128<float> first, Vector128<float> second) =>
        Sse.IsSupported ? Sse.UnpackHigh(first, second)
        : AdvSimd.Arm64.IsSupported ? AdvSimd.Arm64.ZipHigh(first, second)
        : Vector128.Create(first[2], second[2], first[3], second[3]);

    /// <summary>The first element of each row of two: <c>[v0[0], v1[0], v0[2], v1[2]]</c> (each 128-bit half on its own, one <c>vshufpd</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> SplitPairsFirst(Vector256<double> v0, Vector256<double> v1) =>
        Avx.IsSupported ? Avx.Shuffle(v0, v1, 0b0000) : Vector256.Create(SplitPairsFirst(v0.GetLower(), v1.GetLower()), SplitPairsFirst(v0.GetUpper(), v1.GetUpper()));

    /// <summary>The second element of each row of two: <c>[v0[1], v1[1], v0[3], v1[3]]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> SplitPairsSecond(Vector256<double> v0, Vector256<double> v1) =>
        Avx.IsSupported ? Avx.Shuffle(v0, v1, 0b1111) : Vector256.Create(SplitPairsSecond(v0.GetLower(), v1.GetLower()), SplitPairsSecond(v0.GetUpper(), v1.GetUpper()));

    /// <summary>Undoes the split for the first vector: <c>[first[0], second[0], first[2], second[2]]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> JoinPairsLow(Vector256<double> first, Vector256<double> second) =>
        Avx.IsSupported ? Avx.UnpackLow(first, second) : Vector256.Create(JoinPairsLow(first.GetLower(), second.GetLower()), JoinPairsLow(first.GetUpper(), second.GetUpper()));

    /// <summary>Undoes the split for the second vector: <c>[first[1], second[1], first[3], second[3]]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> JoinPairsHigh(Vector256<double> first, Vector256<double> second) =>
        Avx.IsSupported ? Avx.UnpackHigh(first, second) : Vector256.Create(JoinPairsHigh(first.GetLower(), second.GetLower()), JoinPairsHigh(first.GetUpper(), second.GetUpper()));

    /// <summary>The first element of each row of two: <c>[v0[0], v1[0]]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> SplitPairsFirst(Vector128<double> v0, Vector128<double> v1) =>
        Sse2.IsSupported ? Sse2.UnpackLow(v0, v1)
        : AdvSimd.Arm64.IsSupported ? AdvSimd.Arm64.ZipLow(v0, v1)
        : Vector128.Create(v0[0], v1[0]);

    /// <summary>The second element of each row of two: <c>[v0[1], v1[1]]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> SplitPairsSecond(Vector128<double> v0, Vector128<double> v1) =>
        Sse2.IsSupported ? Sse2.UnpackHigh(v0, v1)
        : AdvSimd.Arm64.IsSupported ? AdvSimd.Arm64.ZipHigh(v0, v1)
        : Vector128.Create(v0[1], v1[1]);

    /// <summary>The first row of two from the first and second elements: <c>[first[0], second[0]]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> JoinPairsLow(Vector128<double> first, Vector128<double> second) => SplitPairsFirst(first, second);

    /// <summary>The second row of two from the first and second elements: <c>[first[1], second[1]]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> JoinPairsHigh(Vector128<double> first, Vector128<double> second) => SplitPairsSecond(first, second);

    /// <summary>The smallest normal float, 2^-126: softmax results below it are 0 (see <see cref="ScaleAboveFloor(Vector512{float}, Vector512{float}, Vector512{float})"/>).</summary>
    public const float SmallestNormalFloat = 1.17549435E-38f;

    // The floors are 2^-126 (1 + 2^-20) / factor rather than 2^-126 / factor: with the rounding of factor and of the
    // floor itself, a value at or above the floor then never gives a subnormal product.
    private const float FloorNumerator = 1.17549547E-38f;

    /// <summary>
    /// The floor of <see cref="ScaleAboveFloor(Vector512{float}, Vector512{float}, Vector512{float})"/> for a row whose
    /// exp values add up to <paramref name="sum"/> (factor = 1 / sum): <c>2^-126 * sum</c>, computed in double, with no
    /// division.
    /// </summary>
    public static float NormalFloorOfSum(double sum) => (float)(FloorNumerator * sum);

    /// <summary>
    /// Per lane, <c>2^-126 / factor</c>: the smallest e whose product with <paramref name="factor"/> is a normal float,
    /// for <see cref="ScaleAboveFloor(Vector512{float}, Vector512{float}, Vector512{float})"/>. Computed once per row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> NormalFloor(Vector512<float> factor) => Vector512.Create(FloorNumerator) / factor;

    /// <summary>
    /// Per lane, <c>2^-126 (1 + 2^-20) * sum</c>: the floor of <see cref="ScaleAboveFloor(Vector512{float}, Vector512{float}, Vector512{float})"/>
    /// for lanes whose exp values add up to <paramref name="sum"/> (a compensated sum's leading part: factor = 1 / (sum - lost)),
    /// with a multiply where <see cref="NormalFloor(Vector512{float})"/> divides, so that it does not wait for the factor.
    /// The margin of 2^-20 covers the roundings of the sum, the factor and the floor.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> NormalFloorOfSum(Vector512<float> sum) => Vector512.Create(FloorNumerator) * sum;

    /// <summary>Double results are not flushed: 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> NormalFloorOfSum(Vector512<double> sum) => Vector512<double>.Zero;

    /// <summary>
    /// A softmax's last step, <c>e * factor</c> (factor = 1 / sum), with 0 where <c>e</c> is below <paramref name="floor"/>
    /// (<see cref="NormalFloor(Vector512{float})"/>), that is where the result would be below the normal range. The flush is
    /// done on <c>e</c>, before the multiply: a multiply with a subnormal result costs Intel processors a microcode
    /// assist of about a hundred cycles, which made softmax of normal(0, 20) rows twice as slow there. On AVX-512 the
    /// compare stays in a mask register and the multiply is zero-masked by it (two instructions where the mask as a
    /// vector took four); its masked-off lanes cost no assist (rows of normal(0, 20) gained as much as others, Xeon).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ScaleAboveFloor(Vector512<float> e, Vector512<float> factor, Vector512<float> floor) =>
        Avx512F.IsSupported
            ? Vector512.ConditionalSelect(Avx512F.CompareNotLessThan(e, floor), e * factor, Vector512<float>.Zero) // a zero-masked multiply
            : Vector512.AndNot(e, Vector512.LessThan(e, floor)) * factor;

    /// <summary>Double results are not flushed: 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> NormalFloor(Vector512<double> factor) => Vector512<double>.Zero;

    /// <summary>Double results are not flushed: <c>e * factor</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> ScaleAboveFloor(Vector512<double> e, Vector512<double> factor, Vector512<double> floor) => e * factor;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<T> NormalFloor<T>(Vector512<T> factor) where T : struct =>
        typeof(T) == typeof(float) ? NormalFloor(factor.AsSingle()).As<float, T>() : Vector512<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<T> ScaleAboveFloor<T>(Vector512<T> e, Vector512<T> factor, Vector512<T> floor) where T : struct =>
        typeof(T) == typeof(float) ? ScaleAboveFloor(e.AsSingle(), factor.AsSingle(), floor.AsSingle()).As<float, T>() : e * factor;

    /// <summary>
    /// Per lane, <c>2^-126 / factor</c>: the smallest e whose product with <paramref name="factor"/> is a normal float,
    /// for <see cref="ScaleAboveFloor(Vector256{float}, Vector256{float}, Vector256{float})"/>. Computed once per row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> NormalFloor(Vector256<float> factor) => Vector256.Create(FloorNumerator) / factor;

    /// <summary>
    /// Per lane, <c>2^-126 (1 + 2^-20) * sum</c>: the floor of <see cref="ScaleAboveFloor(Vector256{float}, Vector256{float}, Vector256{float})"/>
    /// for lanes whose exp values add up to <paramref name="sum"/> (a compensated sum's leading part: factor = 1 / (sum - lost)),
    /// with a multiply where <see cref="NormalFloor(Vector256{float})"/> divides, so that it does not wait for the factor.
    /// The margin of 2^-20 covers the roundings of the sum, the factor and the floor.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> NormalFloorOfSum(Vector256<float> sum) => Vector256.Create(FloorNumerator) * sum;

    /// <summary>Double results are not flushed: 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> NormalFloorOfSum(Vector256<double> sum) => Vector256<double>.Zero;

    /// <summary>
    /// A softmax's last step, <c>e * factor</c> (factor = 1 / sum), with 0 where <c>e</c> is below <paramref name="floor"/>
    /// (<see cref="NormalFloor(Vector256{float})"/>), that is where the result would be below the normal range. The flush is
    /// done on <c>e</c>, before the multiply: a multiply with a subnormal result costs Intel processors a microcode
    /// assist of about a hundred cycles, which made softmax of normal(0, 20) rows twice as slow there.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ScaleAboveFloor(Vector256<float> e, Vector256<float> factor, Vector256<float> floor) => Vector256.AndNot(e, Vector256.LessThan(e, floor)) * factor;

    /// <summary>Double results are not flushed: 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> NormalFloor(Vector256<double> factor) => Vector256<double>.Zero;

    /// <summary>Double results are not flushed: <c>e * factor</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> ScaleAboveFloor(Vector256<double> e, Vector256<double> factor, Vector256<double> floor) => e * factor;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<T> NormalFloor<T>(Vector256<T> factor) where T : struct =>
        typeof(T) == typeof(float) ? NormalFloor(factor.AsSingle()).As<float, T>() : Vector256<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<T> ScaleAboveFloor<T>(Vector256<T> e, Vector256<T> factor, Vector256<T> floor) where T : struct =>
        typeof(T) == typeof(float) ? ScaleAboveFloor(e.AsSingle(), factor.AsSingle(), floor.AsSingle()).As<float, T>() : e * factor;

    /// <summary>
    /// Per lane, <c>2^-126 / factor</c>: the smallest e whose product with <paramref name="factor"/> is a normal float,
    /// for <see cref="ScaleAboveFloor(Vector128{float}, Vector128{float}, Vector128{float})"/>. Computed once per row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> NormalFloor(Vector128<float> factor) => Vector128.Create(FloorNumerator) / factor;

    /// <summary>
    /// Per lane, <c>2^-126 (1 + 2^-20) * sum</c>: the floor of <see cref="ScaleAboveFloor(Vector128{float}, Vector128{float}, Vector128{float})"/>
    /// for lanes whose exp values add up to <paramref name="sum"/> (a compensated sum's leading part: factor = 1 / (sum - lost)),
    /// with a multiply where <see cref="NormalFloor(Vector128{float})"/> divides, so that it does not wait for the factor.
    /// The margin of 2^-20 covers the roundings of the sum, the factor and the floor.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> NormalFloorOfSum(Vector128<float> sum) => Vector128.Create(FloorNumerator) * sum;

    /// <summary>Double results are not flushed: 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> NormalFloorOfSum(Vector128<double> sum) => Vector128<double>.Zero;

    /// <summary>
    /// A softmax's last step, <c>e * factor</c> (factor = 1 / sum), with 0 where <c>e</c> is below <paramref name="floor"/>
    /// (<see cref="NormalFloor(Vector128{float})"/>), that is where the result would be below the normal range. The flush is
    /// done on <c>e</c>, before the multiply: a multiply with a subnormal result costs Intel processors a microcode
    /// assist of about a hundred cycles, which made softmax of normal(0, 20) rows twice as slow there.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ScaleAboveFloor(Vector128<float> e, Vector128<float> factor, Vector128<float> floor) => Vector128.AndNot(e, Vector128.LessThan(e, floor)) * factor;

    /// <summary>Double results are not flushed: 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> NormalFloor(Vector128<double> factor) => Vector128<double>.Zero;

    /// <summary>Double results are not flushed: <c>e * factor</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> ScaleAboveFloor(Vector128<double> e, Vector128<double> factor, Vector128<double> floor) => e * factor;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<T> NormalFloor<T>(Vector128<T> factor) where T : struct =>
        typeof(T) == typeof(float) ? NormalFloor(factor.AsSingle()).As<float, T>() : Vector128<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<T> ScaleAboveFloor<T>(Vector128<T> e, Vector128<T> factor, Vector128<T> floor) where T : struct =>
        typeof(T) == typeof(float) ? ScaleAboveFloor(e.AsSingle(), factor.AsSingle(), floor.AsSingle()).As<float, T>() : e * factor;

    /// <inheritdoc cref="NormalFloor(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float NormalFloor(float factor) => FloorNumerator / factor;

    /// <inheritdoc cref="ScaleAboveFloor(Vector512{float}, Vector512{float}, Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ScaleAboveFloor(float e, float factor, float floor) => e < floor ? 0f : e * factor;

    /// <summary>Double results are not flushed: 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double NormalFloor(double factor) => 0;

    /// <summary>Double results are not flushed: <c>e * factor</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ScaleAboveFloor(double e, double factor, double floor) => e * factor;

    /// <summary>
    /// The vector with its two halves exchanged (lane j and lane j + Count / 2 trade places): the kernels whose vectors
    /// hold two positions along the axis of the same columns, one per half, combine a column's two halves with it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> SwapHalves(Vector512<float> value) =>
        Avx512F.IsSupported ? Avx512F.Shuffle4x128(value, value, 0b01_00_11_10) : Vector512.Create(value.GetUpper(), value.GetLower());

    /// <inheritdoc cref="SwapHalves(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> SwapHalves(Vector512<double> value) =>
        Avx512F.IsSupported ? Avx512F.Shuffle4x128(value, value, 0b01_00_11_10) : Vector512.Create(value.GetUpper(), value.GetLower());

    /// <inheritdoc cref="SwapHalves(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> SwapHalves(Vector256<float> value) =>
        Avx.IsSupported ? Avx.Permute2x128(value, value, 0x01) : Vector256.Create(value.GetUpper(), value.GetLower());

    /// <inheritdoc cref="SwapHalves(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> SwapHalves(Vector256<double> value) =>
        Avx.IsSupported ? Avx.Permute2x128(value, value, 0x01) : Vector256.Create(value.GetUpper(), value.GetLower());

    /// <summary>
    /// The vector with its quarters exchanged in pairs (the first with the second, the third with the fourth): after
    /// <see cref="SwapHalves(Vector512{float})"/>, the second step of combining the lanes of a column when a vector holds
    /// four positions along the axis.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> SwapQuarters(Vector512<float> value) =>
        Avx512F.IsSupported ? Avx512F.Shuffle4x128(value, value, 0b10_11_00_01) : Vector512.Shuffle(value, Vector512.Create(4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11));

    /// <inheritdoc cref="SwapQuarters(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> SwapQuarters(Vector512<double> value) =>
        Avx512F.IsSupported ? Avx512F.Shuffle4x128(value, value, 0b10_11_00_01) : Vector512.Shuffle(value, Vector512.Create(2L, 3, 0, 1, 6, 7, 4, 5));

    /// <inheritdoc cref="SwapQuarters(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> SwapQuarters(Vector256<float> value) =>
        Avx.IsSupported ? Avx.Permute(value, 0b01_00_11_10) : Vector256.Shuffle(value, Vector256.Create(2, 3, 0, 1, 6, 7, 4, 5));

    /// <inheritdoc cref="SwapQuarters(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> SwapQuarters(Vector256<double> value) =>
        Avx.IsSupported ? Avx.Permute(value, 0b0101) : Vector256.Shuffle(value, Vector256.Create(1L, 0, 3, 2));

    /// <summary>
    /// The vector with its eighths exchanged in pairs (two floats each): after <see cref="SwapHalves(Vector512{float})"/>
    /// and <see cref="SwapQuarters(Vector512{float})"/>, the third step when a vector holds eight positions along the axis.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> SwapEighths(Vector512<float> value) =>
        Avx512F.IsSupported ? Avx512F.Permute4x32(value, 0b01_00_11_10) : Vector512.Shuffle(value, Vector512.Create(2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13));
}
