using SamAdapt.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SamAdapt.Sam.Modeling;

/// <summary>
/// SAM's prompt encoder (<c>PromptEncoder</c>): points and box corners become sparse tokens
/// (positional encoding plus a learned embedding per label), a low-resolution mask becomes a dense
/// embedding on the image-embedding grid; without a mask the dense embedding is <c>no_mask_embed</c>
/// everywhere.
/// </summary>
public sealed class PromptEncoder : nn.Module<(Tensor Coords, Tensor Labels)?, Tensor?, Tensor?, (Tensor Sparse, Tensor Dense)>
{
    /// <summary>Label of a padding point (encoded with <c>not_a_point_embed</c> and no positional encoding).</summary>
    public const int PaddingLabel = -1;
    /// <summary>Label of a background (negative) click.</summary>
    public const int NegativeLabel = 0;
    /// <summary>Label of a foreground (positive) click.</summary>
    public const int PositiveLabel = 1;
    /// <summary>Label of a box's top-left corner (as the ONNX export takes boxes among the points).</summary>
    public const int BoxTopLeftLabel = 2;
    /// <summary>Label of a box's bottom-right corner.</summary>
    public const int BoxBottomRightLabel = 3;

#pragma warning disable IDE1006 // field names are the state-dict contract
    /// <summary>Random-frequency positional encoding, D/2 frequencies.</summary>
    public readonly PositionEmbeddingRandom pe_layer;
    /// <summary>Learned embeddings [1, D] for labels 0 (negative), 1 (positive), 2 and 3 (box corners).</summary>
    public readonly ModuleList<Embedding> point_embeddings;
    /// <summary>Learned embedding [1, D] of padding points (label -1).</summary>
    public readonly Embedding not_a_point_embed;
    /// <summary>Mask [B, 1, 4H, 4W] -> [B, D, H, W]: conv 2x2/2, LayerNorm2d, GELU, conv 2x2/2, LayerNorm2d, GELU, conv 1x1.</summary>
    public readonly Sequential mask_downscaling;
    /// <summary>Learned dense embedding [1, D] used when there is no mask prompt.</summary>
    public readonly Embedding no_mask_embed;
#pragma warning restore IDE1006

    /// <summary>The embedding dimension D.</summary>
    public long EmbedDim { get; }
    /// <summary>The image-embedding grid (H, W), e.g. (64, 64).</summary>
    public (long H, long W) ImageEmbeddingSize { get; }
    /// <summary>The model's input frame (H, W) in pixels, e.g. (1024, 1024); point coordinates are in this frame.</summary>
    public (long H, long W) InputImageSize { get; }
    /// <summary>The size (4H, 4W) a mask prompt must have.</summary>
    public (long H, long W) MaskInputSize => (4 * ImageEmbeddingSize.H, 4 * ImageEmbeddingSize.W);

    /// <summary>
    /// Creates the encoder (SAM: D = 256, grid 64x64, frame 1024x1024, 16 mask channels).
    /// <paramref name="seed"/> draws the initial positional-encoding frequencies (replaced when weights are loaded).
    /// </summary>
    public PromptEncoder(long embedDim, (long H, long W) imageEmbeddingSize, (long H, long W) inputImageSize, long maskInChans, long seed = 0)
        : base(nameof(PromptEncoder))
    {
        if (embedDim <= 0 || embedDim % 2 != 0)
            throw new SamAdaptException($"{nameof(PromptEncoder)}: {nameof(embedDim)} must be positive and even, got {embedDim}.");
        if (maskInChans < 4 || maskInChans % 4 != 0)
            throw new SamAdaptException($"{nameof(PromptEncoder)}: {nameof(maskInChans)} must be a positive multiple of 4, got {maskInChans}.");
        if (imageEmbeddingSize.H <= 0 || imageEmbeddingSize.W <= 0 || inputImageSize.H <= 0 || inputImageSize.W <= 0)
            throw new SamAdaptException($"{nameof(PromptEncoder)}: {nameof(imageEmbeddingSize)} {imageEmbeddingSize} and {nameof(inputImageSize)} {inputImageSize} must be positive.");

        pe_layer = new PositionEmbeddingRandom(embedDim / 2, seed: seed);
        point_embeddings = new ModuleList<Embedding>();
        for (int i = 0; i < 4; i++) point_embeddings.Add(nn.Embedding(1, embedDim));
        not_a_point_embed = nn.Embedding(1, embedDim);
        mask_downscaling = nn.Sequential(
            nn.Conv2d(1, maskInChans / 4, kernel_size: 2, stride: 2),
            new LayerNorm2d(maskInChans / 4),
            nn.GELU(),
            nn.Conv2d(maskInChans / 4, maskInChans, kernel_size: 2, stride: 2),
            new LayerNorm2d(maskInChans),
            nn.GELU(),
            nn.Conv2d(maskInChans, embedDim, kernel_size: 1));
        no_mask_embed = nn.Embedding(1, embedDim);
        EmbedDim = embedDim;
        ImageEmbeddingSize = imageEmbeddingSize;
        InputImageSize = inputImageSize;
        RegisterComponents();
    }

    /// <summary>The positional encoding of the image-embedding grid, [1, D, H, W].</summary>
    public Tensor GetDensePe()
    {
        using var encoding = pe_layer.forward(ImageEmbeddingSize);
        return encoding.unsqueeze(0);
    }

    /// <summary>
    /// Encodes a prompt. <paramref name="points"/>: coords [B, N, 2] as (x, y) pixels of the input frame
    /// and labels [B, N] (-1 padding, 0 negative, 1 positive, 2/3 box corners);
    /// <paramref name="boxes"/>: [B, 4] as (x0, y0, x1, y1) in the input frame;
    /// <paramref name="masks"/>: [B, 1, 4H, 4W] low-resolution mask logits. Each may be null.
    /// As in SAM, points get +0.5 (pixel centres) and, when there is no box, one padding point is appended.
    /// Returns sparse [B, N', D] (N' = N + 1 without a box, N + 2 with one) and dense [B, D, H, W].
    /// </summary>
    public override (Tensor Sparse, Tensor Dense) forward((Tensor Coords, Tensor Labels)? points, Tensor? boxes, Tensor? masks)
    {
        long batch = CheckPrompt(points, boxes, masks);
        using var scope = NewDisposeScope();
        var device = point_embeddings[0].weight!.device;
        var parts = new List<Tensor>();
        if (points is var (coords, labels))
            parts.Add(EmbedPoints(coords, labels, pad: boxes is null));
        if (boxes is not null)
            parts.Add(EmbedBoxes(boxes));
        var sparse = parts.Count > 0 ? cat(parts, 1) : empty(new long[] { batch, 0, EmbedDim }, device: device);

        var dense = masks is not null
            ? mask_downscaling.forward(masks)
            : no_mask_embed.weight!.reshape(1, -1, 1, 1).expand(batch, -1, ImageEmbeddingSize.H, ImageEmbeddingSize.W);
        return (sparse.MoveToOuterDisposeScope(), dense.MoveToOuterDisposeScope());
    }

    /// <summary>coords [B, N, 2], labels [B, N] -> [B, N (+1 when padded), D].</summary>
    Tensor EmbedPoints(Tensor coords, Tensor labels, bool pad)
    {
        coords = coords.to(float32).add(KeptScalars.Half, KeptScalars.One);
        if (pad)
        {
            using var paddingLabel = PaddingLabel.ToScalar();
            coords = cat(new[] { coords, zeros(coords.shape[0], 1, 2, device: coords.device) }, 1);
            labels = cat(new[] { labels, full(labels.shape[0], 1, paddingLabel, dtype: labels.dtype, device: labels.device) }, 1);
        }
        var embedding = pe_layer.ForwardWithCoords(coords, InputImageSize);
        var isPadding = labels.EqualTo(PaddingLabel).unsqueeze(-1);
        embedding = where(isPadding, zeros_like(embedding), embedding).Plus(isPadding * not_a_point_embed.weight!);
        for (int label = 0; label < point_embeddings.Count; label++)
            embedding = embedding.Plus(labels.EqualTo(label).unsqueeze(-1) * point_embeddings[label].weight!);
        return embedding;
    }

    /// <summary>boxes [B, 4] -> corner tokens [B, 2, D].</summary>
    Tensor EmbedBoxes(Tensor boxes)
    {
        var corners = boxes.to(float32).add(KeptScalars.Half, KeptScalars.One).reshape(-1, 2, 2);
        var embedding = pe_layer.ForwardWithCoords(corners, InputImageSize);
        var cornerEmbeddings = cat(new[] { point_embeddings[BoxTopLeftLabel].weight!, point_embeddings[BoxBottomRightLabel].weight! }, 0);
        return embedding.Plus(cornerEmbeddings);
    }

    /// <summary>Checks the prompt's shapes and returns its batch size B (1 when the prompt is empty).</summary>
    long CheckPrompt((Tensor Coords, Tensor Labels)? points, Tensor? boxes, Tensor? masks)
    {
        long? batch = null;
        void Agree(string what, long b)
        {
            if (batch is long expected && b != expected)
                throw new SamAdaptException($"{nameof(PromptEncoder)}: {what} has batch size {b} but the other prompts have {expected}; all prompts must describe the same B prompts.");
            batch = b;
        }
        if (points is var (coords, labels))
        {
            if (coords.dim() != 3 || coords.shape[2] != 2)
                throw new SamAdaptException($"{nameof(PromptEncoder)}: point coords must be [B, N, 2] (x, y), got [{string.Join(", ", coords.shape)}].");
            if (labels.dim() != 2 || labels.shape[0] != coords.shape[0] || labels.shape[1] != coords.shape[1])
                throw new SamAdaptException($"{nameof(PromptEncoder)}: point labels must be [B, N] = [{coords.shape[0]}, {coords.shape[1]}] to match the coords, got [{string.Join(", ", labels.shape)}].");
            Agree("points", coords.shape[0]);
        }
        if (boxes is not null)
        {
            if (boxes.dim() != 2 || boxes.shape[1] != 4)
                throw new SamAdaptException($"{nameof(PromptEncoder)}: boxes must be [B, 4] (x0, y0, x1, y1), got [{string.Join(", ", boxes.shape)}].");
            Agree("boxes", boxes.shape[0]);
        }
        if (masks is not null)
        {
            var (h, w) = MaskInputSize;
            if (masks.dim() != 4 || masks.shape[1] != 1 || masks.shape[2] != h || masks.shape[3] != w)
                throw new SamAdaptException($"{nameof(PromptEncoder)}: masks must be [B, 1, {h}, {w}] (4x the image-embedding grid), got [{string.Join(", ", masks.shape)}].");
            Agree("masks", masks.shape[0]);
        }
        return batch ?? 1;
    }
}
