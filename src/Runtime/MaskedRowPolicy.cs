namespace KernelGen;

/// <summary>What a row whose every element is masked or -inf gives.</summary>
public enum MaskedRowPolicy
{
    /// <summary>NaN, as <c>exp(x - max) / sum</c> gives for a row of -inf (PyTorch, TensorFlow and ONNX Softmax).</summary>
    NaN = 0,

    /// <summary>All zeros, as PyTorch's scaled-dot-product attention and oneDNN's inf_as_zero give, for padded batches.</summary>
    Zero = 1,
}
