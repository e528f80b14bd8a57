using System.Runtime.Intrinsics;
using KernelGen.Internal;
using Xunit;

namespace KernelGen.Runtime.Tests;

/// <summary>
/// The exp's constants in static data (what FloatExp256 and FloatExp128 read on machines with 16 vector registers, and the
/// InMemory forms everywhere) are
/// the constants the exp makes from immediates, every lane of every field.
/// </summary>
public class ExpTableTests
{
    [Fact]
    public void The_tables_hold_the_exps_constants_splatted()
    {
        Assert.Equal(VectorMath.ExpConstants<Vector512<float>>.Create<FloatLanes512<float>>(), VectorMath.ExpConstants512InMemory);
        Assert.Equal(VectorMath.ExpConstants<Vector256<float>>.Create<FloatLanes256<float>>(), VectorMath.ExpConstants256InMemory);
        Assert.Equal(VectorMath.ExpConstants<Vector128<float>>.Create<FloatLanes128<float>>(), VectorMath.ExpConstants128InMemory);
    }

    [Fact]
    public void FloatExp_gives_the_same_bits_as_VectorMath_at_every_width_on_every_machine()
    {
        var exp512 = new FloatExp512();
        var exp256 = new FloatExp256();
        var exp128 = new FloatExp128();
        var exp512m = new FloatExp512InMemory();
        var exp256m = new FloatExp256InMemory();
        var exp128m = new FloatExp128InMemory();
        for (float x = -100f; x <= 0f; x += 0.37f)
        {
            var v256 = Vector256.Create(x, x * 0.5f, x * 0.25f, -0f, x + 1e-3f, x * 0.9f, -87.3f, -1e-7f);
            Assert.Equal(VectorMath.ExpOfDifference(v256, Vector256.Create(0.5f)), exp256.OfDifference(v256, Vector256.Create(0.5f)));
            Assert.Equal(VectorMath.ExpNoOverflow(v256), exp256.NoOverflow(v256));
            var v512 = Vector512.Create(v256, v256 * 0.125f);
            Assert.Equal(VectorMath.ExpOfDifference(v512, Vector512.Create(0.5f)), exp512.OfDifference(v512, Vector512.Create(0.5f)));
            Assert.Equal(VectorMath.ExpNoOverflow(v512), exp512.NoOverflow(v512));
            Vector128<float> v128 = v256.GetLower();
            Assert.Equal(VectorMath.ExpOfDifference(v128, Vector128.Create(0.5f)), exp128.OfDifference(v128, Vector128.Create(0.5f)));
            Assert.Equal(VectorMath.ExpNoOverflow(v128), exp128.NoOverflow(v128));
            Assert.Equal(exp512.OfDifference(v512, Vector512.Create(0.5f)), exp512m.OfDifference(v512, Vector512.Create(0.5f)));
            Assert.Equal(exp512.NoOverflow(v512), exp512m.NoOverflow(v512));
            Assert.Equal(exp256.OfDifference(v256, Vector256.Create(0.5f)), exp256m.OfDifference(v256, Vector256.Create(0.5f)));
            Assert.Equal(exp256.NoOverflow(v256), exp256m.NoOverflow(v256));
            Assert.Equal(exp128.OfDifference(v128, Vector128.Create(0.5f)), exp128m.OfDifference(v128, Vector128.Create(0.5f)));
            Assert.Equal(exp128.NoOverflow(v128), exp128m.NoOverflow(v128));
        }
    }
}
