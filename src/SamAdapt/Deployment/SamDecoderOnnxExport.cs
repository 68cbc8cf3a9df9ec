using SamAdapt.Onnx;
using SamAdapt.Sam;
using SamAdapt.Sam.Modeling;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SamAdapt.Deployment;

/// <summary>
/// Writes SAM's prompt encoder + mask decoder (a <see cref="SamDecoderModel"/>, e.g. from a checkpoint) as an ONNX model in
/// the official format of segment-anything's <c>SamOnnxModel</c> export (all mask tokens, no single-mask choice):
/// inputs <c>image_embeddings</c> [1, D, G, G], <c>point_coords</c> [1, N, 2] (input frame), <c>point_labels</c> [1, N],
/// <c>mask_input</c> [1, 1, 4G, 4G], <c>has_mask_input</c> [1], <c>orig_im_size</c> [2] (H, W); outputs <c>masks</c>
/// [1, K, H, W] (logits at the original size), <c>iou_predictions</c> [1, K], <c>low_res_masks</c> [1, K, 4G, 4G].
/// </summary>
public static class SamDecoderOnnxExport
{
    const double TransformerNormEps = 1e-5, ChannelNormEps = 1e-6;

    /// <summary>Writes the decoder of <paramref name="model"/> to <paramref name="path"/>, atomically.</summary>
    public static void Save(SamDecoderModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope(); // holds the weight views made for the graph's constants
        var config = model.Config;
        long d = config.PromptEmbedDim, grid = config.EmbeddingGrid, maskSize = config.LowResMaskSize, frame = config.ImageSize;
        var graph = new OnnxGraphBuilder("sam_decoder");
        var embeddings = graph.AddInput("image_embeddings", OnnxTensorData.Float, 1, d, grid, grid);
        var coords = graph.AddInput("point_coords", OnnxTensorData.Float, 1, "num_points", 2);
        var labels = graph.AddInput("point_labels", OnnxTensorData.Float, 1, "num_points");
        var maskInput = graph.AddInput("mask_input", OnnxTensorData.Float, 1, 1, maskSize, maskSize);
        var hasMask = graph.AddInput("has_mask_input", OnnxTensorData.Float, 1);
        var originalSize = graph.AddInput("orig_im_size", OnnxTensorData.Float, 2);
        var builder = new Builder(graph, config.DecoderHeads);

        var sparse = builder.EmbedPoints(model.prompt_encoder, coords, labels, frame);
        var dense = builder.EmbedMask(model.prompt_encoder, maskInput, hasMask);
        var (lowRes, iou) = builder.PredictMasks(model.mask_decoder, model.prompt_encoder, graph.AddNode("Add", [embeddings, dense]), sparse, grid);
        graph.AddNode("Identity", [lowRes], "low_res_masks");
        graph.AddNode("Identity", [iou], "iou_predictions");
        builder.Postprocess(lowRes, originalSize, frame, model.mask_decoder.NumMaskTokens);

        long k = model.mask_decoder.NumMaskTokens;
        graph.AddOutput("masks", OnnxTensorData.Float, 1, k, "height", "width");
        graph.AddOutput("iou_predictions", OnnxTensorData.Float, 1, k);
        graph.AddOutput("low_res_masks", OnnxTensorData.Float, 1, k, maskSize, maskSize);
        graph.Save(path);
    }

    sealed class Builder(OnnxGraphBuilder graph, long heads)
    {
        /// <summary>point_coords [1, N, 2], point_labels [1, N] -> sparse embeddings [1, N, D], as the official export's <c>_embed_points</c>.</summary>
        public string EmbedPoints(PromptEncoder encoder, string coords, string labels, long frame)
        {
            var unit = graph.AddNode("Div", [graph.AddNode("Add", [coords, graph.AddConstant([0.5f])]), graph.AddConstant([(float)frame])]);
            var embedding = PositionEncoding(encoder.pe_layer, unit);
            var label = graph.AddNode("Unsqueeze", [labels, graph.AddConstant([2L], 1)]);
            var isPadding = LabelIs(label, PromptEncoder.PaddingLabel);
            var notPadding = graph.AddNode("Sub", [graph.AddConstant([1f]), isPadding]);
            embedding = graph.AddNode("Mul", [embedding, notPadding]);
            embedding = graph.AddNode("Add", [embedding, graph.AddNode("Mul", [isPadding, Constant(encoder.not_a_point_embed.weight!)])]);
            for (int i = 0; i < encoder.point_embeddings.Count; i++)
                embedding = graph.AddNode("Add", [embedding, graph.AddNode("Mul", [LabelIs(label, i), Constant(encoder.point_embeddings[i].weight!)])]);
            return embedding;
        }

        /// <summary>mask_input, has_mask_input -> dense embeddings [1, D, G, G] (or [1, D, 1, 1] broadcast when there is no mask).</summary>
        public string EmbedMask(PromptEncoder encoder, string maskInput, string hasMask)
        {
            var layers = encoder.mask_downscaling;
            var x = Conv(maskInput, (Conv2d)layers[0], stride: 2);
            x = Gelu(ChannelNorm(x, (LayerNorm2d)layers[1]));
            x = Conv(x, (Conv2d)layers[3], stride: 2);
            x = Gelu(ChannelNorm(x, (LayerNorm2d)layers[4]));
            x = Conv(x, (Conv2d)layers[6], stride: 1);
            var withMask = graph.AddNode("Mul", [x, hasMask]);
            var noMask = graph.AddNode("Mul", [graph.AddNode("Sub", [graph.AddConstant([1f]), hasMask]), Constant(encoder.no_mask_embed.weight!.reshape(1, -1, 1, 1))]);
            return graph.AddNode("Add", [withMask, noMask]);
        }

        /// <summary>The mask decoder: -> low-res mask logits [1, K, 4G, 4G] and IoU predictions [1, K].</summary>
        public (string LowRes, string Iou) PredictMasks(MaskDecoder decoder, PromptEncoder encoder, string source, string sparse, long grid)
        {
            long k = decoder.NumMaskTokens;
            var outputTokens = Constant(cat([decoder.iou_token.weight!, decoder.mask_tokens.weight!], 0).unsqueeze(0));
            var tokens = graph.AddNode("Concat", [outputTokens, sparse], null, OnnxGraphBuilder.Int("axis", 1));
            var keys = graph.AddNode("Transpose", [graph.AddNode("Reshape", [source, graph.AddConstant([0L, 0L, -1L], 3)])], null, OnnxGraphBuilder.Ints("perm", 0, 2, 1));
            var keyPe = Constant(encoder.GetDensePe().flatten(2).transpose(1, 2));
            var (queries, image) = Transformer(decoder.transformer, tokens, keys, keyPe);

            var iouToken = graph.AddNode("Gather", [queries, graph.AddConstant([0L])], null, OnnxGraphBuilder.Int("axis", 1));
            var hyper = new List<string>();
            for (int i = 0; i < k; i++)
            {
                var token = graph.AddNode("Gather", [queries, graph.AddConstant([(long)i + 1])], null, OnnxGraphBuilder.Int("axis", 1));
                hyper.Add(graph.AddNode("Unsqueeze", [Mlp(token, decoder.output_hypernetworks_mlps[i]), graph.AddConstant([1L], 1)]));
            }
            var hyperIn = graph.AddNode("Concat", [.. hyper], null, OnnxGraphBuilder.Int("axis", 1));

            var upscaled = graph.AddNode("Reshape", [graph.AddNode("Transpose", [image], null, OnnxGraphBuilder.Ints("perm", 0, 2, 1)), graph.AddConstant([1L, decoder.TransformerDim, grid, grid], 4)]);
            var layers = decoder.output_upscaling;
            upscaled = Gelu(ChannelNorm(ConvTranspose(upscaled, (ConvTranspose2d)layers[0]), (LayerNorm2d)layers[1]));
            upscaled = Gelu(ConvTranspose(upscaled, (ConvTranspose2d)layers[3]));
            var flat = graph.AddNode("Reshape", [upscaled, graph.AddConstant([1L, decoder.TransformerDim / 8, -1L], 3)]);
            var lowRes = graph.AddNode("Reshape", [graph.AddNode("MatMul", [hyperIn, flat]), graph.AddConstant([1L, k, 4 * grid, 4 * grid], 4)]);
            return (lowRes, Mlp(iouToken, decoder.iou_prediction_head));
        }

        /// <summary>Low-res logits -> <c>masks</c> at orig_im_size: upsampled to the frame, the padding cropped, resized (bilinear, half-pixel).</summary>
        public void Postprocess(string lowRes, string originalSize, long frame, long k)
        {
            var full = Resize(lowRes, graph.AddConstant([1L, k, frame, frame], 4));
            var scale = graph.AddNode("Div", [graph.AddConstant([(float)frame]), graph.AddNode("ReduceMax", [originalSize], null, OnnxGraphBuilder.Int("keepdims", 1))]);
            var inputSize = graph.AddNode("Cast", [graph.AddNode("Floor", [graph.AddNode("Add", [graph.AddNode("Mul", [originalSize, scale]), graph.AddConstant([0.5f])])])],
                null, OnnxGraphBuilder.Int("to", OnnxTensorData.Int64));
            var cropped = graph.AddNode("Slice", [full, graph.AddConstant([0L, 0L], 2), inputSize, graph.AddConstant([2L, 3L], 2)]);
            var sizes = graph.AddNode("Concat", [graph.AddConstant([1L, k], 2), graph.AddNode("Cast", [originalSize], null, OnnxGraphBuilder.Int("to", OnnxTensorData.Int64))],
                null, OnnxGraphBuilder.Int("axis", 0));
            graph.AddNode("Identity", [Resize(cropped, sizes)], "masks");
        }

        (string Queries, string Keys) Transformer(TwoWayTransformer transformer, string tokens, string keys, string keyPe)
        {
            var queries = tokens;
            for (int i = 0; i < transformer.layers.Count; i++)
            {
                var block = transformer.layers[i];
                if (i == 0)
                    queries = Attention(block.self_attn, queries, queries, queries);
                else
                {
                    var q = graph.AddNode("Add", [queries, tokens]);
                    queries = graph.AddNode("Add", [queries, Attention(block.self_attn, q, q, queries)]);
                }
                queries = Norm(queries, block.norm1);
                var tokensWithPe = graph.AddNode("Add", [queries, tokens]);
                var imageWithPe = graph.AddNode("Add", [keys, keyPe]);
                queries = Norm(graph.AddNode("Add", [queries, Attention(block.cross_attn_token_to_image, tokensWithPe, imageWithPe, keys)]), block.norm2);
                var mlp = Linear(graph.AddNode("Relu", [Linear(queries, block.mlp.lin1)]), block.mlp.lin2);
                queries = Norm(graph.AddNode("Add", [queries, mlp]), block.norm3);
                tokensWithPe = graph.AddNode("Add", [queries, tokens]);
                keys = Norm(graph.AddNode("Add", [keys, Attention(block.cross_attn_image_to_token, imageWithPe, tokensWithPe, queries)]), block.norm4);
            }
            var attended = Attention(transformer.final_attn_token_to_image, graph.AddNode("Add", [queries, tokens]), graph.AddNode("Add", [keys, keyPe]), keys);
            return (Norm(graph.AddNode("Add", [queries, attended]), transformer.norm_final_attn), keys);
        }

        /// <summary>softmax(q k^T / sqrt(c)) v per head, with the input and output projections; [1, n, D] -> [1, n_q, D].</summary>
        string Attention(DecoderAttention attention, string q, string k, string v)
        {
            long headDim = attention.q_proj.weight!.shape[0] / heads;
            string Heads(string x) => graph.AddNode("Transpose", [graph.AddNode("Reshape", [x, graph.AddConstant([0L, 0L, heads, headDim], 4)])], null, OnnxGraphBuilder.Ints("perm", 0, 2, 1, 3));
            var queries = Heads(Linear(q, attention.q_proj));
            var keysT = graph.AddNode("Transpose", [Heads(Linear(k, attention.k_proj))], null, OnnxGraphBuilder.Ints("perm", 0, 1, 3, 2));
            var values = Heads(Linear(v, attention.v_proj));
            var scores = graph.AddNode("Div", [graph.AddNode("MatMul", [queries, keysT]), graph.AddConstant([(float)Math.Sqrt(headDim)])]);
            var output = graph.AddNode("MatMul", [graph.AddNode("Softmax", [scores], null, OnnxGraphBuilder.Int("axis", -1)), values]);
            var merged = graph.AddNode("Reshape", [graph.AddNode("Transpose", [output], null, OnnxGraphBuilder.Ints("perm", 0, 2, 1, 3)), graph.AddConstant([0L, 0L, -1L], 3)]);
            return Linear(merged, attention.out_proj);
        }

        string PositionEncoding(PositionEmbeddingRandom pe, string unitCoords)
        {
            var centred = graph.AddNode("Sub", [graph.AddNode("Mul", [unitCoords, graph.AddConstant([2f])]), graph.AddConstant([1f])]);
            var frequencies = graph.AddNode("Mul", [graph.AddNode("MatMul", [centred, Constant(pe.positional_encoding_gaussian_matrix)]), graph.AddConstant([(float)(2 * Math.PI)])]);
            return graph.AddNode("Concat", [graph.AddNode("Sin", [frequencies]), graph.AddNode("Cos", [frequencies])], null, OnnxGraphBuilder.Int("axis", -1));
        }

        string LabelIs(string label, int value) =>
            graph.AddNode("Cast", [graph.AddNode("Equal", [label, graph.AddConstant([(float)value])])], null, OnnxGraphBuilder.Int("to", OnnxTensorData.Float));

        string Mlp(string x, SamAdapt.Sam.Modeling.Mlp mlp)
        {
            for (int i = 0; i < mlp.layers.Count; i++)
            {
                x = Linear(x, mlp.layers[i]);
                if (i < mlp.layers.Count - 1) x = graph.AddNode("Relu", [x]);
            }
            return x;
        }

        string Linear(string x, Linear linear) =>
            graph.AddNode("Add", [graph.AddNode("MatMul", [x, Constant(linear.weight!.t())]), Constant(linear.bias!)]);

        string Norm(string x, LayerNorm norm) =>
            graph.AddNode("LayerNormalization", [x, Constant(norm.weight!), Constant(norm.bias!)], null,
                OnnxGraphBuilder.Int("axis", -1), OnnxGraphBuilder.Float("epsilon", (float)TransformerNormEps));

        /// <summary>SAM's LayerNorm2d: normalises each position over the channels (axis 1).</summary>
        string ChannelNorm(string x, LayerNorm2d norm)
        {
            var mean = graph.AddNode("ReduceMean", [x], null, OnnxGraphBuilder.Ints("axes", 1), OnnxGraphBuilder.Int("keepdims", 1));
            var centred = graph.AddNode("Sub", [x, mean]);
            var variance = graph.AddNode("ReduceMean", [graph.AddNode("Mul", [centred, centred])], null, OnnxGraphBuilder.Ints("axes", 1), OnnxGraphBuilder.Int("keepdims", 1));
            var normalized = graph.AddNode("Div", [centred, graph.AddNode("Sqrt", [graph.AddNode("Add", [variance, graph.AddConstant([(float)ChannelNormEps])])])]);
            return graph.AddNode("Add", [graph.AddNode("Mul", [normalized, Constant(norm.weight.reshape(-1, 1, 1))]), Constant(norm.bias.reshape(-1, 1, 1))]);
        }

        /// <summary>The exact GELU: x * (1 + erf(x / sqrt 2)) / 2.</summary>
        string Gelu(string x)
        {
            var erf = graph.AddNode("Erf", [graph.AddNode("Div", [x, graph.AddConstant([(float)Math.Sqrt(2)])])]);
            return graph.AddNode("Mul", [graph.AddNode("Mul", [x, graph.AddNode("Add", [erf, graph.AddConstant([1f])])]), graph.AddConstant([0.5f])]);
        }

        string Conv(string x, Conv2d conv, long stride)
        {
            var weight = conv.weight!;
            return graph.AddNode("Conv", [x, Constant(weight), Constant(conv.bias!)], null,
                OnnxGraphBuilder.Ints("kernel_shape", weight.shape[2], weight.shape[3]), OnnxGraphBuilder.Ints("strides", stride, stride));
        }

        string ConvTranspose(string x, ConvTranspose2d conv) =>
            graph.AddNode("ConvTranspose", [x, Constant(conv.weight!), Constant(conv.bias!)], null,
                OnnxGraphBuilder.Ints("kernel_shape", 2, 2), OnnxGraphBuilder.Ints("strides", 2, 2));

        string Resize(string x, string sizes) =>
            graph.AddNode("Resize", [x, "", "", sizes], null,
                OnnxGraphBuilder.String("mode", "linear"), OnnxGraphBuilder.String("coordinate_transformation_mode", "half_pixel"));

        string Constant(Tensor tensor)
        {
            using var values = tensor.detach().cpu().to(float32).contiguous();
            return graph.AddConstant(values.data<float>().ToArray(), values.shape);
        }
    }
}
