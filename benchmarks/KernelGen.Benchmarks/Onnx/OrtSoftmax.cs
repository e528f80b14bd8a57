using System;
using Microsoft.ML.OnnxRuntime;

namespace KernelGen.Benchmarks.Onnx;

/// <summary>
/// ONNX Runtime running the one-node softmax model on one thread, over the caller's input and output arrays.
/// The OrtValues wrap those arrays (no copy) and are created once, so a call does nothing but run the model.
/// </summary>
/// <remarks>
/// Two ways to run: <see cref="Run"/> is <c>InferenceSession.Run(RunOptions, names, values, names, values)</c>;
/// ORT's managed wrapper builds four small handle arrays per call there (a few hundred bytes, shown by the memory
/// diagnoser). <see cref="RunBound"/> goes through an <see cref="OrtIoBinding"/> bound once, one native call
/// with no managed allocation at all.
/// </remarks>
public sealed class OrtSoftmax : IDisposable
{
    private readonly SessionOptions _options;
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions;
    private readonly OrtValue _input;
    private readonly OrtValue _output;
    private readonly string[] _inputNames = [SoftmaxModel.InputName];
    private readonly string[] _outputNames = [SoftmaxModel.OutputName];
    private readonly OrtValue[] _inputs;
    private readonly OrtValue[] _outputs;
    private readonly OrtIoBinding _binding;

    /// <param name="shape">The tensor's static shape.</param>
    /// <param name="axis">The softmax axis.</param>
    /// <param name="input">The input; keep it alive (and preferably pinned: allocate it with GC.AllocateArray(pinned: true)) while this object lives.</param>
    /// <param name="output">Where ORT writes the result; the same length.</param>
    public OrtSoftmax(int[] shape, int axis, float[] input, float[] output)
    {
        _options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(SoftmaxModel.Build(shape, axis), _options);
        _runOptions = new RunOptions();
        long[] dims = Array.ConvertAll(shape, d => (long)d);
        _input = OrtValue.CreateTensorValueFromMemory(input, dims);
        _output = OrtValue.CreateTensorValueFromMemory(output, dims);
        _inputs = [_input];
        _outputs = [_output];
        _binding = _session.CreateIoBinding();
        _binding.BindInput(SoftmaxModel.InputName, _input);
        _binding.BindOutput(SoftmaxModel.OutputName, _output);
    }

    /// <summary>One inference through <c>Run(RunOptions, names, values, names, values)</c> into the output array.</summary>
    public void Run() => _session.Run(_runOptions, _inputNames, _inputs, _outputNames, _outputs);

    /// <summary>One inference through the pre-bound <see cref="OrtIoBinding"/> into the output array.</summary>
    public void RunBound() => _session.RunWithBinding(_runOptions, _binding);

    public void Dispose()
    {
        _binding.Dispose();
        _input.Dispose();
        _output.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
        _options.Dispose();
    }
}
