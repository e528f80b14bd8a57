using System.Numerics;
using System.Runtime.CompilerServices;

namespace KernelGen.Internal;

/// <summary>
/// Per-lane softmax sums for kernels whose lanes are separate rows (column and gather kernels): each lane
/// accumulates its own row's exp(x - max) with Kahan compensation; for log-softmax the row's maxima are
/// counted apart (see <see cref="ISimd{TV, T}.LogOfSplitSum"/>).
/// </summary>
internal static class LaneSums<TS, TV, T>
    where TS : ISimd<TV, T>
    where TV : struct
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Adds one position of each lane's row; returns exp(x - max) (softmax: with the difference taken exactly).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Add<TOp>(TV x, TV max, ref TV sum, ref TV lost, ref TV count)
        where TOp : IKernelOp
    {
        if (TOp.IsLog)
        {
            TV top = TS.Equals(x, max);
            TV e = TS.AndNot(TS.Exp(TS.Subtract(x, max)), top);
            TS.AddCompensated(ref sum, ref lost, e);
            count = TS.Add(count, TS.And(TS.Create(T.One), top));
            return e;
        }
        else
        {
            TV e = TS.ExpOfDifference(x, max);
            TS.AddCompensated(ref sum, ref lost, e);
            return e;
        }
    }

    /// <summary>Softmax: 1/sum per lane. Log-softmax: log(sum) per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Finish<TOp>(TV sum, TV lost, TV count)
        where TOp : IKernelOp =>
        TOp.IsLog ? TS.LogOfSplitSum(sum, lost, count) : TS.ReciprocalOfCompensated(sum, lost);
}
