using System;

namespace KernelGen.Benchmarks.Onnx;

/// <summary>
/// A one-node ONNX model, <c>Y = Softmax(X, axis)</c> (opset 13), serialised in memory as ModelProto bytes.
/// Field numbers are those of onnx.proto.
/// </summary>
internal static class SoftmaxModel
{
    private const long IrVersion = 8;
    private const long OpsetVersion = 13;
    private const int ElementTypeFloat = 1;    // TensorProto.DataType.FLOAT
    private const int AttributeTypeInt = 2;    // AttributeProto.AttributeType.INT

    public const string InputName = "X";
    public const string OutputName = "Y";

    /// <summary>The model for a float tensor of static shape <paramref name="shape"/>, softmax along <paramref name="axis"/>.</summary>
    public static byte[] Build(ReadOnlySpan<int> shape, int axis)
    {
        // AttributeProto: name = 1, i = 3, type = 20.
        ProtoWriter axisAttribute = new ProtoWriter()
            .String(1, "axis")
            .Varint(3, axis)
            .Varint(20, AttributeTypeInt);

        // NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5.
        ProtoWriter node = new ProtoWriter()
            .String(1, InputName)
            .String(2, OutputName)
            .String(3, "softmax")
            .String(4, "Softmax")
            .Message(5, axisAttribute);

        // GraphProto: node = 1, name = 2, input = 11, output = 12.
        ProtoWriter graph = new ProtoWriter()
            .Message(1, node)
            .String(2, "kernelgen_softmax")
            .Message(11, FloatTensor(InputName, shape))
            .Message(12, FloatTensor(OutputName, shape));

        // OperatorSetIdProto: domain = 1, version = 2.
        ProtoWriter opset = new ProtoWriter()
            .String(1, "")
            .Varint(2, OpsetVersion);

        // ModelProto: ir_version = 1, producer_name = 2, graph = 7, opset_import = 8.
        return new ProtoWriter()
            .Varint(1, IrVersion)
            .String(2, "KernelGen.Benchmarks")
            .Message(7, graph)
            .Message(8, opset)
            .ToArray();
    }

    // ValueInfoProto { name = 1, type = 2 }; TypeProto { tensor_type = 1 }; TypeProto.Tensor { elem_type = 1, shape = 2 };
    // TensorShapeProto { dim = 1 }; Dimension { dim_value = 1 }.
    private static ProtoWriter FloatTensor(string name, ReadOnlySpan<int> shape)
    {
        var dims = new ProtoWriter();
        foreach (int d in shape)
        {
            dims.Message(1, new ProtoWriter().Varint(1, d));
        }
        ProtoWriter tensorType = new ProtoWriter()
            .Varint(1, ElementTypeFloat)
            .Message(2, dims);
        return new ProtoWriter()
            .String(1, name)
            .Message(2, new ProtoWriter().Message(1, tensorType));
    }
}
