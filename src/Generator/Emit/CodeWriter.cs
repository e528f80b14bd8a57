using System;
using System.Text;

namespace KernelGen.Generator.Emit;

/// <summary>Writes indented C#: <see cref="Line"/>, and <see cref="Block"/> for a braced scope.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public CodeWriter Line(string line = "")
    {
        if (line.Length > 0) _text.Append(' ', _indent * 4).Append(line);
        _text.Append('\n');
        return this;
    }

    /// <summary>Writes <paramref name="header"/> and an opening brace; disposing the result closes it.</summary>
    public Scope Block(string header)
    {
        Line(header);
        Line("{");
        _indent++;
        return new Scope(this);
    }

    /// <summary>Writes each line of a multi-line text at the current indentation.</summary>
    public CodeWriter Lines(string text)
    {
        foreach (string line in text.Split('\n')) Line(line.TrimEnd('\r'));
        return this;
    }

    public override string ToString() => _text.ToString();

    internal readonly struct Scope : IDisposable
    {
        private readonly CodeWriter _writer;

        public Scope(CodeWriter writer) => _writer = writer;

        public void Dispose()
        {
            _writer._indent--;
            _writer.Line("}");
        }
    }
}
