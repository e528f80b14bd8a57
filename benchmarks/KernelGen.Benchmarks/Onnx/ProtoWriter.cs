using System;
using System.Collections.Generic;
using System.Text;

namespace KernelGen.Benchmarks.Onnx;

/// <summary>
/// The few pieces of the protobuf wire format an ONNX model needs: varint and length-delimited fields.
/// A message is written into its own writer, and a parent embeds its bytes as a length-delimited field.
/// </summary>
internal sealed class ProtoWriter
{
    private const int WireVarint = 0;
    private const int WireLengthDelimited = 2;

    private readonly List<byte> _bytes = new();

    /// <summary>An int64/int32/enum field. Negative values take ten bytes (two's complement), as protobuf requires.</summary>
    public ProtoWriter Varint(int field, long value)
    {
        Tag(field, WireVarint);
        RawVarint(unchecked((ulong)value));
        return this;
    }

    /// <summary>A string field, UTF-8.</summary>
    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>An embedded message field.</summary>
    public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, WireLengthDelimited);
        RawVarint((ulong)value.Length);
        foreach (byte b in value) _bytes.Add(b);
        return this;
    }

    public byte[] ToArray() => _bytes.ToArray();

    private void Tag(int field, int wireType) => RawVarint((ulong)((field << 3) | wireType));

    private void RawVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }
        _bytes.Add((byte)value);
    }
}
