using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace KernelGen;

// Loads and stores of the first `count` lanes of a vector, touching no element past the count: how the generated kernels
// read and write a tensor smaller than one group of rows (the notebook's [3, 3] and [3, 2]) in place, with no stack
// buffer. A count short of a full vector is read as two overlapping loads of half the width (or of 8 bytes), joined and
// moved into place by one constant shuffle whose indices stay in range (an index past the vector, asking for a zero,
// made the shuffle several times slower in a sweep probe); the lanes after the count repeat the last element; it is written back the same way, the two stores writing the same values where
// they overlap. The count is a constant in generated code, so the JIT keeps one branch of each method.
public static partial class Lanes
{
    /// <summary>
    /// A vector whose lanes 0 to <paramref name="count"/> - 1 hold <paramref name="source"/>[0] to [count - 1], reading no
    /// element after them; the other lanes hold 0 or copies of those elements.
    /// </summary>
    /// <param name="source">The first element.</param>
    /// <param name="count">How many elements to read, 1 to the lane count.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LoadFirst256(ref float source, [ConstantExpected(Min = 1, Max = 8)] int count)
    {
        if (count >= 8) return Vector256.LoadUnsafe(ref source);
#pragma warning disable CA1857 // count is below 4 on this branch
        if (count < 4) return LoadFirst128(ref source, count).ToVector256();
#pragma warning restore CA1857
        // [s0, s1, s2, s3, s(count-4), .., s(count-1)]: lane i >= 4 takes s(i), at position i + 8 - count.
        Vector256<float> joined = Vector256.Create(Vector128.LoadUnsafe(ref source), Vector128.LoadUnsafe(ref source, (nuint)(count - 4)));
        return Vector256.Shuffle(joined, Vector256.Create(0, 1, 2, 3, Math.Min(12 - count, 7), Math.Min(13 - count, 7), Math.Min(14 - count, 7), 15 - count));
    }

    /// <inheritdoc cref="LoadFirst256(ref float, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LoadFirst512(ref float source, [ConstantExpected(Min = 1, Max = 16)] int count)
    {
        if (count >= 16) return Vector512.LoadUnsafe(ref source);
#pragma warning disable CA1857 // count is below 8 on this branch
        if (count < 8) return LoadFirst256(ref source, count).ToVector512();
#pragma warning restore CA1857
        // [s0 .. s7, s(count-8) .. s(count-1)]: lane i >= 8 takes s(i), at position i + 16 - count.
        Vector512<float> joined = Vector512.Create(Vector256.LoadUnsafe(ref source), Vector256.LoadUnsafe(ref source, (nuint)(count - 8)));
        return Vector512.Shuffle(joined, Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7,
            Math.Min(24 - count, 15), Math.Min(25 - count, 15), Math.Min(26 - count, 15), Math.Min(27 - count, 15),
            Math.Min(28 - count, 15), Math.Min(29 - count, 15), Math.Min(30 - count, 15), 31 - count));
    }

    /// <inheritdoc cref="LoadFirst256(ref float, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> LoadFirst512(ref double source, [ConstantExpected(Min = 1, Max = 8)] int count)
    {
        if (count >= 8) return Vector512.LoadUnsafe(ref source);
#pragma warning disable CA1857 // count is below 4 on this branch
        if (count < 4) return LoadFirst256(ref source, count).ToVector512();
#pragma warning restore CA1857
        Vector512<double> joined = Vector512.Create(Vector256.LoadUnsafe(ref source), Vector256.LoadUnsafe(ref source, (nuint)(count - 4)));
        return Vector512.Shuffle(joined, Vector512.Create(0L, 1, 2, 3, Math.Min(12 - count, 7), Math.Min(13 - count, 7), Math.Min(14 - count, 7), 15 - count));
    }

    /// <inheritdoc cref="LoadFirst256(ref float, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LoadFirst128(ref float source, [ConstantExpected(Min = 1, Max = 4)] int count)
    {
        if (count >= 4) return Vector128.LoadUnsafe(ref source);
        if (count == 1) return Vector128.CreateScalar(source);
        // Two 8-byte loads: [s0, s1, s(count-2), s(count-1)]; lane i >= 2 takes s(i), at position i + 4 - count.
        ref byte bytes = ref Unsafe.As<float, byte>(ref source);
        Vector128<float> joined = Vector128.Create(Unsafe.ReadUnaligned<long>(ref bytes), Unsafe.ReadUnaligned<long>(ref Unsafe.Add(ref bytes, 4 * (count - 2)))).AsSingle();
        return Vector128.Shuffle(joined, Vector128.Create(0, 1, Math.Min(6 - count, 3), 7 - count));
    }

    /// <inheritdoc cref="LoadFirst256(ref float, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> LoadFirst256(ref double source, [ConstantExpected(Min = 1, Max = 4)] int count)
    {
        if (count >= 4) return Vector256.LoadUnsafe(ref source);
        if (count == 1) return Vector256.CreateScalar(source);
        // [s0, s1, s(count-2), s(count-1)]: lane i >= 2 takes s(i), at position i + 4 - count.
        Vector256<double> joined = Vector256.Create(Vector128.LoadUnsafe(ref source), Vector128.LoadUnsafe(ref source, (nuint)(count - 2)));
        return Vector256.Shuffle(joined, Vector256.Create(0L, 1, Math.Min(6 - count, 3), 7 - count));
    }

    /// <inheritdoc cref="LoadFirst256(ref float, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> LoadFirst128(ref double source, [ConstantExpected(Min = 1, Max = 2)] int count) =>
        count >= 2 ? Vector128.LoadUnsafe(ref source) : Vector128.CreateScalar(source);

    /// <summary>Writes lanes 0 to <paramref name="count"/> - 1 of <paramref name="value"/> to <paramref name="destination"/>[0] to [count - 1], and nothing after them.</summary>
    /// <param name="value">The vector.</param>
    /// <param name="destination">The first element.</param>
    /// <param name="count">How many elements to write, 1 to the lane count.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreFirst(Vector256<float> value, ref float destination, [ConstantExpected(Min = 1, Max = 8)] int count)
    {
        if (count >= 8)
        {
            value.StoreUnsafe(ref destination);
        }
        else if (count < 4)
        {
#pragma warning disable CA1857 // count is below 4 on this branch
            StoreFirst(value.GetLower(), ref destination, count);
#pragma warning restore CA1857
        }
        else
        {
            value.GetLower().StoreUnsafe(ref destination);
            Vector256.Shuffle(value, Vector256.Create(count - 4, count - 3, count - 2, count - 1, 0, 0, 0, 0)).GetLower().StoreUnsafe(ref destination, (nuint)(count - 4));
        }
    }

    /// <inheritdoc cref="StoreFirst(Vector256{float}, ref float, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreFirst(Vector512<float> value, ref float destination, [ConstantExpected(Min = 1, Max = 16)] int count)
    {
        if (count >= 16)
        {
            value.StoreUnsafe(ref destination);
        }
        else if (count < 8)
        {
#pragma warning disable CA1857 // count is below 8 on this branch
            StoreFirst(value.GetLower(), ref destination, count);
#pragma warning restore CA1857
        }
        else
        {
            value.GetLower().StoreUnsafe(ref destination);
            Vector512.Shuffle(value, Vector512.Create(count - 8, count - 7, count - 6, count - 5, count - 4, count - 3, count - 2, count - 1, 0, 0, 0, 0, 0, 0, 0, 0))
                .GetLower().StoreUnsafe(ref destination, (nuint)(count - 8));
        }
    }

    /// <inheritdoc cref="StoreFirst(Vector256{float}, ref float, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreFirst(Vector512<double> value, ref double destination, [ConstantExpected(Min = 1, Max = 8)] int count)
    {
        if (count >= 8)
        {
            value.StoreUnsafe(ref destination);
        }
        else if (count < 4)
        {
#pragma warning disable CA1857 // count is below 4 on this branch
            StoreFirst(value.GetLower(), ref destination, count);
#pragma warning restore CA1857
        }
        else
        {
            value.GetLower().StoreUnsafe(ref destination);
            Vector512.Shuffle(value, Vector512.Create(count - 4L, count - 3, count - 2, count - 1, 0, 0, 0, 0)).GetLower().StoreUnsafe(ref destination, (nuint)(count - 4));
        }
    }

    /// <inheritdoc cref="StoreFirst(Vector256{float}, ref float, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreFirst(Vector128<float> value, ref float destination, [ConstantExpected(Min = 1, Max = 4)] int count)
    {
        if (count >= 4)
        {
            value.StoreUnsafe(ref destination);
        }
        else if (count == 1)
        {
            destination = value.ToScalar();
        }
        else
        {
            ref byte bytes = ref Unsafe.As<float, byte>(ref destination);
            Unsafe.WriteUnaligned(ref bytes, value.AsInt64().ToScalar());
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref bytes, 4 * (count - 2)), Vector128.Shuffle(value, Vector128.Create(count - 2, count - 1, 0, 0)).AsInt64().ToScalar());
        }
    }

    /// <inheritdoc cref="StoreFirst(Vector256{float}, ref float, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreFirst(Vector256<double> value, ref double destination, [ConstantExpected(Min = 1, Max = 4)] int count)
    {
        if (count >= 4)
        {
            value.StoreUnsafe(ref destination);
        }
        else if (count == 1)
        {
            destination = value.ToScalar();
        }
        else
        {
            value.GetLower().StoreUnsafe(ref destination);
            Vector256.Shuffle(value, Vector256.Create(count - 2L, count - 1, 0, 0)).GetLower().StoreUnsafe(ref destination, (nuint)(count - 2));
        }
    }

    /// <inheritdoc cref="StoreFirst(Vector256{float}, ref float, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreFirst(Vector128<double> value, ref double destination, [ConstantExpected(Min = 1, Max = 2)] int count)
    {
        if (count >= 2)
        {
            value.StoreUnsafe(ref destination);
        }
        else
        {
            destination = value.ToScalar();
        }
    }
}
