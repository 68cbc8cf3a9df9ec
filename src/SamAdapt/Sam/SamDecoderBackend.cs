namespace SamAdapt.Sam;

/// <summary>Which implementation of SAM's prompt encoder and mask decoder runs the prompts.</summary>
public enum SamDecoderBackend
{
    /// <summary>TorchSharp (differentiable: the adapter trains through it). Official-format ONNX decoders are imported into it.</summary>
    Torch,
    /// <summary>ONNX Runtime running the model's official-format ONNX decoder export.</summary>
    Onnx,
}
