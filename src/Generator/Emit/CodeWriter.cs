using System;
using System.Text;

namespace KernelGen.Generator.Emit;

/// <summary>Writes indented C#: <see cref="Line"/>, and <see cref="Block"/> for a braced scope.</summary>
internal sealed class CodeWriter
{
    // One builder per thread, reused from file to file: a kernel's file is some 11,000 characters, and a new
    // builder would grow to that in chunks each time (the first run writes 200 files of them).
    [ThreadStatic]
    private static StringBuilder? s_cached;

    private readonly StringBuilder _text;
    private int _indent;

    public CodeWriter()
    {
        _text = s_cached ?? new StringBuilder(16 * 1024);
        s_cached = null;
        _text.Clear();
    }

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

    /// <summary>The text written; the builder then goes back to the thread's cache, so call this once, last.</summary>
    public override string ToString()
    {
        string text = _text.ToString();
        if (_text.Capacity <= 64 * 1024) s_cached = _text;
        return text;
    }

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
