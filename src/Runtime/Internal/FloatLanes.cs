using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace KernelGen.Internal;

/// <summary>
/// The operations <see cref="VectorMath"/>'s float exp needs from one width. The exp is written once, generic over an
/// implementation of this interface (<see cref="FloatLanes512"/>, <see cref="FloatLanes256"/>,
/// <see cref="FloatLanes128"/>, and <see cref="FloatLanes1"/> for scalar); each is a struct, so the JIT compiles the exp
/// once per width with every call inlined.
/// </summary>
internal interface IFloatLanes<TV>
    where TV : struct
{
    static abstract TV Create(float value);
    static abstract TV Add(TV left, TV right);
    static abstract TV Subtract(TV left, TV right);
    static abstract TV Multiply(TV left, TV right);
    /// <summary>left * right + addend, fused where the hardware can.</summary>
    static abstract TV MultiplyAdd(TV left, TV right, TV addend);
    /// <summary>The hardware max: <paramref name="right"/> when either is NaN.</summary>
    static abstract TV MaxNative(TV left, TV right);
    /// <summary>2^n from t = n + 127 + 1.5 * 2^23 (n + 127 in the low mantissa bits): t's bits shifted left by 23.</summary>
    static abstract TV PowerOfTwoFromBiased(TV t);
    /// <summary><paramref name="value"/>, with 0 in the lanes where <paramref name="x"/> &lt; <paramref name="bound"/>.</summary>
    static abstract TV ZeroWhereLess(TV value, TV x, TV bound);
    static abstract bool AnyGreaterThan(TV x, float bound);
    /// <summary>e^x through double, exact before the final rounding, with the same flush below the normal range.</summary>
    static abstract TV ExpThroughDouble(TV x);
}

internal readonly struct FloatLanes512 : IFloatLanes<Vector512<float>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Create(float value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Add(Vector512<float> left, Vector512<float> right) => left + right;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Subtract(Vector512<float> left, Vector512<float> right) => left - right;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Multiply(Vector512<float> left, Vector512<float> right) => left * right;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> MultiplyAdd(Vector512<float> left, Vector512<float> right, Vector512<float> addend) => Vector512.MultiplyAddEstimate(left, right, addend);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> MaxNative(Vector512<float> left, Vector512<float> right) => Vector512.MaxNative(left, right);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> PowerOfTwoFromBiased(Vector512<float> t) => Vector512.ShiftLeft(t.AsInt32(), 23).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> ZeroWhereLess(Vector512<float> value, Vector512<float> x, Vector512<float> bound) => Vector512.AndNot(value, Vector512.LessThan(x, bound));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyGreaterThan(Vector512<float> x, float bound) => Vector512.GreaterThanAny(x, Vector512.Create(bound));

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Vector512<float> ExpThroughDouble(Vector512<float> x)
    {
        (Vector512<double> lo, Vector512<double> hi) = Vector512.Widen(x);
        return ZeroWhereLess(Vector512.Narrow(Vector512.Exp(lo), Vector512.Exp(hi)), x, Create(VectorMath.ExpLowerBound));
    }
}

internal readonly struct FloatLanes256 : IFloatLanes<Vector256<float>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Create(float value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Add(Vector256<float> left, Vector256<float> right) => left + right;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Subtract(Vector256<float> left, Vector256<float> right) => left - right;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Multiply(Vector256<float> left, Vector256<float> right) => left * right;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> MultiplyAdd(Vector256<float> left, Vector256<float> right, Vector256<float> addend) => Vector256.MultiplyAddEstimate(left, right, addend);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> MaxNative(Vector256<float> left, Vector256<float> right) => Vector256.MaxNative(left, right);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> PowerOfTwoFromBiased(Vector256<float> t) => Vector256.ShiftLeft(t.AsInt32(), 23).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> ZeroWhereLess(Vector256<float> value, Vector256<float> x, Vector256<float> bound) => Vector256.AndNot(value, Vector256.LessThan(x, bound));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyGreaterThan(Vector256<float> x, float bound) => Vector256.GreaterThanAny(x, Vector256.Create(bound));

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Vector256<float> ExpThroughDouble(Vector256<float> x)
    {
        (Vector256<double> lo, Vector256<double> hi) = Vector256.Widen(x);
        return ZeroWhereLess(Vector256.Narrow(Vector256.Exp(lo), Vector256.Exp(hi)), x, Create(VectorMath.ExpLowerBound));
    }
}

internal readonly struct FloatLanes128 : IFloatLanes<Vector128<float>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Create(float value) => Vector128.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Add(Vector128<float> left, Vector128<float> right) => left + right;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Subtract(Vector128<float> left, Vector128<float> right) => left - right;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Multiply(Vector128<float> left, Vector128<float> right) => left * right;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> MultiplyAdd(Vector128<float> left, Vector128<float> right, Vector128<float> addend) => Vector128.MultiplyAddEstimate(left, right, addend);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> MaxNative(Vector128<float> left, Vector128<float> right) => Vector128.MaxNative(left, right);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> PowerOfTwoFromBiased(Vector128<float> t) => Vector128.ShiftLeft(t.AsInt32(), 23).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> ZeroWhereLess(Vector128<float> value, Vector128<float> x, Vector128<float> bound) => Vector128.AndNot(value, Vector128.LessThan(x, bound));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyGreaterThan(Vector128<float> x, float bound) => Vector128.GreaterThanAny(x, Vector128.Create(bound));

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Vector128<float> ExpThroughDouble(Vector128<float> x)
    {
        (Vector128<double> lo, Vector128<double> hi) = Vector128.Widen(x);
        return ZeroWhereLess(Vector128.Narrow(Vector128.Exp(lo), Vector128.Exp(hi)), x, Create(VectorMath.ExpLowerBound));
    }
}

/// <summary>One lane: the scalar form of the exp, for tails and the scalar path.</summary>
internal readonly struct FloatLanes1 : IFloatLanes<float>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Create(float value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Add(float left, float right) => left + right;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Subtract(float left, float right) => left - right;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Multiply(float left, float right) => left * right;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MultiplyAdd(float left, float right, float addend) => float.MultiplyAddEstimate(left, right, addend);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MaxNative(float left, float right) => left > right ? left : right; // NaN compares false: right
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float PowerOfTwoFromBiased(float t) => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(t) << 23);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float ZeroWhereLess(float value, float x, float bound) => x < bound ? 0f : value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyGreaterThan(float x, float bound) => x > bound;
    [MethodImpl(MethodImplOptions.NoInlining)] public static float ExpThroughDouble(float x) => (float)Math.Exp(x);
}
