namespace SamAdapt.Onnx;

/// <summary>An operator set the model imports.</summary>
/// <param name="Domain">The domain; empty for the standard ONNX operators.</param>
/// <param name="Version">The opset version.</param>
public sealed record OnnxOpset(string Domain, long Version);
