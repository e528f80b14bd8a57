using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace KernelGen.Internal;

/// <summary>
/// The operations <see cref="VectorMath"/>'s float exp needs from one width. The exp is written once, generic over an
/// implementation of this interface (<see cref="FloatLanes512{T}"/>, <see cref="FloatLanes256{T}"/>,
/// <see cref="FloatLanes128{T}"/>, and <see cref="FloatLanes1"/> for scalar); each is a struct, so the JIT compiles the exp
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

/// <summary>The float exp's operations on <c>Vector512&lt;T&gt;</c>, T being float (generic so that the generic kernels, whose
/// vectors are <c>Vector512&lt;T&gt;</c>, can use them without conversions).</summary>
internal readonly struct FloatLanes512<T> : IFloatLanes<Vector512<T>>
    where T : struct
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Create(float value) => Vector512.Create(value).As<float, T>();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Add(Vector512<T> left, Vector512<T> right) => left + right;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Subtract(Vector512<T> left, Vector512<T> right) => left - right;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Multiply(Vector512<T> left, Vector512<T> right) => left * right;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> MultiplyAdd(Vector512<T> left, Vector512<T> right, Vector512<T> addend) => Vector512.MultiplyAddEstimate(left.AsSingle(), right.AsSingle(), addend.AsSingle()).As<float, T>();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> MaxNative(Vector512<T> left, Vector512<T> right) => Vector512.MaxNative(left, right);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> PowerOfTwoFromBiased(Vector512<T> t) => Vector512.ShiftLeft(t.AsInt32(), 23).As<int, T>();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> ZeroWhereLess(Vector512<T> value, Vector512<T> x, Vector512<T> bound) => value & NotLessMask.Of(x.AsSingle(), bound.AsSingle()).As<float, T>();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyGreaterThan(Vector512<T> x, float bound) => Vector512.GreaterThanAny(x.AsSingle(), Vector512.Create(bound));

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Vector512<T> ExpThroughDouble(Vector512<T> x)
    {
        (Vector512<double> lo, Vector512<double> hi) = Vector512.Widen(x.AsSingle());
        return ZeroWhereLess(Vector512.Narrow(Vector512.Exp(lo), Vector512.Exp(hi)).As<float, T>(), x, Create(VectorMath.ExpLowerBound));
    }
}

/// <summary>The float exp's operations on <c>Vector256&lt;T&gt;</c>, T being float (generic so that the generic kernels, whose
/// vectors are <c>Vector256&lt;T&gt;</c>, can use them without conversions).</summary>
internal readonly struct FloatLanes256<T> : IFloatLanes<Vector256<T>>
    where T : struct
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Create(float value) => Vector256.Create(value).As<float, T>();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Add(Vector256<T> left, Vector256<T> right) => left + right;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Subtract(Vector256<T> left, Vector256<T> right) => left - right;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Multiply(Vector256<T> left, Vector256<T> right) => left * right;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> MultiplyAdd(Vector256<T> left, Vector256<T> right, Vector256<T> addend) => Vector256.MultiplyAddEstimate(left.AsSingle(), right.AsSingle(), addend.AsSingle()).As<float, T>();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> MaxNative(Vector256<T> left, Vector256<T> right) => Vector256.MaxNative(left, right);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> PowerOfTwoFromBiased(Vector256<T> t) => Vector256.ShiftLeft(t.AsInt32(), 23).As<int, T>();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> ZeroWhereLess(Vector256<T> value, Vector256<T> x, Vector256<T> bound) => value & NotLessMask.Of(x.AsSingle(), bound.AsSingle()).As<float, T>();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyGreaterThan(Vector256<T> x, float bound) => Vector256.GreaterThanAny(x.AsSingle(), Vector256.Create(bound));

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Vector256<T> ExpThroughDouble(Vector256<T> x)
    {
        (Vector256<double> lo, Vector256<double> hi) = Vector256.Widen(x.AsSingle());
        return ZeroWhereLess(Vector256.Narrow(Vector256.Exp(lo), Vector256.Exp(hi)).As<float, T>(), x, Create(VectorMath.ExpLowerBound));
    }
}

/// <summary>The float exp's operations on <c>Vector128&lt;T&gt;</c>, T being float (generic so that the generic kernels, whose
/// vectors are <c>Vector128&lt;T&gt;</c>, can use them without conversions).</summary>
internal readonly struct FloatLanes128<T> : IFloatLanes<Vector128<T>>
    where T : struct
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Create(float value) => Vector128.Create(value).As<float, T>();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Add(Vector128<T> left, Vector128<T> right) => left + right;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Subtract(Vector128<T> left, Vector128<T> right) => left - right;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Multiply(Vector128<T> left, Vector128<T> right) => left * right;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> MultiplyAdd(Vector128<T> left, Vector128<T> right, Vector128<T> addend) => Vector128.MultiplyAddEstimate(left.AsSingle(), right.AsSingle(), addend.AsSingle()).As<float, T>();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> MaxNative(Vector128<T> left, Vector128<T> right) => Vector128.MaxNative(left, right);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> PowerOfTwoFromBiased(Vector128<T> t) => Vector128.ShiftLeft(t.AsInt32(), 23).As<int, T>();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> ZeroWhereLess(Vector128<T> value, Vector128<T> x, Vector128<T> bound) => value & NotLessMask.Of(x.AsSingle(), bound.AsSingle()).As<float, T>();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyGreaterThan(Vector128<T> x, float bound) => Vector128.GreaterThanAny(x.AsSingle(), Vector128.Create(bound));

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Vector128<T> ExpThroughDouble(Vector128<T> x)
    {
        (Vector128<double> lo, Vector128<double> hi) = Vector128.Widen(x.AsSingle());
        return ZeroWhereLess(Vector128.Narrow(Vector128.Exp(lo), Vector128.Exp(hi)).As<float, T>(), x, Create(VectorMath.ExpLowerBound));
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
