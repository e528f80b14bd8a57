using System;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;

namespace KernelGen.Generator.Tests;

/// <summary>
/// Every misuse of [Softmax]/[LogSoftmax] is an error at the attribute or the method name, and it is the only
/// thing the build shows beside what the compiler itself must report: the expected diagnostics are marked in the
/// source (<see cref="Markup"/>) and compared with everything the generator, the compiler and the analyzer report.
/// </summary>
public class DiagnosticTests
{
    private const string Prologue = "using System;\nusing KernelGen;\n\nnamespace MyApp;\n\n";

    /// <summary>Builds the marked source and asserts that exactly the marked diagnostics (warnings and errors) are reported.</summary>
    private static async Task<(GeneratorDriverRunResult Run, Compilation Output, ImmutableArray<Diagnostic> Diagnostics)> Verify(string markupSource)
    {
        Markup markup = Markup.Parse(Prologue + markupSource);
        var (run, output, diagnostics) = await GeneratorHarness.Build(markup.Source);
        string[] expected = markup.Expected
            .Select(e => $"{e.Id} User0.cs '{markup.Source.Substring(e.Span.Start, e.Span.Length)}' at {e.Span}")
            .Order(StringComparer.Ordinal).ToArray();
        string[] actual = diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Select(d => $"{d.Id} {d.Location.SourceTree?.FilePath} '{d.Location.SourceTree?.GetText().ToString(d.Location.SourceSpan)}' at {d.Location.SourceSpan}")
            .Order(StringComparer.Ordinal).ToArray();
        Assert.True(expected.SequenceEqual(actual),
            $"Expected:\n  {string.Join("\n  ", expected)}\nActual:\n  {string.Join("\n  ", actual)}\nMessages:\n{GeneratorHarness.Describe(diagnostics)}");
        return (run, output, diagnostics);
    }

    private static Task<(GeneratorDriverRunResult Run, Compilation Output, ImmutableArray<Diagnostic> Diagnostics)> VerifyMembers(string members) =>
        Verify("public static partial class Kernels\n{\n" + members + "\n}\n");

    private static string Message(ImmutableArray<Diagnostic> diagnostics, string id) =>
        Assert.Single(diagnostics, d => d.Id == id).GetMessage(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_valid_kernel_reports_nothing() => await VerifyMembers("""
        [Softmax(2, 3)] public static partial void M(ReadOnlySpan<float> x, Span<float> y);
        [LogSoftmax(4, 5, Axis = 0)] internal static partial void L(Span<double> d);
        """);

    [Fact]
    public async Task KG0001_no_accessibility_is_the_only_error_and_the_kernel_gets_a_throwing_body()
    {
        var (_, output, diagnostics) = await VerifyMembers("""
            [Softmax(2, 3)] static partial void {|KG0001:M|}(ReadOnlySpan<float> x, Span<float> y);
            public static void Call(float[] x, float[] y) => M(x, y);
            """);
        string message = Message(diagnostics, "KG0001");
        Assert.Contains("'public'", message, StringComparison.Ordinal);
        // The call is not removed: it runs the generated body, which throws with the same message.
        var e = Assert.Throws<InvalidOperationException>(() => Invoke(output, "Call", new float[6], new float[6]));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public async Task KG0002_not_partial()
    {
        await VerifyMembers("[Softmax(3)] public static void {|KG0002:WithBody|}(Span<float> d) { }");
        await VerifyMembers("[Softmax(3)] public static void {|CS0501,KG0002:NoBody|}(Span<float> d);");
    }

    [Fact]
    public async Task KG0003_a_body_in_the_declaration_or_in_another_part()
    {
        await VerifyMembers("[Softmax(3)] public static partial void {|CS0759,KG0003:M|}(Span<float> d) { }");
        // A hand-written implementing part: KernelGen writes none, so there is no CS0757 (two implementations).
        await VerifyMembers("""
            [Softmax(3)] public static partial void {|KG0003:M|}(Span<float> d);
            public static partial void M(Span<float> d) { }
            """);
    }

    [Fact]
    public async Task KG0004_a_containing_type_that_is_not_partial_at_any_depth()
    {
        // No implementation can be added to a type that is not partial, so the compiler's CS8795 stays.
        var (_, _, diagnostics) = await Verify("""
            public partial class Outer
            {
                public class Inner
                {
                    [Softmax(3)] public partial void {|CS0751,CS8795,KG0004:M|}(Span<float> d);
                }
            }
            """);
        Assert.Contains("Type 'Inner'", Message(diagnostics, "KG0004"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KG0005_generic_even_with_constraints_gets_a_throwing_body_that_compiles() => await VerifyMembers("""
        [Softmax(3)] public static partial void {|KG0005:M|}<T>(Span<float> d);
        [Softmax(3)] public static partial void {|KG0005,KG0009:N|}<T, U>(Span<T> d) where T : struct, IComparable<T> where U : class?, new();
        """);

    [Fact]
    public async Task KG0006_not_void() => await VerifyMembers("""
        [Softmax(3)] public static partial int {|KG0006:M|}(Span<float> d);
        [Softmax(3)] public static partial ref float {|KG0006:R|}(Span<float> d);
        """);

    [Fact]
    public async Task KG0007_async()
    {
        // C# itself rejects an async declaration without a body, and a Span parameter in an async method.
        await VerifyMembers("[Softmax(3)] public static async partial void {|CS1994,CS8795,KG0007:A|}(Span<float> {|CS4012:d|});");
    }

    [Fact]
    public async Task KG0007_extern() =>
        // 'extern' makes the declaration an implementing part with no defining one.
        await VerifyMembers("[Softmax(3)] public static extern partial void {|CS0759,KG0007:E|}(Span<float> d);");

    [Fact]
    public async Task KG0008_parameters_other_than_the_two_kernel_signatures()
    {
        var (_, _, diagnostics) = await VerifyMembers("[Softmax(3)] public static partial void {|KG0008:Arrays|}(float[] x, float[] y);");
        Assert.Contains("(ReadOnlySpan<T> input, Span<T> output)", Message(diagnostics, "KG0008"), StringComparison.Ordinal);
        await VerifyMembers("""
            [Softmax(3)] public static partial void {|KG0008:TwoSpans|}(Span<float> x, Span<float> y);
            [Softmax(3)] public static partial void {|KG0008:None|}();
            [Softmax(3)] public static partial void {|KG0008:Three|}(ReadOnlySpan<float> x, Span<float> y, int n);
            [Softmax(3)] public static partial void {|KG0008:ReadOnlyInPlace|}(ReadOnlySpan<float> d);
            """);
    }

    [Fact]
    public async Task KG0009_element_type_other_than_float_or_double()
    {
        var (_, _, diagnostics) = await VerifyMembers("[Softmax(3)] public static partial void {|KG0009:M|}(ReadOnlySpan<int> x, Span<int> y);");
        Assert.Contains("'int'", Message(diagnostics, "KG0009"), StringComparison.Ordinal);
        await VerifyMembers("[Softmax(3)] public static partial void {|KG0009:H|}(Span<Half> d);");
    }

    [Fact]
    public async Task KG0010_input_and_output_of_different_element_types()
    {
        var (_, _, diagnostics) = await VerifyMembers("[Softmax(3)] public static partial void {|KG0010:M|}(ReadOnlySpan<float> x, Span<double> y);");
        Assert.Contains("reads 'float' and writes 'double'", Message(diagnostics, "KG0010"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KG0011_ref_out_in_and_params_modifiers()
    {
        var (_, _, diagnostics) = await VerifyMembers("""
            [Softmax(3)] public static partial void {|KG0011:Ref|}(ref Span<float> d);
            [Softmax(3)] public static partial void {|KG0011,KG0011:InOut|}(in ReadOnlySpan<float> x, out Span<float> y);
            [Softmax(3)] public static partial void {|KG0011:Params|}(params Span<float> d);
            [Softmax(3)] public static partial void {|KG0011:RefReadOnly|}(ref readonly Span<float> d);
            """);
        Assert.Contains(diagnostics, d => d.GetMessage().Contains("Parameter 'y' of kernel method 'InOut' is declared 'out'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task KG0012_empty_shape_zero_or_negative_dimension_and_overflow()
    {
        var (_, _, diagnostics) = await VerifyMembers("""
            [{|KG0012:Softmax|}] public static partial void Bare(Span<float> d);
            [{|KG0012:Softmax()|}] public static partial void Empty(Span<float> d);
            [{|KG0012:Softmax(3, 0)|}] public static partial void Zero(Span<float> d);
            [{|KG0012:LogSoftmax(4, -2)|}] public static partial void Negative(Span<float> d);
            [{|KG0012:Softmax(4, -1)|}] public static partial void DynamicNotLeading(Span<float> d);
            [{|KG0012:Softmax(-1, -1, 3)|}] public static partial void DynamicTwice(Span<float> d);
            [{|KG0012:Softmax(-1)|}] public static partial void DynamicAlone(Span<float> d);
            [{|KG0012:Softmax(-1, 4, Axis = 0)|}] public static partial void DynamicAxis(Span<float> d);
            [{|KG0012:Softmax(65536, 32768)|}] public static partial void Overflow(Span<float> d);
            """);
        string[] messages = diagnostics.Select(d => d.GetMessage()).ToArray();
        Assert.Contains(messages, m => m.Contains("Dimension 1 of shape [3, 0] is 0", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("Dimension 1 of shape [4, -2] is -2", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("Shape [4, -1] uses -1 at dimension 1", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("only once, as the first dimension", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("[65536, 32768] has more than 2147483647 elements", StringComparison.Ordinal));
    }

    [Fact]
    public async Task KG0012_a_shape_of_exactly_int_MaxValue_elements_is_accepted_for_an_input_output_kernel() =>
        // 2147483647 = 7 x 151 x 31 x 65537: the largest span; no error, only the kernel.
        await VerifyMembers("[Softmax(7, 151, 31, 65537)] public static partial void Largest(ReadOnlySpan<float> x, Span<float> y);");

    [Theory]
    [InlineData(2)]
    [InlineData(-3)]
    public async Task KG0013_axis_out_of_range_gives_the_rank_and_the_valid_range(int axis)
    {
        var (_, _, diagnostics) = await VerifyMembers($"[{{|KG0013:Softmax(3, 4, Axis = {axis})|}}] public static partial void M(Span<float> d);");
        string message = Message(diagnostics, "KG0013");
        Assert.Contains($"Axis {axis}", message, StringComparison.Ordinal);
        Assert.Contains("rank 2", message, StringComparison.Ordinal);
        Assert.Contains("-2 to 1", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_leading_minus_one_is_a_dynamic_dimension_not_an_error() =>
        await VerifyMembers("[Softmax(-1, 12, 128, 128)] public static partial void Heads(ReadOnlySpan<float> x, Span<float> y);");

    [Fact]
    public async Task KG0015_a_negative_or_non_finite_scale()
    {
        var (_, _, diagnostics) = await VerifyMembers("""
            [{|KG0015:Softmax(4, 8, Scale = -0.5f)|}] public static partial void Negative(Span<float> d);
            [{|KG0015:Softmax(4, 8, Scale = float.NaN)|}] public static partial void NotANumber(Span<float> d);
            [{|KG0015:LogSoftmax(4, 8, Scale = float.PositiveInfinity)|}] public static partial void Infinite(Span<float> d);
            [Softmax(4, 8, Scale = 0f)] public static partial void Zero(Span<float> d);
            """);
        Assert.Contains(diagnostics, d => d.GetMessage().StartsWith("Scale is -0.5: use a finite value of at least 0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task KG0016_causal_needs_queries_and_keys_on_the_last_axis()
    {
        var (_, _, diagnostics) = await VerifyMembers("""
            [{|KG0016:Softmax(128, Causal = true)|}] public static partial void RankOne(Span<float> d);
            [{|KG0016:Softmax(16, 16, Axis = 0, Causal = true)|}] public static partial void NotLastAxis(Span<float> d);
            [{|KG0016:Softmax(-1, 16, Causal = true)|}] public static partial void QueriesUnknown(Span<float> d);
            [Softmax(-1, 16, 16, Causal = true)] public static partial void Batched(Span<float> d);
            """);
        string[] messages = diagnostics.Select(d => d.GetMessage()).ToArray();
        Assert.Contains(messages, m => m.Contains("has rank 1", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("use Axis = -1", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("put the -1 before [Q, K]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task KG0017_parallel_needs_a_leading_dimension_to_split()
    {
        var (_, _, diagnostics) = await VerifyMembers("""
            [{|KG0017:Softmax(1024, Parallel = true)|}] public static partial void OneRow(Span<float> d);
            [{|KG0017:Softmax(64, 512, Axis = 0, Parallel = true)|}] public static partial void LeadingAxis(Span<float> d);
            [{|KG0017:Softmax(128, 128, Causal = true, Parallel = true)|}] public static partial void OneMatrix(Span<float> d);
            [Softmax(-1, 12, 128, 128, Parallel = true, Causal = true)] public static partial void Heads(Span<float> d);
            """);
        Assert.Contains(diagnostics, d => d.GetMessage().Contains("add a leading batch or head dimension", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tensor_spans_are_kernel_parameters_and_mixing_them_with_spans_is_KG0008() => await VerifyMembers("""
        [Softmax(3, 4)] public static partial void Tensors(System.Numerics.Tensors.ReadOnlyTensorSpan<float> x, System.Numerics.Tensors.TensorSpan<float> y);
        [Softmax(3, 4)] public static partial void InPlace(System.Numerics.Tensors.TensorSpan<double> d);
        [Softmax(3, 4)] public static partial void {|KG0008:Mixed|}(ReadOnlySpan<float> x, System.Numerics.Tensors.TensorSpan<float> y);
        """);

    [Fact]
    public async Task KG0014_both_attributes_is_one_error()
    {
        await VerifyMembers("[{|KG0014:Softmax(3)|}, LogSoftmax(3)] public static partial void M(Span<float> d);");
        await VerifyMembers("""
            [LogSoftmax(3)]
            [{|KG0014:Softmax(3)|}]
            public static partial void M(Span<float> d);
            """);
    }

    [Fact]
    public async Task Several_misuses_of_one_kernel_are_each_reported() => await VerifyMembers(
        "[{|KG0013:Softmax(3, Axis = 1)|}] static partial int {|CS8796,KG0001,KG0006,KG0010:M|}(ReadOnlySpan<float> x, Span<double> y);");

    [Fact]
    public async Task Attribute_arguments_that_are_not_constants_show_only_the_compiler_error() => await VerifyMembers("""
        public static int n = 3;
        [Softmax({|CS0182:n|})] public static partial void FromField(Span<float> d);
        [Softmax(3, Axis = {|CS0182:n|})] public static partial void AxisFromField(Span<float> d);
        [Softmax({|CS0103:Undefined|})] public static partial void Unknown(Span<float> d);
        [Softmax(3, Axis = {|CS0029:"last"|})] public static partial void AxisText(Span<float> d);
        [Softmax({|CS1503:2.5|})] public static partial void NotAnInt(Span<float> d);
        """);

    [Fact]
    public async Task An_unknown_parameter_type_shows_only_the_compiler_errors() => await VerifyMembers(
        "[Softmax(3)] public static partial void {|CS8795:M|}({|CS0246:Spam<float>|} d);");

    [Fact]
    public async Task A_misdeclared_kernel_body_throws_with_the_KG_message_and_shows_no_CS8795()
    {
        var (run, output, diagnostics) = await VerifyMembers("""
            [{|KG0012:Softmax(3, 0)|}] public static partial void Zero(Span<float> d);
            public static void Call(float[] d) => Zero(d);
            """);
        Assert.Single(run.Results.Single().GeneratedSources);
        var e = Assert.Throws<InvalidOperationException>(() => Invoke(output, "Call", new float[3]));
        Assert.Equal(Message(diagnostics, "KG0012"), e.Message);
    }

    [Fact]
    public async Task Pragma_warning_disable_around_the_declaration_suppresses_the_error()
    {
        const string source = """
            public static partial class Kernels
            {
            #pragma warning disable KG0001
                [Softmax(3)] static partial void Quiet(Span<float> d);
            #pragma warning restore KG0001
                [Softmax(3)] static partial void {|KG0001:Loud|}(Span<float> d);
            #pragma warning disable KG0012
                [Softmax(0)] public static partial void QuietShape(Span<float> d);
            #pragma warning restore KG0012
            #pragma warning disable KG0001
                [{|KG0012:Softmax(0)|}] public static partial void OtherIdStillReported(Span<float> d);
            #pragma warning restore KG0001
            }
            """;
        var (_, output, _) = await Verify(source);
        // The suppressed ones are still found, and marked suppressed, at the method name and the attribute.
        ImmutableArray<Diagnostic> all = await GeneratorHarness.AnalyzerDiagnostics(output, reportSuppressed: true);
        string[] suppressed = all.Where(d => d.IsSuppressed).Select(d => $"{d.Id} {d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan)}").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["KG0001 Quiet", "KG0012 Softmax(0)"], suppressed);
    }

    private const string Tensors = "System.Numerics.Tensors.";

    [Fact]
    public async Task Valid_training_kernels_report_nothing() => await VerifyMembers($$"""
        [SoftmaxGradient(12, 16, 16, Scale = 0.125f, Causal = true)] public static partial void Attention(ReadOnlySpan<float> probs, ReadOnlySpan<float> probsGradient, Span<float> scoresGradient);
        [LogSoftmaxGradient(-1, 4, 5, Axis = 1, Parallel = true)] internal static partial void Columns(ReadOnlySpan<double> y, ReadOnlySpan<double> dy, Span<double> dx);
        [SoftmaxGradient(3, 4)] public static partial void Tensor({{Tensors}}ReadOnlyTensorSpan<float> y, {{Tensors}}ReadOnlyTensorSpan<float> dy, {{Tensors}}TensorSpan<float> dx);
        [SoftmaxCrossEntropy(-1, 10)] public static partial void Loss(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> losses);
        [SoftmaxCrossEntropy(8, 10)] public static partial void Loss(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> losses, Span<float> logitsGradient);
        [SoftmaxCrossEntropy(-1, 10, Parallel = true, MaskedRows = MaskedRowPolicy.Zero)] public static partial void Split(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> losses, Span<float> logitsGradient);
        [SoftmaxCrossEntropy(8, 10, Parallel = true)] public static partial void SplitLoss(ReadOnlySpan<double> logits, ReadOnlySpan<int> targets, Span<double> losses);
        [SoftmaxCrossEntropy(8, 10, IgnoreIndex = -1, Scale = 0.5f)] private static partial void Tempered(ReadOnlySpan<double> logits, ReadOnlySpan<int> targets, Span<double> losses, Span<double> logitsGradient);
        """);

    [Fact]
    public async Task KG0018_training_kernel_parameters_other_than_their_signatures()
    {
        var (_, _, diagnostics) = await VerifyMembers($$"""
            [SoftmaxGradient(4, 16)] public static partial void {|KG0018:TwoSpans|}(ReadOnlySpan<float> y, Span<float> dyInOut);
            [LogSoftmaxGradient(4, 16)] public static partial void {|KG0018:WritableY|}(Span<float> y, ReadOnlySpan<float> dy, Span<float> dx);
            [SoftmaxGradient(4, 16)] public static partial void {|KG0018:Mixed|}({{Tensors}}ReadOnlyTensorSpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);
            [SoftmaxCrossEntropy(-1, 10)] public static partial void {|KG0018:NoLosses|}(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets);
            [SoftmaxCrossEntropy(-1, 10)] public static partial void {|KG0018:Arrays|}(float[] logits, int[] targets, float[] losses);
            """);
        string[] messages = diagnostics.Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Contains(messages, m => m.StartsWith("Kernel method 'TwoSpans' has parameters (ReadOnlySpan<float> y, Span<float> dyInOut): [SoftmaxGradient] takes (ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx): the softmax's output", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("[LogSoftmaxGradient] takes (ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx): the log-softmax's output", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("Kernel method 'NoLosses' has parameters (ReadOnlySpan<float> logits, ReadOnlySpan<int> targets): [SoftmaxCrossEntropy] takes (ReadOnlySpan<T> logits, ReadOnlySpan<int> targets, Span<T> losses) for the losses, or (ReadOnlySpan<T> logits, ReadOnlySpan<int> targets, Span<T> losses, Span<T> logitsGradient)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task KG0019_training_kernel_spans_of_different_element_types()
    {
        var (_, _, diagnostics) = await VerifyMembers("""
            [SoftmaxGradient(4, 16)] public static partial void {|KG0019:Gradient|}(ReadOnlySpan<float> y, ReadOnlySpan<double> dy, Span<float> dx);
            [SoftmaxCrossEntropy(8, 10)] public static partial void {|KG0019:Loss|}(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> losses, Span<double> logitsGradient);
            """);
        string[] messages = diagnostics.Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Contains("Parameters 'y' and 'dy' of kernel method 'Gradient' have element types 'float' and 'double': declare every span of the kernel with one element type, float or double", messages);
        Assert.Contains("Parameters 'logits' and 'logitsGradient' of kernel method 'Loss' have element types 'float' and 'double': declare every span of the kernel with one element type, float or double (the targets apart, which are int)", messages);
    }

    [Fact]
    public async Task KG0020_targets_that_are_not_a_read_only_span_of_int()
    {
        var (_, _, diagnostics) = await VerifyMembers("""
            [SoftmaxCrossEntropy(-1, 10)] public static partial void {|KG0020:Long|}(ReadOnlySpan<float> logits, ReadOnlySpan<long> targets, Span<float> losses);
            [SoftmaxCrossEntropy(-1, 10)] public static partial void {|KG0020:Writable|}(ReadOnlySpan<float> logits, Span<int> targets, Span<float> losses);
            [SoftmaxCrossEntropy(-1, 10)] public static partial void {|KG0020:GradientStyle|}(ReadOnlySpan<float> logits, Span<float> losses, Span<float> logitsGradient);
            """);
        string[] messages = diagnostics.Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Contains("Parameter 'targets' of kernel method 'Long' holds the targets but is declared 'ReadOnlySpan<long>': declare it 'ReadOnlySpan<int> targets', one class index per row (or IgnoreIndex)", messages);
        Assert.Contains(messages, m => m.StartsWith("Parameter 'losses' of kernel method 'GradientStyle' holds the targets but is declared 'Span<float>'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task KG0021_a_cross_entropy_shape_that_is_not_rows_and_classes()
    {
        var (_, _, diagnostics) = await VerifyMembers("""
            [{|KG0021:SoftmaxCrossEntropy(50257)|}] public static partial void Classes(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> losses);
            [{|KG0021:SoftmaxCrossEntropy(4, 64, 50257)|}] public static partial void Tokens(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> losses);
            [{|KG0012:SoftmaxCrossEntropy(4, -1)|}] public static partial void Dynamic(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> losses);
            """);
        string[] messages = diagnostics.Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Contains("[SoftmaxCrossEntropy] takes the shape (rows, classes), but [50257] gives the classes alone: for one row write [SoftmaxCrossEntropy(1, 50257)], for any number [SoftmaxCrossEntropy(-1, 50257)]", messages);
        Assert.Contains("[SoftmaxCrossEntropy] takes the shape (rows, classes), but [4, 64, 50257] has rank 3: flatten the dimensions before the classes into the rows, e.g. [SoftmaxCrossEntropy(-1, 50257)] (the rows are the batch times the tokens)", messages);
    }

    [Fact]
    public async Task Training_kernels_share_the_declaration_element_type_shape_and_option_checks()
    {
        var (_, _, diagnostics) = await VerifyMembers("""
            [SoftmaxGradient(4, 16)] static partial void {|KG0001:NoAccessibility|}(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);
            [SoftmaxGradient(4, 16)] public static partial void {|KG0009:Ints|}(ReadOnlySpan<int> y, ReadOnlySpan<int> dy, Span<int> dx);
            [SoftmaxCrossEntropy(4, 16)] public static partial void {|KG0009:Halves|}(ReadOnlySpan<Half> logits, ReadOnlySpan<int> targets, Span<Half> losses);
            [SoftmaxCrossEntropy(4, 16)] public static partial void {|KG0011:Ref|}(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, ref Span<float> losses);
            [{|KG0013:LogSoftmaxGradient(4, 16, Axis = 2)|}] public static partial void Axis(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);
            [{|KG0015:SoftmaxCrossEntropy(4, 16, Scale = -1f)|}] public static partial void Negative(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> losses);
            [{|KG0016:SoftmaxGradient(16, Causal = true)|}] public static partial void Causal(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);
            [{|KG0017:LogSoftmaxGradient(64, 512, Axis = 0, Parallel = true)|}] public static partial void Parallel(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);
            """);
        Assert.Contains(diagnostics, d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).EndsWith("e.g. [SoftmaxGradient(12, 128, 128, Causal = true)]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task KG0022_masked_rows_on_a_cross_entropy_without_gradient()
    {
        var (_, _, diagnostics) = await VerifyMembers("""
            [{|KG0022:SoftmaxCrossEntropy(-1, 10, MaskedRows = MaskedRowPolicy.Zero)|}] public static partial void Loss(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> losses);
            [SoftmaxCrossEntropy(-1, 10, MaskedRows = MaskedRowPolicy.Zero)] public static partial void Both(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> losses, Span<float> logitsGradient);
            [SoftmaxCrossEntropy(-1, 10, MaskedRows = MaskedRowPolicy.NaN)] public static partial void Default(ReadOnlySpan<double> logits, ReadOnlySpan<int> targets, Span<double> losses);
            """);
        Assert.Equal("MaskedRows = Zero decides the gradient of a row whose every logit is -inf, but kernel method 'Loss' writes no gradient (such a row's loss is +inf either way): remove MaskedRows, or add a 'Span<float> logitsGradient' parameter",
            Message(diagnostics, "KG0022"));
    }

    [Fact]
    public async Task KG0014_two_kernel_attributes_of_any_kinds()
    {
        var (_, _, diagnostics) = await VerifyMembers("""
            [{|KG0014:Softmax(3)|}, SoftmaxGradient(3)] public static partial void Forward(Span<float> d);
            [SoftmaxCrossEntropy(1, 3)]
            [{|KG0014:LogSoftmaxGradient(1, 3)|}]
            public static partial void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);
            """);
        string[] messages = diagnostics.Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Contains("Kernel method 'Forward' has both [Softmax] and [SoftmaxGradient]: keep one, and declare a second method for the other", messages);
        Assert.Contains("Kernel method 'Backward' has both [LogSoftmaxGradient] and [SoftmaxCrossEntropy]: keep one, and declare a second method for the other", messages);
    }

    [Fact]
    public void Every_descriptor_is_an_error_in_category_KernelGen_with_a_help_page_and_release_tracking()
    {
        ImmutableArray<DiagnosticDescriptor> all = new Diagnostics.KernelAnalyzer().SupportedDiagnostics;
        string root = Snapshot.RepositoryRoot;
        string unshipped = System.IO.File.ReadAllText(System.IO.Path.Combine(root, "src", "Generator", "AnalyzerReleases.Unshipped.md"))
            + System.IO.File.ReadAllText(System.IO.Path.Combine(root, "src", "Generator", "AnalyzerReleases.Shipped.md"));
        string index = System.IO.File.ReadAllText(System.IO.Path.Combine(root, "docs", "diagnostics", "README.md"));
        Assert.Equal(Enumerable.Range(1, all.Length).Select(i => $"KG{i:D4}"), all.Select(d => d.Id));
        foreach (DiagnosticDescriptor d in all)
        {
            Assert.Equal(DiagnosticSeverity.Error, d.DefaultSeverity);
            Assert.Equal("KernelGen", d.Category);
            Assert.EndsWith($"/docs/diagnostics/{d.Id}.md", d.HelpLinkUri, StringComparison.Ordinal);
            string page = System.IO.Path.Combine(root, "docs", "diagnostics", d.Id + ".md");
            Assert.True(System.IO.File.Exists(page), $"{page} is missing");
            Assert.Contains($"# {d.Id}", System.IO.File.ReadAllText(page), StringComparison.Ordinal);
            Assert.Contains($"{d.Id}.md", index, StringComparison.Ordinal);
            Assert.Contains($"{d.Id} | KernelGen | Error |", unshipped, StringComparison.Ordinal);
        }
    }

    /// <summary>Emits the compilation (generated code included) and calls Kernels.{method} in it.</summary>
    private static void Invoke(Compilation compilation, string method, params object[] arguments)
    {
        using var stream = new System.IO.MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult emitted = compilation.Emit(stream);
        Assert.True(emitted.Success, GeneratorHarness.Describe(emitted.Diagnostics));
        var context = new System.Runtime.Loader.AssemblyLoadContext(method, isCollectible: true);
        try
        {
            Assembly assembly = context.LoadFromStream(new System.IO.MemoryStream(stream.ToArray()));
            MethodInfo call = assembly.GetType("MyApp.Kernels")!.GetMethod(method)!;
            try
            {
                call.Invoke(null, arguments);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            }
        }
        finally
        {
            context.Unload();
        }
    }
}
