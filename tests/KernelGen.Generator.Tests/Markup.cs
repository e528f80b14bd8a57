using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace KernelGen.Generator.Tests;

/// <summary>
/// Source text with the expected diagnostics marked in it: <c>{|KG0001:Name|}</c> expects KG0001 exactly on
/// <c>Name</c>; <c>{|CS0501,KG0002:M|}</c> expects both on <c>M</c>. Marks may nest.
/// </summary>
public sealed class Markup
{
    private Markup(string source, IReadOnlyList<(string Id, TextSpan Span)> expected)
    {
        Source = source;
        Expected = expected;
    }

    public string Source { get; }

    public IReadOnlyList<(string Id, TextSpan Span)> Expected { get; }

    public static Markup Parse(string markup)
    {
        var text = new StringBuilder();
        var expected = new List<(string, TextSpan)>();
        var open = new Stack<(string[] Ids, int Start)>();
        for (int i = 0; i < markup.Length;)
        {
            if (markup[i] == '{' && i + 1 < markup.Length && markup[i + 1] == '|')
            {
                int colon = markup.IndexOf(':', i);
                open.Push((markup[(i + 2)..colon].Split(','), text.Length));
                i = colon + 1;
            }
            else if (markup[i] == '|' && i + 1 < markup.Length && markup[i + 1] == '}')
            {
                (string[] ids, int start) = open.Pop();
                foreach (string id in ids) expected.Add((id, TextSpan.FromBounds(start, text.Length)));
                i += 2;
            }
            else
            {
                text.Append(markup[i++]);
            }
        }
        Assert.Empty(open);
        return new Markup(text.ToString(), expected);
    }
}
