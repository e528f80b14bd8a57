using System;
using System.Linq;
using System.Runtime.Intrinsics;
using Xunit;

namespace KernelGen.Runtime.Tests;

/// <summary>
/// Lanes.LoadFirst and StoreFirst, with which the generated kernels read and write a tensor smaller than one group of
/// rows in place: every count on every width, float and double. (The kernels pass constant counts; the tests pass
/// variables, which run the same branches.)
/// </summary>
#pragma warning disable CA1857 // the counts are variables here, on purpose
public class PartialLanesTests
{
    public static TheoryData<int> Counts16 => [.. Enumerable.Range(1, 16)];

    [Theory]
    [MemberData(nameof(Counts16))]
    public void Load_first_gives_the_first_count_elements_and_only_copies_or_zeros_after_them(int count)
    {
        float[] f = [.. Enumerable.Range(1, 16).Select(i => (float)i)];
        double[] d = [.. Enumerable.Range(1, 16).Select(i => (double)i)];
        if (count <= 16) CheckLoad(ToArray(Lanes.LoadFirst512(ref f[0], count)), f, count);
        if (count <= 8) CheckLoad(ToArray(Lanes.LoadFirst256(ref f[0], count)), f, count);
        if (count <= 4) CheckLoad(ToArray(Lanes.LoadFirst128(ref f[0], count)), f, count);
        if (count <= 8) CheckLoad(ToArray(Lanes.LoadFirst512(ref d[0], count)), d, count);
        if (count <= 4) CheckLoad(ToArray(Lanes.LoadFirst256(ref d[0], count)), d, count);
        if (count <= 2) CheckLoad(ToArray(Lanes.LoadFirst128(ref d[0], count)), d, count);
    }

    [Theory]
    [MemberData(nameof(Counts16))]
    public void Store_first_writes_the_first_count_lanes_and_nothing_after_them(int count)
    {
        if (count <= 16) CheckStore(16, count, (float[] y) => Lanes.StoreFirst(Vector512.Create(Lanes16<float>()), ref y[0], count));
        if (count <= 8) CheckStore(8, count, (float[] y) => Lanes.StoreFirst(Vector256.Create(Lanes16<float>().AsSpan(0, 8)), ref y[0], count));
        if (count <= 4) CheckStore(4, count, (float[] y) => Lanes.StoreFirst(Vector128.Create(Lanes16<float>().AsSpan(0, 4)), ref y[0], count));
        if (count <= 8) CheckStore(8, count, (double[] y) => Lanes.StoreFirst(Vector512.Create(Lanes16<double>().AsSpan(0, 8)), ref y[0], count));
        if (count <= 4) CheckStore(4, count, (double[] y) => Lanes.StoreFirst(Vector256.Create(Lanes16<double>().AsSpan(0, 4)), ref y[0], count));
        if (count <= 2) CheckStore(2, count, (double[] y) => Lanes.StoreFirst(Vector128.Create(Lanes16<double>().AsSpan(0, 2)), ref y[0], count));
    }

    // Lane i holds 100 + i.
    private static T[] Lanes16<T>() where T : struct, System.Numerics.INumber<T> =>
        [.. Enumerable.Range(0, 16).Select(i => T.CreateChecked(100 + i))];

    private static void CheckLoad<T>(T[] lanes, T[] source, int count) where T : System.Numerics.INumber<T>
    {
        for (int i = 0; i < lanes.Length; i++)
        {
            if (i < count) Assert.Equal(source[i], lanes[i]);
            else Assert.True(T.IsZero(lanes[i]) || source.Take(count).Contains(lanes[i]), $"lane {i} of {lanes.Length} after a load of {count} holds {lanes[i]}: neither 0 nor a loaded element");
        }
    }

    private static void CheckStore<T>(int lanes, int count, Action<T[]> store) where T : System.Numerics.INumber<T>
    {
        T[] y = [.. Enumerable.Repeat(-T.One, lanes + 2)];
        store(y);
        for (int i = 0; i < y.Length; i++)
        {
            Assert.Equal(i < count ? T.CreateChecked(100 + i) : -T.One, y[i]);
        }
    }

    private static T[] ToArray<T>(Vector512<T> v) => [.. Enumerable.Range(0, Vector512<T>.Count).Select(i => v.GetElement(i))];
    private static T[] ToArray<T>(Vector256<T> v) => [.. Enumerable.Range(0, Vector256<T>.Count).Select(i => v.GetElement(i))];
    private static T[] ToArray<T>(Vector128<T> v) => [.. Enumerable.Range(0, Vector128<T>.Count).Select(i => v.GetElement(i))];
}
