using KernelGen.Generator.Model;
using KernelGen.Generator.Plans;

namespace KernelGen.Generator.Planning;

/// <summary>Chooses each hardware path's plan from the compile-time shape and axis.</summary>
internal static class PlanChooser
{
    public static KernelPlan Choose(KernelSpec spec)
    {
        TensorFacts tensor = TensorFacts.From(spec);
        PathPlan scalar = tensor.IsCausal ? new CausalRowsPlan(tensor, Lanes.For("scalar", spec.Element)) : new ScalarLoopsPlan(tensor, Lanes.For("scalar", spec.Element));
        PathPlan vector128 = ChooseVector(tensor, Lanes.For("Vector128", spec.Element));
        if (Vector128Reason(tensor, Lanes.For("Vector256", spec.Element), Lanes.For("Vector128", spec.Element)) is { } reason)
        {
            return new KernelPlan(tensor, null, "AVX-512 hardware runs the Vector128 path, for the reason given for the Vector256 path", null, vector128, scalar) { Vector256Reason = reason };
        }
        PathPlan widest = ChooseVector(tensor, Lanes.For("Vector512", spec.Element));
        PathPlan vector256 = ChooseVector(tensor, Lanes.For("Vector256", spec.Element));
        bool ownVector512 = HasVector512Form(widest);
        return new KernelPlan(
            tensor,
            ownVector512 ? widest : null,
            ownVector512 ? "" : Vector512Reason(tensor, widest, vector256),
            vector256,
            vector128,
            scalar);
    }

    // Layouts that one Vector128 spans and a Vector256 does not, where the Vector128 plan beat every Vector256 one in the
    // plan sweep (2026-11-30, Xeon with AVX-512, float): a few rows of exactly one Vector128 ([1, 4] 10 against 14 ns,
    // [2, 4] 20 against 29), and columns of 4 to 7 floats along a short axis whose tiny-slab group would exceed
    // TinySlabsPlan's limits ([2, 7, 5] axis 1: 251 against 537 ns; [2, 7, 6] at 21 vectors now runs 1.43x faster as
    // tiny slabs, see ChooseVector). Null where the Vector256 path keeps its own
    // plan; otherwise why AVX2 and AVX-512 hardware run the Vector128 path.
    private static string? Vector128Reason(TensorFacts tensor, Lanes wide, Lanes narrow)
    {
        // Double: one row of 2 ([1, 2]: 7.9 against 10.5 ns on the Xeon with AVX-512, 18.5 against 21.5 with AVX2;
        // --shapes, 21 rounds, 2026-12-01 03:31 and 03:32 UTC); two or more rows of 2 run faster across rows ([2, 2] 17.2
        // against 23.6 ns, full grid of 03:16 UTC). Double columns keep their Vector256 plans: the tiny-slab transpose
        // beats the Vector128 columns on AVX-512 hardware ([2, 8, 3] axis 1: 97 against 169 ns) and both beat the period
        // plan on AVX2 (221 and 172 against 265).
        // (Until 2026-12-01 double had stayed off the Vector128 path entirely, after the sweep measured the BCL's
        // Vector128<double> exp 10 to 14x slower than scalar code: that was its ahead-of-time code, which an application's
        // tiered compilation replaces; double now has an exp of its own.)
        if (tensor.ElementKind == ElementKind.Double)
        {
            return tensor.IsLastAxis && !tensor.IsCausal && !tensor.RuntimeCount && tensor.Length == narrow.Count && tensor.Rows == 1
                ? $"one row of {tensor.Length} fills one Vector128 exactly, and it ran faster alone in a Vector128 than across rows in a Vector256 (plan sweep, Xeon with AVX-512: [1, 2] 7.9 against 10.5 ns), so AVX2 and AVX-512 hardware run the Vector128 path"
                : null;
        }
        if (tensor.IsCausal) return null;
        if (tensor.IsLastAxis)
        {
            return !tensor.RuntimeCount && tensor.Length == narrow.Count && tensor.Rows < wide.Count
                ? $"rows of {tensor.Length} fill one Vector128 exactly, and {tensor.RowsText} of them ran faster one per Vector128 than in a Vector256 (plan sweep, Xeon with AVX-512: [1, 4] 10 against 14 ns), so AVX2 and AVX-512 hardware run the Vector128 path"
                : null;
        }
        // The axis limits are from the full grid of 18:56 UTC, after the narrow-columns plan read its periods with vector
        // loads: past them that plan beat the Vector128 columns by 1.03x to 1.38x ([2, 15, 6] axis 1 1.26x, [2, 28, 7]
        // 1.38x); columns whose period is 7 vectors (7 floats) kept the lead up to axes of 15, the others up to 10. Columns
        // of 5 were moved to 13 on 2026-12-01: the day's full grids had the Vector128 columns 1.12x to 1.35x faster at [2, 11..13, 5]
        // (and the period plan at 0.80x to 0.90x of Kernels.Softmax in one), and a --shapes run (11:54 UTC, 21 rounds, 2 and
        // 37 slabs) found them 1.01x to 1.47x faster up to axes of 13 on both paths (1.31x at [2, 11, 5] on AVX-512
        // hardware) and 0.95x to 1.07x at 14, 0.61x to 0.92x from 16. Groups within TinySlabsPlan's limits run faster as
        // tiny slabs.
        int period = tensor.Inner / NarrowColumnsPlan.Gcd(tensor.Inner, wide.Count);
        int longest = period >= 7 ? 15 : tensor.Inner == 5 ? 13 : 10;
        bool columns = tensor.Inner >= narrow.Count && tensor.Inner < wide.Count && tensor.Length <= longest
            && !new TinySlabsPlan(tensor, wide).GroupFits;
        return columns
            ? $"columns of {tensor.Inner} are narrower than a Vector256 of {wide.Count}, and runs of them across a Vector128 ran faster than the plans that transpose them across a Vector256 (plan sweep, Xeon with AVX-512: [2, 7, 5] axis 1, 251 against 537 ns), so AVX2 and AVX-512 hardware run the Vector128 path"
            : null;
    }

    // Plans that transpose groups of rows or slabs across the lanes (short rows, tiny slabs, narrow columns) are written
    // with constant shuffles for at most 8 lanes; at 16 lanes their groups would double and their shuffles cross 128-bit
    // lanes. Those layouts run the Vector256 path on AVX-512 hardware. Every other plan that has a Vector512 form takes it
    // (columns of 25 to 40 floats ran 1.1x to 1.5x faster at 16 lanes in the full grid of 2026-11-30, Xeon with AVX-512:
    // [2, 31, 25] axis 1 1.48x). Float columns of 17 to 24 ran on the Vector256 path from the full grid of 2026-11-30 18:56
    // UTC (they fill two Vector512s, 32 lanes, or three Vector256s, and the Vector256 form was 1.02x to 1.18x faster:
    // [2, 40, 22] axis 1 1.13x); once the Vector512 exp kept its masks in mask registers, the full grid of 2026-12-01
    // 06:19 UTC had the Vector512 form faster at a median of 1.02x to 1.06x per column count (0.93x to 1.28x, 504
    // points), and the rule was withdrawn.
    internal static bool HasVector512Form(PathPlan plan) => plan switch
    {
        RegisterRowsPlan registers => !registers.Partial,
        ColumnsPlan or CachedRowsPlan or WideColumnsPlan or CausalRowsPlan or TransposedRowsPlan or PackedColumnsPlan => true,
        _ => false,
    };

    private static string Vector512Reason(TensorFacts tensor, PathPlan widest, PathPlan vector256)
    {
        if (vector256 is TransposedRowsPlan)
        {
            return !SixteenAtATime(tensor.Length)
                ? $"rows of {tensor.Length} ran faster 8 at a time through two 8 x 8 transposes than 16 at a time through a 16 x 16 one where rows are left over (plan sweep, Xeon with AVX-512: [37, 9] 336 against 383 ns, where 16 at a time gained only 1.04x at 32 and 256 rows), so AVX-512 hardware runs the Vector256 path"
                : $"the {tensor.RowsText} rows of {tensor.Length} are fewer than the group of {widest.Lanes.Count} rows that the Vector512 path transposes, so AVX-512 hardware runs the Vector256 path";
        }
        if (widest is RegisterRowsPlan)
        {
            return $"rows of {tensor.Length} are shorter than a Vector512 of {widest.Lanes.Count}, and one such row per partial vector measured faster on Vector256 than on Vector512 (plan sweep, Xeon with AVX-512, float: [1, 7] 16 against 23 ns), so AVX-512 hardware runs the Vector256 path";
        }
        string what = tensor.IsLastAxis
            ? $"rows of {tensor.Length} are shorter than a Vector512 of {widest.Lanes.Count}"
            : $"an inner dimension of {tensor.Inner} is narrower than a Vector512 of {widest.Lanes.Count}";
        return $"{what}, and the plan that would serve them ({widest.Name}) transposes groups across at most 8 lanes, so AVX-512 hardware runs the Vector256 path";
    }

    private static PathPlan ChooseVector(TensorFacts tensor, Lanes lanes)
    {
        int c = lanes.Count;
        if (tensor.IsCausal) return new CausalRowsPlan(tensor, lanes);
        if (tensor.IsLastAxis)
        {
            // Float rows of 4 to 14 go 8 at a time on the Vector256 path (rows of 4 two per vector through 4 x 4 transposes
            // within 128-bit blocks, rows of 5 to 8 through an 8 x 8 transpose, rows of 9 to 14 through two), and rows of 4
            // to 16 but 9 go 16 at a time on the Vector512 path (rows of 4 four per vector, rows of 5 to 8 two per vector through
            // Lanes.TransposePairs, rows of 10 to 16 through a 16 x 16 transpose); both where the tensor has a group of rows.
            // Rows of 4 to 7 against the transpose by constant permutes and blends, rows of 8 against rows in registers
            // (interleaved A/B on the Xeon, 2026-11-30): [32, 7] 1.47x (AVX-512) and 1.90x (AVX2) faster, [256, 8] 1.56x;
            // rows of 3 kept the permute plan (0.84x to 1.06x). Plan sweep, Xeon, 2026-11-30, 32 and 256 rows, 21 or 31
            // rounds: rows of 4 within blocks 1.2x faster than through the 8 x 8 transpose ([256, 4] 1020 against 1267 ns),
            // and 16 at a time 1.07x to 1.10x faster again; rows of 5 to 8 two per Vector512 1.10x to 1.20x faster than 8 at
            // a time ([256, 7] 1570 against 1867 ns). --shapes runs of 2026-12-01 00:44 and 00:47 UTC (21 and 31 rounds),
            // after the 16 x 16 transpose was inlined: on AVX-512, 16 at a time beat 8 at a time for rows of 10 to 16 at 32,
            // 64, 100 and 256 rows, 1.16x to 1.47x ([256, 10] 2125 against 2533 ns, [256, 12] 2714 against 3480, [64, 15] 839
            // against 1146), level at 20 and 37 rows ([37, 10] 0.96x, [37, 12] 1.00x, [37, 14] 1.04x: the last group is a
            // whole group of 16); rows of 9 gained least (1.04x at 32 and 256 rows) and lost most where rows are left over
            // ([20, 9] 0.81x, [37, 9] 0.88x), so they stay 8 at a time. On the Vector256 path 8 at a time beat rows in
            // registers for rows of 9 to 13 ([256, 9] 1.56x, [256, 12] 1.28x, [256, 13] 1.09x), level for 14, and lost for 15
            // and 16, which go to rows in registers ([256, 16] 3750 against 4225 ns, [37, 16] 534 against 671).
            // Double rows of 3 to 11 go 8 at a time on the Vector512 path (one row per vector, or two for rows of 9 to 11,
            // through Lanes.Transpose's 8 x 8 double transpose). --shapes, 21 rounds, 2026-12-01 11:31 UTC, Xeon with
            // AVX-512, 8, 32, 37 and 256 rows: 1.01x to 1.68x faster than the plans chosen before at 35 of 36 points
            // ([256, 5] 1755 against 2950 ns for one row per Vector256 in registers, [256, 3] 1214 against 1442 for the
            // permute transpose on Vector256, [256, 10] 3060 against 3775 for rows in registers on Vector512; [37, 8] 0.88x);
            // rows of 12 to 16 were 0.67x to 0.96x of rows in registers (at 15 of 16 points), which they keep. On the Vector256
            // path double rows of 4 to 8 go 4 at a time (a 4 x 4 transpose, one or two per group): --shapes, 21 rounds,
            // 11:37 UTC, AVX-512 off, 8, 32, 37 and 256 rows: 1.05x to 1.62x faster than rows in registers at all 20 points
            // ([256, 5] 1978 against 3133 ns, [256, 8] 4275 against 4500); rows of 3 won from 32 rows (1.10x to 1.13x) but
            // lost at 8 (0.84x) and keep the permute transpose.
            if (TransposedRowsPlan.Serves(tensor, lanes) && (tensor.RuntimeCount || tensor.Rows >= c)
                && (lanes.Element == "double" ? (c == 8 ? tensor.Length <= 11 : tensor.Length is >= 4 and <= 8)
                    : c == 8 ? tensor.Length is >= 4 and <= 14 : SixteenAtATime(tensor.Length)))
            {
                return new TransposedRowsPlan(tensor, lanes);
            }
            if (tensor.Length < c) return FewShortRows(tensor, lanes) ? new RegisterRowsPlan(tensor, lanes) : new ShortRowsPlan(tensor, lanes);
            if (tensor.Length <= RegisterRowsPlan.MaxVectorsFor(tensor.ElementKind, lanes) * c) return new RegisterRowsPlan(tensor, lanes);
            return new CachedRowsPlan(tensor, lanes);
        }
        // Columns of at least a vector: ColumnsPlan. WideColumnsPlan (blocks swept row by row) measured faster on AMD Zen 3
        // for [64, 512] axis 0 when it was written, but slower than ColumnsPlan for float at every point of the plan sweep
        // on the Xeon with AVX-512 (2026-11-30; [2, 64, 512] axis 1: 49 against 65 us on Vector512); it serves double only,
        // where the full grid measured it faster:
        // Double, 512 columns or more along an axis of 30 or more: WideColumnsPlan, 1.03x to 1.30x faster than ColumnsPlan
        // in the full-grid sweep of 2026-11-30 18:56 UTC ([2, 60, 512] axis 1: 1.13x on Vector512, 1.30x on Vector256),
        // where ColumnsPlan had been 0.85x to 0.88x of Kernels.Softmax's column kernel, which sweeps its blocks the same way.
        // On Vector256 the crossover came earlier: axes of 21 to 29 1.02x to 1.20x faster at 8 of 9 (0.99x at 25).
        // (A rule sending double columns of 7 Vector256s or more that were not whole pairs to WideColumnsPlan, written on
        // 2026-12-01 while the double exp's constants were hoisted into AVX2's registers and spilled, lost 1.5x to 1.9x to
        // ColumnsPlan once they were read from memory: full grid of 05:11 UTC, [2, 37, 35] axis 1 7333 against 3925 ns.)
        // Columns that divide a vector into K = C / inner parts: K axis positions per vector (PackedColumnsPlan), from the
        // axis lengths where that beat the other plans (--shapes, 15 rounds, Xeon, AVX-512 hardware / AVX2, ns per call;
        // 2026-12-01 08:16 and 08:17 UTC for halves, 08:38 UTC for quarters and eighths).
        // Halves on Vector512 (8 floats, 4 doubles), against the Vector256 columns: float [2, 16, 8] axis 1 141 against
        // 196, [37, 16, 8] 2488 against 3600, [2, 64, 8] 541 against 786, [2, 8, 8] 85 against 98, [37, 6, 8] 1590
        // against 1785; double [2, 32, 4] 267 against 393, [37, 6, 4] 1187 against 1323; level at 7 ([37, 7, 8] 1555
        // against 1590), slower at 5 and below ([2, 5, 8] 73.6 against 63.3), where the last vector and the combining of
        // the parts weigh on a short axis.
        // Quarters on Vector512 (4 floats, 2 doubles), against halves on Vector256 and tiny slabs: float [37, 64, 4]
        // 5200 against 6900, [37, 12, 4] 1377 against 1545 (tiny slabs), [2, 12, 4] 81 against 83; double [37, 32, 2]
        // 2529 against 3400, [37, 12, 2] 1277 against 1433; slower at 8 ([37, 8, 4] 1076 against 994).
        // Eighths on Vector512 (2 floats), against tiny slabs and the period plan: [37, 64, 2] 2667 against 5600,
        // [37, 16, 2] 1229 against 2286, [37, 8, 2] 819 against 928, [2, 8, 2] 52 against 55; slower at 6. Against
        // quarters on Vector256 (09:31 UTC, 21 rounds): slower in a tensor of few slabs up to an axis of 20 ([2, 12, 2] 72
        // against 61, [2, 20, 2] 89 against 78, [8, 12, 2] 243 against 233), level at [37, 20, 2]; faster from 24 ([37,
        // 32, 2] 1700 against 2013, 08:38 UTC), so eighths start there.
        // Halves on Vector256 (4 floats, 2 doubles), against tiny slabs and the period plan: float [37, 16, 4] 1867
        // against 2357 (AVX2), [37, 12, 4] 1483 against 1545, [2, 12, 4] 83 against 98, slower at 8; double [37, 16, 2]
        // 1867 against 1989, [37, 64, 2] 9250 against 11550, level at 12 ([37, 12, 2] 1458 against 1433), slower below.
        // Quarters on Vector256 (2 floats): [37, 12, 2] 1065 against 1844, [37, 48, 2] 3740 against 5900 (AVX2),
        // level at 8 ([37, 8, 2] 805 against 800), slower at 6 ([37, 6, 2] 805 against 496).
        if (PackedColumnsPlan.Serves(tensor, lanes) && PackedColumnsAxisFits(tensor, lanes))
        {
            return new PackedColumnsPlan(tensor, lanes);
        }
        if (tensor.Inner >= c && tensor.ElementKind == ElementKind.Double && tensor.Inner >= 512 && tensor.Length >= (c == 4 ? 21 : 30)) return new WideColumnsPlan(tensor, lanes);
        if (tensor.Inner >= c) return new ColumnsPlan(tensor, lanes);
        // Narrower columns: the tiny-slab transpose while its group is within TinySlabsPlan's limits: 24 float vectors; on
        // Vector256 a plain softmax up to 30 where an axis position takes several vectors (columns of 3, 5, 6 and 7) and
        // up to 32 for columns of 4 (two slabs per group), in a loop too; other loops of groups of one vector per axis
        // position (columns of 1 and 2, and every column of 4 with log or an option) along an axis of at most 18. Full grid of 2026-11-30 22:48 UTC
        // and a --shapes recheck (21 rounds, 23:20 UTC, both paths): 1.3x to 4.7x faster than the period plan and the
        // Vector128 columns at every group of 19 to 28 vectors but one ([2, 19, 2] 134 against 235 ns, [2, 8, 3] 75 against
        // 242). Since the Vector256 path's lane shuffles blend with an immediate (VectorCode.Blend), no tiny-slab method of
        // up to 24 vectors calls a helper in any form (log-softmax, Scale, MaskedRows = Zero, in place, alone or in a loop),
        // and a plain softmax none up to 30 (the log-softmax and option forms do from 25: 2 to 10 calls). --shapes runs of
        // 2026-12-01 00:59 and 01:01 UTC (21 and 31 rounds, Xeon, Vector512 process / AVX2): groups of 25 to 30 vectors 1.3x to
        // 4.8x faster than the plan chosen before ([8, 9, 3] axis 1 206 against 987 ns / 269 against 1043, [8, 4, 7] 187
        // against 348 / 232 against 371, [4, 10, 6] 221 against 427 / 324 against 453); loops of 22 to 24 vectors too
        // ([37, 8, 3] 838 against 3750 / 1131 against 3875, [37, 8, 6] 1757 against 3160 / 2083 against 3220). Groups of
        // one vector per axis position lose past an axis of 18 in a loop on AVX2's 16 registers ([37, 24, 2]: 4167
        // against 4075 ns, and 0.67x in an earlier run) and past 24 alone ([4, 28, 2] 576 against 440), where on AVX-512
        // hardware they still win (32 registers; [37, 24, 2] 2617 against 3950). Columns of 4, whose two slabs per group
        // transpose within 128-bit halves, won on both at 20 to 32 vectors, in loops too (--shapes, 01:29 UTC, 21 rounds:
        // [37, 28, 4] 3550 against 5067 ns / 5200 against 6350, [2, 32, 4] 213 against 316 / 282 against 368), where
        // columns of 2 lost on AVX2 past 25 ([4, 28, 2] 593 against 500, [37, 28, 2] 6150 against 4800). Plain float
        // columns of 2 in a tensor smaller than one group, two or three slabs, go up to 27 vectors: after the seventh round
        // the full grid of 2026-12-01 06:19 UTC had tiny slabs faster than the period plan at [2, 25..27, 2] on both paths
        // (1.26x to 1.44x on AVX-512 hardware, 1.26x to 1.38x on AVX2), and --shapes (21 rounds, 07:07 to 07:19 UTC,
        // AVX-512 hardware / AVX2) [2, 25, 2] 1.32x-1.59x / 1.21x-1.47x, [2, 27, 2] 1.23x-1.33x / 1.18x-1.29x; whole groups
        // and more won on AVX-512 hardware but not on AVX2 ([4, 26, 2] 2.32x / 0.82x, [4, 27, 2] 1.89x-2.24x / 1.05x, [5,
        // 26, 2] 1.28x-1.57x / 0.85x), nor did 28 vectors on AVX2 ([4, 28, 2] 0.90x, [5, 28, 2] 0.78x), nor one slab
        // on either ([1, 27, 2] 0.82x / 0.73x: a quarter of the group's lanes). Plain softmax groups of 31 to 48 vectors
        // of several vectors per axis position, where the tensor holds at least one whole group: --shapes, 15 rounds,
        // 2026-12-01 08:58 and 08:59 UTC (Vector512 process / AVX2): float [37, 12, 3] axis 1 1640 against 4533 ns /
        // 2029 against 4600 (the period plan), [37, 16, 3] 2683 against 4375 / 2880 against 4425, [8, 12, 6] 923 against
        // 1217 / 696 against 965, [37, 9, 5] 2114 against 3500 / 2400 against 3740 (the Vector128 columns), [37, 6, 7] 1925
        // against 2433 / 2143 against 2314; double [37, 16, 3] 3450 against 4350 / 3725 against 4375; level at [37, 16, 6]
        // on AVX2 (5133 against 5033) and slower with fewer slabs than a group ([2, 16, 3] 296 against 273, [2, 9, 5] 298
        // against 191). Any tensor whose size is known at compile time, a partial group too, up to 33 vectors (was 30;
        // --shapes, 21 rounds, 09:48 UTC, AVX-512 hardware / AVX2): [2, 11, 3] 188 against 285 / 111 against 260 (the
        // period plan), [1, 11, 3] 69 against 164 / 71 against 135, [2, 11, 6] 221 against 323 / 172 against 277, double
        // [2, 11, 3] 185 against 306 / 137 against 238; a group of 33 vectors written once compiles whole (in the loop of
        // a run-time count, with its staged remainder, it did not: [-1, 11, 3], 14 calls). Double columns of
        // 2 keep the limit they were measured with, 32 vectors (1.07x to 1.84x faster than the period plan at every axis of
        // 17 to 32 with the BCL's exp; with double's own, full grid of 2026-12-01 03:43 UTC, 1.03x to 1.9x faster on AVX-512
        // hardware at every axis of 16 to 32, and 0.71x to 1.25x on AVX2, slower at most axes from 20: [2, 30, 2] 265
        // against 349 ns / 482 against 345; a choice by register count at run time would serve both). Other double
        // columns take float's limits since double has an exp of its own (inlined; they had been held to 21 vectors and
        // axes of 18 with the BCL's): --shapes, 21 rounds, 2026-12-01 03:31 and 03:32 UTC, Vector512 process / AVX2:
        // [2, 8, 3] axis 1 97 against 191 ns / 221 against 265, [37, 8, 3] 1863 against 3260 / 4050 against 4825,
        // [2, 10, 3] (30 vectors) 129 against 237 / 294 against 289.
        var tiny = new TinySlabsPlan(tensor, lanes);
        bool tinyWins = tensor.ElementKind == ElementKind.Double && tensor.Inner == 2 ? tiny.Vectors <= 32 : tiny.GroupFits;
        return tinyWins ? tiny : new NarrowColumnsPlan(tensor, lanes);
    }

    // Whether the axis is long enough for PackedColumnsPlan, by the parts a vector holds (see ChooseVector): halves on
    // Vector512 from 8 and at exactly 6 (three whole vectors; 7, with a last overlapping vector, was level), quarters from
    // 12, eighths from 24; on Vector256 float halves from 12, double halves from 16, quarters from 8.
    private static bool PackedColumnsAxisFits(TensorFacts tensor, Lanes lanes) => (lanes.Count / tensor.Inner, lanes.Vector) switch
    {
        (2, "Vector512") => tensor.Length >= 8 || tensor.Length == 6,
        (4, "Vector512") => tensor.Length >= 12,
        (8, "Vector512") => tensor.Length >= 24,
        (2, _) => tensor.Length >= (tensor.ElementKind == ElementKind.Float ? 12 : 16),
        _ => tensor.Length >= 8,
    };

    // The float row lengths the Vector512 path transposes 16 at a time (see ChooseVector); rows of 9 go 8 at a time.
    private static bool SixteenAtATime(int length) => length is >= 4 and <= 16 and not 9;

    // Rows shorter than a vector, fewer than a group of them (a tensor such as [1, 7] or [3, 5]): one row per vector,
    // read and written with Lanes.LoadFirst/StoreFirst, beats transposing a group that is mostly empty, except for rows
    // of 1 and 2 (no exp, one exp per row), 3 or more rows of 3 or 4, and two float rows of 3. Plan sweep of 2026-11-30
    // (benchmarks/results/plan-sweep/xeon-avx512), Vector256, float, ns per call: [1, 7] 16 against 72, [3, 5] 42 against
    // 53, [3, 4] 44 against 41, [3, 3] 43 against 33, [1, 2] 15 against 10; full grid of 2026-12-01 01:05 UTC (both
    // processes): [2, 3] 19.7 and 20.9 ns transposed against 26.9 and 27.9 in registers (double 25.6 and 28.1 against
    // 23.4 and 26.9, so double keeps the rows in registers), [1, 3] 14.5 in registers against 19.8 and 20.1.
    private static bool FewShortRows(TensorFacts tensor, Lanes lanes) =>
        !tensor.RuntimeCount && tensor.Rows < lanes.Count && tensor.Length >= 3
        && (tensor.Rows == 1 || tensor.Length >= 5 || (tensor.Rows == 2 && (tensor.Length == 4 || tensor.ElementKind == ElementKind.Double)));
}
