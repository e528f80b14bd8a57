using KernelGen.Generator.Emit;
using KernelGen.Generator.Planning;

namespace KernelGen.Generator.Plans;

/// <summary>
/// The gradient of GPT-2's causal softmax (or log-softmax) over the last two dimensions [..., Q, K], the mask of
/// <see cref="CausalRowsPlan"/>: query row i kept keys j &lt;= i + (K - Q). Only those n keys go to the runtime's row
/// function; the gradient of every other key is exactly 0, written without reading y or dy there. A row that kept no
/// key at all (K &lt; Q) gets a gradient of 0.
/// </summary>
internal sealed record CausalGradientRowsPlan(TensorFacts Tensor) : TrainingPlan(Tensor)
{
    private int Q => Tensor.CausalQueries;
    private int K => Tensor.Length;

    public override string Name => "causal gradient rows";

    public override string Describe()
    {
        string empty = K < Q ? $"; the first {Q - K} rows kept no key and their gradient is 0" : "";
        return $"causal mask on [{Q}, {K}] matrices{(Tensor.RuntimeCount ? " (as many as the span holds)" : $" ({Tensor.Count / (Q * K)} of them)")}: row i kept keys j <= i + {K - Q}, so its n = i + {K - Q + 1} keys go to TrainingRows.{GradientFunction(columns: false)} ({GradientFormula}, on the widest of Vector512/256/128 that fits the n keys, scalar below a vector) and the other K - n elements of dx are set to 0 without reading y or dy{empty}.";
    }

    public override void Write(CodeWriter w)
    {
        string call = $"TrainingRows.{GradientFunction(columns: false)}";
        using (w.Block($"for (nuint matrix = 0; matrix < {Tensor.CountExpression}; matrix += {Q * K})"))
        {
            using (w.Block($"for (nuint i = 0; i < {Q}; i++)"))
            {
                w.Line($"nuint row = matrix + i * {K};");
                if (K < Q)
                {
                    w.Line($"nint keys = (nint)i - {Q - K - 1}; // query i kept keys j <= i + (K - Q)");
                    using (w.Block("if (keys <= 0)"))
                    {
                        w.Line($"TrainingRows.Zero(ref Unsafe.Add(ref dx, row), {K}); // no key at all: its gradient is 0");
                        w.Line("continue;");
                    }
                    w.Line("nuint n = (nuint)keys;");
                }
                else
                {
                    w.Line($"nuint n = i + {K - Q + 1}; // query i kept keys j <= i + (K - Q)");
                }
                w.Line($"{call}(ref Unsafe.Add(ref y, row), ref Unsafe.Add(ref dy, row), ref Unsafe.Add(ref dx, row), n, {ScaleArgument});");
                using (w.Block($"if (n < {K})"))
                {
                    w.Line($"TrainingRows.Zero(ref Unsafe.Add(ref dx, row + n), {K} - n); // the masked keys: exactly 0, y and dy not read");
                }
            }
        }
    }
}
