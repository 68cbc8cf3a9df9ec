using Microsoft.ML.OnnxRuntime;
using TorchSharp;

namespace SamAdapt.Onnx;

/// <summary>
/// SAM's prompt encoder + mask decoder exported by segment-anything's <c>SamOnnxModel</c>, run by
/// ONNX Runtime on the CPU. Inputs (all float): <c>image_embeddings</c> [1,D,G,G], <c>point_coords</c>
/// [1,N,2] (x, y in the input frame, after resize-longest-side), <c>point_labels</c> [1,N] (-1 pad,
/// 0 negative, 1 positive, 2/3 box corners), <c>mask_input</c> [1,1,4G,4G], <c>has_mask_input</c> [1],
/// <c>orig_im_size</c> [2] (H, W). Works with both exports: all 4 mask tokens, or one mask
/// (<c>return_single_mask=True</c>). The session is created once; dispose the decoder.
/// </summary>
public sealed class OnnxSamDecoder : IDisposable
{
    static readonly string[] InputNames = { "image_embeddings", "point_coords", "point_labels", "mask_input", "has_mask_input", "orig_im_size" };
    static readonly string[] OutputNames = { "masks", "iou_predictions", "low_res_masks" };
    readonly InferenceSession _session;

    /// <summary>The model file.</summary>
    public string Path { get; }
    /// <summary>Embedding channels D (256 for SAM).</summary>
    public int EmbeddingDim { get; }
    /// <summary>Embedding grid side G (64 for SAM).</summary>
    public int GridSize { get; }
    /// <summary>Side of <c>mask_input</c> and of the low-res masks, 4G.</summary>
    public int MaskInputSize { get; }
    /// <summary>Masks returned per prompt: 4 (all mask tokens) or 1 (<c>return_single_mask</c>).</summary>
    public int MaskCount { get; }

    /// <summary>Opens <paramref name="path"/> with <paramref name="threads"/> intra-op threads (null: all cores).</summary>
    /// <exception cref="ModelFormatException">The model is missing, unreadable, or lacks the official inputs/outputs.</exception>
    public OnnxSamDecoder(string path, int? threads = null)
    {
        Path = path;
        _session = OnnxSessions.Open(path, threads, "SAM decoder");
        try
        {
            var inputs = _session.InputMetadata;
            var embeddings = OnnxSessions.FloatTensor(inputs, "image_embeddings", 4, path, "image_embeddings [1,D,G,G]").Dimensions;
            OnnxSessions.FloatTensor(inputs, "point_coords", 3, path, "point_coords [1,N,2]");
            OnnxSessions.FloatTensor(inputs, "point_labels", 2, path, "point_labels [1,N]");
            var mask = OnnxSessions.FloatTensor(inputs, "mask_input", 4, path, "mask_input [1,1,4G,4G]").Dimensions;
            OnnxSessions.FloatTensor(inputs, "has_mask_input", 1, path, "has_mask_input [1]");
            OnnxSessions.FloatTensor(inputs, "orig_im_size", 1, path, "orig_im_size [2]");
            OnnxSessions.FloatTensor(_session.OutputMetadata, "masks", 4, path, "masks [1,K,H,W]");
            var iou = OnnxSessions.FloatTensor(_session.OutputMetadata, "iou_predictions", 2, path, "iou_predictions [1,K]").Dimensions;
            OnnxSessions.FloatTensor(_session.OutputMetadata, "low_res_masks", 4, path, "low_res_masks [1,K,4G,4G]");
            if (embeddings[1] <= 0 || embeddings[2] <= 0 || embeddings[2] != embeddings[3] || mask[2] != 4 * embeddings[2] || mask[3] != mask[2])
                throw new ModelFormatException($"{path}: image_embeddings {OnnxSessions.Shape(embeddings.Select(d => (long)d))} and mask_input " +
                    $"{OnnxSessions.Shape(mask.Select(d => (long)d))} do not fit SAM ([1,D,G,G] and [1,1,4G,4G] with fixed D and G).");
            if (iou[1] is not (1 or 4))
                throw new ModelFormatException($"{path}: iou_predictions is {OnnxSessions.Shape(iou.Select(d => (long)d))}; expected [B,4] (all masks) or [B,1] (single mask).");
            EmbeddingDim = embeddings[1];
            GridSize = embeddings[2];
            MaskInputSize = mask[2];
            MaskCount = iou[1];
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs the decoder on one image's embeddings and one prompt (shapes in the class summary). Returns new
    /// CPU tensors: masks [1,K,H,W] (logits at orig_im_size), iou_predictions [1,K], low_res_masks [1,K,4G,4G].
    /// </summary>
    /// <exception cref="ArgumentException">An input has the wrong shape; the message names it.</exception>
    public OnnxSamDecoderOutput Decode(torch.Tensor imageEmbeddings, torch.Tensor pointCoords, torch.Tensor pointLabels,
        torch.Tensor maskInput, torch.Tensor hasMaskInput, torch.Tensor origImSize)
    {
        Check(imageEmbeddings, nameof(imageEmbeddings), 1, EmbeddingDim, GridSize, GridSize);
        Check(pointCoords, nameof(pointCoords), 1, -1, 2);
        Check(pointLabels, nameof(pointLabels), 1, pointCoords.shape[1]);
        Check(maskInput, nameof(maskInput), 1, 1, MaskInputSize, MaskInputSize);
        Check(hasMaskInput, nameof(hasMaskInput), 1);
        Check(origImSize, nameof(origImSize), 2);

        var values = new[] { imageEmbeddings, pointCoords, pointLabels, maskInput, hasMaskInput, origImSize }.Select(OnnxSessions.ToOrt).ToArray();
        try
        {
            using var runOptions = new RunOptions();
            using var outputs = _session.Run(runOptions, InputNames, values, OutputNames);
            return new OnnxSamDecoderOutput(OnnxSessions.ToTorch(outputs[0]), OnnxSessions.ToTorch(outputs[1]), OnnxSessions.ToTorch(outputs[2]));
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    /// <summary>Checks <paramref name="tensor"/> has <paramref name="shape"/> (-1: any size).</summary>
    void Check(torch.Tensor tensor, string name, params long[] shape)
    {
        ArgumentNullException.ThrowIfNull(tensor, name);
        if (tensor.dim() != shape.Length || tensor.shape.Zip(shape).Any(p => p.Second >= 0 && p.First != p.Second) || tensor.numel() == 0)
            throw new ArgumentException($"{name} must have shape {OnnxSessions.Shape(shape)} for {Path}; got {OnnxSessions.Shape(tensor.shape)}.", name);
    }

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose() => _session.Dispose();
}
