using SamAdapt.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SamAdapt.Sam.Modeling;

/// <summary>
/// SAM's mask decoder (<c>MaskDecoder</c>): an IoU token and 1 + <c>numMultimaskOutputs</c> mask tokens
/// are prepended to the sparse prompt tokens, run through the <see cref="TwoWayTransformer"/> with the
/// image embedding, and turned into low-resolution mask logits (4x the grid) by hypernetwork MLPs
/// applied to the upscaled image embedding, plus a predicted IoU per mask.
/// Differentiable with respect to the image embedding, so an encoder can be trained through it while
/// its own parameters are frozen.
/// </summary>
public sealed class MaskDecoder : nn.Module<Tensor, Tensor, Tensor, Tensor, bool, (Tensor Masks, Tensor IouPredictions)>
{
#pragma warning disable IDE1006 // field names are the state-dict contract
    /// <summary>The two-way transformer.</summary>
    public readonly TwoWayTransformer transformer;
    /// <summary>Learned IoU token [1, D].</summary>
    public readonly Embedding iou_token;
    /// <summary>Learned mask tokens [numMaskTokens, D]; token 0 is the single-mask output.</summary>
    public readonly Embedding mask_tokens;
    /// <summary>[B, D, G, G] -> [B, D/8, 4G, 4G]: ConvTranspose2d, LayerNorm2d, GELU, ConvTranspose2d, GELU.</summary>
    public readonly Sequential output_upscaling;
    /// <summary>One MLP per mask token: [B, D] -> [B, D/8].</summary>
    public readonly ModuleList<Mlp> output_hypernetworks_mlps;
    /// <summary>IoU head: [B, D] -> [B, numMaskTokens].</summary>
    public readonly Mlp iou_prediction_head;
#pragma warning restore IDE1006

    /// <summary>The epsilon of the LayerNorm2d in <see cref="output_upscaling"/>.</summary>
    const double UpscalingNormEps = 1e-6;

    /// <summary>The token and image-embedding channel count D.</summary>
    public long TransformerDim { get; }
    /// <summary>How many masks a multimask prediction returns (3 in SAM).</summary>
    public long NumMultimaskOutputs { get; }
    /// <summary>All mask tokens: the single-mask token plus the multimask ones.</summary>
    public long NumMaskTokens => NumMultimaskOutputs + 1;

    /// <summary>Creates the decoder around <paramref name="transformer"/> (SAM: dim 256, 3 multimask outputs, IoU head depth 3, hidden 256).</summary>
    public MaskDecoder(long transformerDim, TwoWayTransformer transformer, long numMultimaskOutputs = 3, long iouHeadDepth = 3, long iouHeadHiddenDim = 256)
        : base(nameof(MaskDecoder))
    {
        ArgumentNullException.ThrowIfNull(transformer);
        if (transformerDim <= 0 || transformerDim % 8 != 0)
            throw new SamAdaptException($"{nameof(MaskDecoder)}: {nameof(transformerDim)} must be a positive multiple of 8, got {transformerDim}.");
        if (transformer.EmbeddingDim != transformerDim)
            throw new SamAdaptException($"{nameof(MaskDecoder)}: the transformer has dimension {transformer.EmbeddingDim} but {nameof(transformerDim)} is {transformerDim}.");
        if (numMultimaskOutputs < 1)
            throw new SamAdaptException($"{nameof(MaskDecoder)}: {nameof(numMultimaskOutputs)} must be at least 1, got {numMultimaskOutputs}.");

        this.transformer = transformer;
        iou_token = nn.Embedding(1, transformerDim);
        mask_tokens = nn.Embedding(numMultimaskOutputs + 1, transformerDim);
        output_upscaling = nn.Sequential(
            nn.ConvTranspose2d(transformerDim, transformerDim / 4, kernel_size: 2, stride: 2),
            new LayerNorm2d(transformerDim / 4, UpscalingNormEps),
            nn.GELU(),
            nn.ConvTranspose2d(transformerDim / 4, transformerDim / 8, kernel_size: 2, stride: 2),
            nn.GELU());
        output_hypernetworks_mlps = new ModuleList<Mlp>();
        for (long i = 0; i < numMultimaskOutputs + 1; i++)
            output_hypernetworks_mlps.Add(new Mlp(transformerDim, transformerDim, transformerDim / 8, 3));
        iou_prediction_head = new Mlp(transformerDim, iouHeadHiddenDim, numMultimaskOutputs + 1, iouHeadDepth);
        TransformerDim = transformerDim;
        NumMultimaskOutputs = numMultimaskOutputs;
        RegisterComponents();
    }

    /// <summary>
    /// Predicts masks as SAM does: with <paramref name="multimaskOutput"/> the masks of tokens 1..3
    /// ([B, 3, 4G, 4G] logits, [B, 3] IoU), otherwise token 0 only ([B, 1, 4G, 4G], [B, 1]).
    /// Inputs as in <see cref="PredictMasks"/>.
    /// </summary>
    public override (Tensor Masks, Tensor IouPredictions) forward(Tensor imageEmbeddings, Tensor imagePe, Tensor sparsePromptEmbeddings, Tensor densePromptEmbeddings, bool multimaskOutput)
    {
        using var scope = NewDisposeScope();
        var (masks, iou) = PredictMasks(imageEmbeddings, imagePe, sparsePromptEmbeddings, densePromptEmbeddings);
        var tokens = multimaskOutput ? TensorIndex.Slice(1, null) : TensorIndex.Slice(0, 1);
        return (masks[.., tokens].MoveToOuterDisposeScope(), iou[.., tokens].MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Predicts the masks of ALL mask tokens for B prompts.
    /// imageEmbeddings [1, D, G, G] (one image shared by all prompts, as SAM repeats it) or [B, D, G, G]
    /// (one embedding per prompt); imagePe [1, D, G, G]; sparsePromptEmbeddings [B, N, D];
    /// densePromptEmbeddings [B, D, G, G] (or [1, D, G, G]).
    /// Returns mask logits [B, numMaskTokens, 4G, 4G] and IoU predictions [B, numMaskTokens].
    /// </summary>
    public (Tensor Masks, Tensor IouPredictions) PredictMasks(Tensor imageEmbeddings, Tensor imagePe, Tensor sparsePromptEmbeddings, Tensor densePromptEmbeddings)
    {
        var (masks, iou, tokens) = PredictMasksWithIouTokens(imageEmbeddings, imagePe, sparsePromptEmbeddings, densePromptEmbeddings);
        tokens.Dispose();
        return (masks, iou);
    }

    /// <summary>
    /// <see cref="PredictMasks"/>, also returning the IoU token's transformer output [B, D], the input of
    /// <see cref="iou_prediction_head"/> (what a recalibrated IoU head is fitted on).
    /// </summary>
    public (Tensor Masks, Tensor IouPredictions, Tensor IouTokens) PredictMasksWithIouTokens(Tensor imageEmbeddings, Tensor imagePe, Tensor sparsePromptEmbeddings, Tensor densePromptEmbeddings)
    {
        using var scope = NewDisposeScope();
        var parts = InChunks(imageEmbeddings, imagePe, sparsePromptEmbeddings, densePromptEmbeddings, Decode);
        return (Joined(parts.Select(p => p.Masks)).MoveToOuterDisposeScope(), Joined(parts.Select(p => p.IouPredictions)).MoveToOuterDisposeScope(),
            Joined(parts.Select(p => p.IouTokens)).MoveToOuterDisposeScope());
    }

    /// <summary>
    /// <see cref="PredictMasks"/> computing only the masks that <paramref name="select"/> picks from the IoU predictions: it
    /// maps a chunk's IoU predictions [b, numMaskTokens] to a bool [b, numMaskTokens]. The output upscaling runs only for
    /// the prompts with a selected mask, and only the selected masks are put in raster order; they are the masks
    /// <see cref="PredictMasks"/> gives. Inputs as in <see cref="PredictMasks"/>. Returns the IoU predictions
    /// [B, numMaskTokens], the selection [B, numMaskTokens] (bool) and the selected masks' logits [M, 4G, 4G] in
    /// row-major (prompt, token) order.
    /// </summary>
    internal (Tensor IouPredictions, Tensor Selected, Tensor Masks) PredictSelectedMasks(Tensor imageEmbeddings, Tensor imagePe,
        Tensor sparsePromptEmbeddings, Tensor densePromptEmbeddings, Func<Tensor, Tensor> select)
    {
        ArgumentNullException.ThrowIfNull(select);
        using var scope = NewDisposeScope();
        var parts = InChunks(imageEmbeddings, imagePe, sparsePromptEmbeddings, densePromptEmbeddings,
            (keys, keyPe, shared, sparse, height, width) => DecodeSelected(keys, keyPe, shared, sparse, height, width, select));
        return (Joined(parts.Select(p => p.IouPredictions)).MoveToOuterDisposeScope(), Joined(parts.Select(p => p.Selected)).MoveToOuterDisposeScope(),
            Joined(parts.Select(p => p.Masks)).MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Runs <paramref name="decode"/>(keys [b or 1, HW, D], keyPe [1, HW, D], the image side shared by all prompts or null,
    /// sparse [b, N, D], H, W) on chunks of at most <see cref="PromptChunk"/> prompts, in prompt order. The shared
    /// intermediates belong to the caller's dispose scope.
    /// </summary>
    List<T> InChunks<T>(Tensor imageEmbeddings, Tensor imagePe, Tensor sparse, Tensor dense, Func<Tensor, Tensor, SharedImage?, Tensor, long, long, T> decode)
    {
        long batch = CheckInputs(imageEmbeddings, imagePe, sparse, dense);
        long height = imageEmbeddings.shape[2], width = imageEmbeddings.shape[3];
        var keyPe = ChannelsLast(imagePe);
        // When all prompts share the image embedding and the dense embedding (no mask prompt: an expanded
        // no_mask_embed), the image side is prepared once for all chunks, a batch of 1 until the first
        // image-to-token attention, and so are the first layer's projections of it where they pay off.
        bool sharedDense = dense.shape[0] == 1 || dense.stride(0) == 0;
        var sharedKeys = imageEmbeddings.shape[0] == 1 && sharedDense ? ImageKeys(imageEmbeddings, dense[TensorIndex.Slice(0, 1)]) : null;
        var sharedImage = sharedKeys is null ? null : transformer.ShareImage(sharedKeys, keyPe, 1 + NumMaskTokens + sparse.shape[1], batch);

        long chunk = PromptChunk(height, width);
        Tensor Part(Tensor t, long start, long length) => t.shape[0] == 1 ? t : t.narrow(0, start, length);
        var parts = new List<T>();
        for (long start = 0; start < batch; start += chunk)
        {
            long length = Math.Min(chunk, batch - start);
            var keys = sharedKeys ?? ImageKeys(Part(imageEmbeddings, start, length), Part(dense, start, length));
            parts.Add(decode(keys, keyPe, sharedImage, sparse.narrow(0, start, length), height, width));
            if (sharedKeys is null) keys.Dispose();
        }
        return parts;
    }

    /// <summary>The chunks' results joined along the prompt axis.</summary>
    static Tensor Joined(IEnumerable<Tensor> parts)
    {
        var list = parts.ToList();
        return list.Count == 1 ? list[0] : cat(list, 0);
    }

    /// <summary>
    /// The most bytes the decoder's largest intermediate, the upscaled image [B, 16 HW, D/8] of a chunk of prompts,
    /// may take (16 MiB: 2 prompts for SAM, whose [HW, D] activations are then 8 MiB a chunk). Blocks this size stay
    /// below glibc's largest mmap threshold (32 MiB), so freed blocks are reused from the heap instead of being
    /// mapped afresh and faulted in page by page on every call (the process need not tune malloc), and they stay
    /// close to the cores; larger chunks measured no faster on 2 cores even with the heap tuned.
    /// </summary>
    internal long ChunkBytes { get; set; } = 16L << 20;

    /// <summary>Prompts decoded together at most on an H x W embedding grid (at least 1), from <see cref="ChunkBytes"/>.</summary>
    long PromptChunk(long height, long width) => Math.Max(1, ChunkBytes / (16 * height * width * (TransformerDim / 8) * sizeof(float)));

    /// <summary>[b, D, H, W] -> a contiguous [b, HW, D], the layout the transformer works in.</summary>
    static Tensor ChannelsLast(Tensor x) => x.flatten(2).transpose(1, 2).contiguous();

    /// <summary>
    /// The transformer's image input, image + dense prompt embedding, channels-last: [b, D, H, W] twice -> [b, HW, D]
    /// (the sum written straight into that layout when no gradient is recorded).
    /// </summary>
    static Tensor ImageKeys(Tensor image, Tensor dense)
    {
        using var scope = NewDisposeScope();
        if (image.shape[0] < dense.shape[0] || !InPlace.Allowed(image, dense)) return ChannelsLast(image.Plus(dense)).MoveToOuterDisposeScope();
        var transposed = image.flatten(2).transpose(1, 2);
        var keys = empty(transposed.shape, transposed.dtype, transposed.device); // fresh, never the caller's storage
        return keys.copy_(transposed).PlusInPlace(dense.flatten(2).transpose(1, 2)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Decodes one chunk of b prompts: keys [b or 1, HW, D] (<see cref="ImageKeys"/>), keyPe [1, HW, D], the shared image side
    /// (or null), sparse [b, N, D] -> mask logits [b, numMaskTokens, 4H, 4W], IoU predictions [b, numMaskTokens] and the IoU
    /// token's output [b, D].
    /// </summary>
    (Tensor Masks, Tensor IouPredictions, Tensor IouTokens) Decode(Tensor keys, Tensor keyPe, SharedImage? shared, Tensor sparse, long height, long width)
    {
        using var scope = NewDisposeScope();
        var (hs, image, iou) = Attend(keys, keyPe, shared, sparse, allTokens: true);
        var products = Products(Upscale(image), HypernetworkOutputs(hs));
        var masks = RasterView(products, height, width).reshape(products.shape[0], products.shape[2], 4 * height, 4 * width);
        return (masks.MoveToOuterDisposeScope(), iou.MoveToOuterDisposeScope(), hs[.., 0, ..].MoveToOuterDisposeScope());
    }

    /// <summary>
    /// <see cref="Decode"/> with masks only where <paramref name="select"/> (IoU predictions [b, numMaskTokens] -> bool
    /// [b, numMaskTokens]) says: -> IoU predictions [b, numMaskTokens], the selection and the selected mask logits [m, 4H, 4W]
    /// in row-major (prompt, token) order. Only the prompts with a selected mask are upscaled, and only the selected masks are put
    /// in raster order.
    /// </summary>
    (Tensor IouPredictions, Tensor Selected, Tensor Masks) DecodeSelected(Tensor keys, Tensor keyPe, SharedImage? shared, Tensor sparse, long height,
        long width, Func<Tensor, Tensor> select)
    {
        using var scope = NewDisposeScope();
        var (hs, image, iou) = Attend(keys, keyPe, shared, sparse, allTokens: false);
        var selected = select(iou).to(ScalarType.Bool);
        var prompts = selected.any(1).nonzero().flatten();
        var masks = empty(new long[] { 0, 4 * height, 4 * width }, image.dtype, image.device);
        if (prompts.shape[0] > 0)
        {
            var keptImage = prompts.shape[0] == image.shape[0] ? image : image.index_select(0, prompts);
            if (!ReferenceEquals(keptImage, image)) image.Dispose();
            var products = Products(Upscale(keptImage), HypernetworkOutputs(hs).index_select(0, prompts));
            var pairs = selected.index_select(0, prompts).nonzero(); // [m, 2]: (kept prompt, token)
            masks = RasterView(products, height, width)
                .index(TensorIndex.Tensor(pairs[.., 0]), TensorIndex.Tensor(pairs[.., 1]))
                .reshape(-1, 4 * height, 4 * width);
        }
        return (iou.MoveToOuterDisposeScope(), selected.MoveToOuterDisposeScope(), masks.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The transformer and the IoU head on one chunk: keys [b or 1, HW, D], keyPe [1, HW, D], the shared image side (or null),
    /// sparse [b, N, D] -> the transformer's tokens [b, 1 + numMaskTokens + N, D] (without <paramref name="allTokens"/>, only
    /// the IoU and mask tokens, [b, 1 + numMaskTokens, D]: the final attention skips the prompt tokens, whose outputs the
    /// decoder never reads), its image output [b, HW, D] and the IoU predictions [b, numMaskTokens].
    /// </summary>
    (Tensor Tokens, Tensor Image, Tensor IouPredictions) Attend(Tensor keys, Tensor keyPe, SharedImage? shared, Tensor sparse, bool allTokens)
    {
        using var scope = NewDisposeScope();
        var outputTokens = cat(new[] { iou_token.weight!, mask_tokens.weight! }, 0).unsqueeze(0).expand(sparse.shape[0], -1, -1);
        var (hs, image) = transformer.Attend(keys, keyPe, cat(new[] { outputTokens, sparse }, 1), shared, allTokens ? null : 1 + NumMaskTokens);
        var iou = iou_prediction_head.forward(hs[.., 0, ..]);
        return (hs.MoveToOuterDisposeScope(), image.MoveToOuterDisposeScope(), iou.MoveToOuterDisposeScope());
    }

    /// <summary>The hypernetwork MLPs on the mask tokens of the transformer's tokens [b, Nt, D] -> [b, numMaskTokens, D/8].</summary>
    Tensor HypernetworkOutputs(Tensor hs)
    {
        using var scope = NewDisposeScope();
        var maskTokensOut = hs[.., TensorIndex.Slice(1, 1 + NumMaskTokens), ..];
        return stack(Enumerable.Range(0, (int)NumMaskTokens).Select(i => output_hypernetworks_mlps[i].forward(maskTokensOut[.., i, ..])), 1)
            .MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <see cref="output_upscaling"/> computed channels-last: each 2x2 stride-2 transposed convolution is one matrix
    /// product giving the 2x2 children of every position, and the LayerNorm2d is a layer norm over the last axis. Each
    /// intermediate is freed once consumed, <paramref name="image"/> included, and the GELUs run in place when no gradient
    /// is recorded. image [B, H*W, D] (the transformer's image output) -> [B, H*W*16, D/8], each position's 16 grandchildren
    /// in (i, j, k, l) order (the pixel at row 4h+2i+k, column 4w+2j+l).
    /// </summary>
    Tensor Upscale(Tensor image)
    {
        using var scope = NewDisposeScope();
        var firstConv = (ConvTranspose2d)output_upscaling[0];
        var norm = (LayerNorm2d)output_upscaling[1];
        var secondConv = (ConvTranspose2d)output_upscaling[3];
        long batch = image.shape[0], midChannels = norm.weight.shape[0];

        // [B, HW, D] -> [B, HW*4, D/4] (children (i, j) of each position), then norm and GELU per child.
        var children = ViewReleasing(ChildrenOf(image, firstConv), batch, -1, midChannels);
        image.Dispose();
        var activated = Gelu(nn.functional.layer_norm(children, new[] { midChannels }, norm.weight, norm.bias, UpscalingNormEps));
        children.Dispose();
        // [B, HW*4, D/4] -> [B, HW*16, D/8] (grandchildren (k, l)).
        var grandchildren = Gelu(ViewReleasing(ChildrenOf(activated, secondConv), batch, activated.shape[1] * 4, -1));
        activated.Dispose();
        return grandchildren.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The products of the upscaled image with the hypernetwork outputs, the mask logits with the pixels still in the upscaling's
    /// order: upscaled [B, HW*16, D/8] (<see cref="Upscale"/>, freed here), hyperIn [B, T, D/8] -> [B, HW*16, T].
    /// </summary>
    static Tensor Products(Tensor upscaled, Tensor hyperIn)
    {
        var products = upscaled.matmul(hyperIn.transpose(1, 2));
        upscaled.Dispose();
        return products;
    }

    /// <summary>
    /// Products [B, HW*16, T] (<see cref="Products"/>) indexed (h, w, i, j, k, l) seen as the mask logits in raster order: a view
    /// [B, T, H, 2, 2, W, 2, 2] whose (h, i, k) is row 4h+2i+k and (w, j, l) column 4w+2j+l, copied only when reshaped.
    /// </summary>
    static Tensor RasterView(Tensor products, long height, long width) =>
        products.view(products.shape[0], height, width, 2, 2, 2, 2, products.shape[2]).permute(0, 7, 1, 3, 5, 2, 4, 6);

    /// <summary>
    /// Exact GELU of a fresh intermediate x, overwriting it when no gradient is recorded; x's handle is released
    /// (TorchSharp returns a new handle even from an in-place GELU), so the result alone holds the storage.
    /// </summary>
    static Tensor Gelu(Tensor x)
    {
        var activated = InPlace.Allowed(x) ? x.gelu_() : nn.functional.gelu(x);
        x.Dispose();
        return activated;
    }

    /// <summary>x viewed as <paramref name="shape"/>, x's own handle released so that disposing the view frees the storage.</summary>
    static Tensor ViewReleasing(Tensor x, params long[] shape)
    {
        var view = x.view(shape);
        x.Dispose();
        return view;
    }

    /// <summary>
    /// A 2x2 stride-2 transposed convolution on channels-last input: x [B, N, Cin] -> [B, N, 4 * Cout],
    /// the last axis ordered (i, j, channel) for the child at (2y + i, 2x + j) of input position (y, x).
    /// </summary>
    static Tensor ChildrenOf(Tensor x, ConvTranspose2d conv)
    {
        var weight = conv.weight!; // [Cin, Cout, 2, 2]
        long inChannels = weight.shape[0];
        // One linear layer [Cin] -> [(i, j, Cout)], the bias repeated per child and added inside the product.
        var childWeights = weight.permute(2, 3, 1, 0).reshape(-1, inChannels);
        return nn.functional.linear(x, childWeights, conv.bias!.repeat(4));
    }

    /// <summary>Checks the shapes of the decoder inputs and returns the number of prompts B.</summary>
    long CheckInputs(Tensor imageEmbeddings, Tensor imagePe, Tensor sparse, Tensor dense)
    {
        string Shape(Tensor t) => "[" + string.Join(", ", t.shape) + "]";
        if (sparse.dim() != 3 || sparse.shape[2] != TransformerDim)
            throw new SamAdaptException($"{nameof(MaskDecoder)}: sparse prompt embeddings must be [B, N, {TransformerDim}], got {Shape(sparse)}.");
        long batch = sparse.shape[0];
        if (imageEmbeddings.dim() != 4 || imageEmbeddings.shape[1] != TransformerDim || (imageEmbeddings.shape[0] != 1 && imageEmbeddings.shape[0] != batch))
            throw new SamAdaptException($"{nameof(MaskDecoder)}: image embeddings must be [1, {TransformerDim}, G, G] or [B = {batch}, {TransformerDim}, G, G] (one per prompt), got {Shape(imageEmbeddings)}.");
        long height = imageEmbeddings.shape[2], width = imageEmbeddings.shape[3];
        if (imagePe.dim() != 4 || imagePe.shape[0] != 1 || imagePe.shape[1] != TransformerDim || imagePe.shape[2] != height || imagePe.shape[3] != width)
            throw new SamAdaptException($"{nameof(MaskDecoder)}: the image positional encoding must be [1, {TransformerDim}, {height}, {width}] (PromptEncoder.GetDensePe()), got {Shape(imagePe)}.");
        if (dense.dim() != 4 || (dense.shape[0] != 1 && dense.shape[0] != batch) || dense.shape[1] != TransformerDim || dense.shape[2] != height || dense.shape[3] != width)
            throw new SamAdaptException($"{nameof(MaskDecoder)}: dense prompt embeddings must be [B = {batch}, {TransformerDim}, {height}, {width}], got {Shape(dense)}.");
        return batch;
    }
}
