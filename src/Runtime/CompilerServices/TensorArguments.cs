using System;
using System.ComponentModel;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace KernelGen.CompilerServices;

/// <summary>
/// Checks that a <see cref="TensorSpan{T}"/> or <see cref="ReadOnlyTensorSpan{T}"/> has a kernel's shape and is
/// dense and row-major, and returns its elements as a span. Used by generated kernels and by <see cref="Kernels"/>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TensorArguments
{
    /// <summary>The elements of a dense, row-major tensor of the given shape (a leading -1 matches any length).</summary>
    public static ReadOnlySpan<T> Dense<T>(in ReadOnlyTensorSpan<T> tensor, ReadOnlySpan<int> shape, string shapeText, string parameterName)
    {
        Check(tensor.Lengths, tensor.Strides, tensor.Rank, shape, shapeText, parameterName);
        return MemoryMarshal.CreateReadOnlySpan(in tensor.GetPinnableReference(), checked((int)tensor.FlattenedLength));
    }

    /// <inheritdoc cref="Dense{T}(in ReadOnlyTensorSpan{T}, ReadOnlySpan{int}, string, string)"/>
    public static Span<T> Dense<T>(in TensorSpan<T> tensor, ReadOnlySpan<int> shape, string shapeText, string parameterName)
    {
        Check(tensor.Lengths, tensor.Strides, tensor.Rank, shape, shapeText, parameterName);
        return MemoryMarshal.CreateSpan(ref tensor.GetPinnableReference(), checked((int)tensor.FlattenedLength));
    }

    /// <summary>The shape of a tensor, for the generic kernels: its lengths as ints.</summary>
    internal static int[] ShapeOf(ReadOnlySpan<nint> lengths, ReadOnlySpan<nint> strides, string parameterName)
    {
        var shape = new int[lengths.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            if (lengths[i] > int.MaxValue) throw new ArgumentException($"Dimension {i} of '{parameterName}' has {lengths[i]} elements: more than a span can hold.", parameterName);
            shape[i] = (int)lengths[i];
        }
        Check(lengths, strides, lengths.Length, shape, Shared.ShapeMath.Format(shape), parameterName);
        return shape;
    }

    private static void Check(ReadOnlySpan<nint> lengths, ReadOnlySpan<nint> strides, int rank, ReadOnlySpan<int> shape, string shapeText, string parameterName)
    {
        if (rank != shape.Length)
        {
            throw new ArgumentException($"The tensor '{parameterName}' has rank {rank}, but the kernel's shape {shapeText} has rank {shape.Length}.", parameterName);
        }
        for (int i = 0; i < rank; i++)
        {
            if (shape[i] >= 0 && lengths[i] != shape[i])
            {
                throw new ArgumentException($"Dimension {i} of the tensor '{parameterName}' has length {lengths[i]}, but the kernel's shape {shapeText} needs {shape[i]}.", parameterName);
            }
        }
        // Dense and row-major: each stride is the product of the lengths after it (a dimension of length 1 may have any stride).
        nint expected = 1;
        for (int i = rank - 1; i >= 0; i--)
        {
            if (lengths[i] != 1 && strides[i] != expected)
            {
                throw new ArgumentException($"Dimension {i} of the tensor '{parameterName}' has stride {strides[i]}, but a dense, row-major tensor of lengths [{string.Join(", ", lengths.ToArray())}] has stride {expected} there: pass a contiguous tensor (for example a copy).", parameterName);
            }
            expected *= lengths[i];
        }
    }
}
