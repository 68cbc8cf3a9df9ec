using System.Text.RegularExpressions;
using SamAdapt.Sam.Modeling;
using SamAdapt.Weights;
using TorchSharp;

namespace SamAdapt.Onnx;

/// <summary>
/// Recovers SAM's <c>prompt_encoder.*</c> and <c>mask_decoder.*</c> weights, under the official
/// state-dict names and shapes, from an ONNX export of the decoder made by segment-anything's
/// <c>SamOnnxModel</c> (with or without <c>return_single_mask</c>).
/// </summary>
/// <remarks>
/// The export keeps some weights under their own names (biases, convolutions, Gemm weights, prompt
/// embeddings; possibly behind <c>Identity</c> aliases or a <c>model.</c> prefix) and hides the rest
/// under generated names. Those are found by following the graph's edges, never by order:
/// <list type="bullet">
/// <item>a Linear weight is the constant right operand of the MatMul whose output is added to the
/// named bias (stored transposed, [in, out] -> [out, in]); Gemm weights follow <c>transB</c>;</item>
/// <item>a LayerNorm2d (<c>mask_downscaling.1/.4</c>, <c>output_upscaling.1</c>) is the Mul/Add pair with
/// constant [C,1,1] operands that ends the normalisation (x - mean(x)) / sqrt(var + eps) of the output of
/// the named convolution just before it in its Sequential;</item>
/// <item><c>no_mask_embed</c> is the constant multiplied with <c>1 - has_mask_input</c>;</item>
/// <item><c>iou_token</c> and <c>mask_tokens</c> are the rows of the constant [1, 1+M, D] that is expanded
/// to the batch (row 0 is the iou token);</item>
/// <item><c>not_a_point_embed</c> and <c>point_embeddings.i</c> are the constants multiplied with
/// <c>point_labels == -1</c> and <c>point_labels == i</c>.</item>
/// </list>
/// When two routes find the same tensor they must agree bitwise. Every tensor of the official decoder
/// (including <c>mask_downscaling</c>, which the export always evaluates and scales by
/// <c>has_mask_input</c>) is present in such an export, so nothing is ever reported missing: a tensor
/// that cannot be found is an error.
/// </remarks>
public static class SamDecoderOnnxImporter
{
    /// <summary>
    /// Reads <paramref name="onnxPath"/> and returns the decoder's weights (float32, CPU) in the
    /// official order; the caller owns the returned dict.
    /// </summary>
    /// <exception cref="ModelFormatException">The file is not a SAM decoder export, or some tensors cannot be
    /// determined or are found twice with different values; the message lists them.</exception>
    public static StateDict Import(string onnxPath) => Import(OnnxGraph.Load(onnxPath));

    /// <summary>As <see cref="Import(string)"/>, from an already loaded graph.</summary>
    public static StateDict Import(OnnxGraph graph)
    {
        var found = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        var conflicts = new List<string>();
        using var scope = torch.NewDisposeScope(); // holds the views and transposes the weights are copied from
        try
        {
            var named = NamedConstants(graph);
            void Add(string key, torch.Tensor tensor)
            {
                if (!tensor.is_contiguous())
                {
                    using var strided = tensor;
                    tensor = strided.contiguous();
                }
                if (!found.TryGetValue(key, out var existing)) { found[key] = tensor.MoveToOuterDisposeScope(); return; }
                if (!existing.shape.SequenceEqual(tensor.shape) || !existing.bytes.SequenceEqual(tensor.bytes)) conflicts.Add(key);
                tensor.Dispose();
            }

            foreach (var (key, value) in named) Add(key, ResolveConstant(graph, value)!.ToTensor());
            FindLinearWeights(graph, named, Add);
            FindGemmWeights(graph, named, Add);
            FindLayerNorm2d(graph, named, Add);
            FindNoMaskEmbed(graph, Add);
            FindTokens(graph, Add);
            FindPointEmbeddings(graph, Add);
            FindGaussianMatrix(graph, Add);

            var expected = ExpectedKeys(graph, found);
            var missing = expected.Where(k => !found.ContainsKey(k)).ToList();
            var unexpected = found.Keys.Where(k => !expected.Contains(k)).ToList();
            if (missing.Count > 0 || unexpected.Count > 0 || conflicts.Count > 0)
                throw new ModelFormatException($"{graph.Path} does not look like a SAM decoder export (SamOnnxModel):" +
                    List(" cannot determine", missing) + List(" found twice with different values", conflicts) +
                    List(" unexpected", unexpected) + ".");

            var dict = new StateDict(graph.Path);
            foreach (var key in expected)
            {
                dict.Add(key, found[key]);
                found.Remove(key);
            }
            return dict;
        }
        finally
        {
            foreach (var t in found.Values) t.Dispose();
        }
    }

    static string List(string what, List<string> keys) =>
        keys.Count == 0 ? "" : $"{what} ({keys.Count}): {string.Join(", ", keys.Take(40))}{(keys.Count > 40 ? ", ..." : "")};";

    /// <summary>
    /// Graph values that carry a decoder weight under its own name (initializers, or Identity aliases of
    /// constants), keyed by the state-dict name (a leading <c>model.</c> dropped).
    /// </summary>
    static Dictionary<string, string> NamedConstants(OnnxGraph graph)
    {
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        var candidates = graph.Initializers.Keys.Concat(graph.Nodes.Where(n => n.OpType == "Identity").SelectMany(n => n.Outputs));
        foreach (var value in candidates)
        {
            var key = value.StartsWith("model.", StringComparison.Ordinal) ? value["model.".Length..] : value;
            if (!key.StartsWith("prompt_encoder.", StringComparison.Ordinal) && !key.StartsWith("mask_decoder.", StringComparison.Ordinal)) continue;
            if (ResolveConstant(graph, value) is null) continue;
            if (!named.TryAdd(key, value))
                throw new ModelFormatException($"{graph.Path}: both '{named[key]}' and '{value}' claim to be '{key}'.");
        }
        return named;
    }

    /// <summary>The constant behind <paramref name="value"/>, following Identity nodes.</summary>
    static OnnxTensorData? ResolveConstant(OnnxGraph graph, string value)
    {
        for (int hops = 0; hops < 16; hops++)
        {
            if (graph.Constant(value) is { } constant) return constant;
            var producer = graph.Producer(value);
            if (producer is not { OpType: "Identity" }) return null;
            value = producer.Inputs[0];
        }
        return null;
    }

    static torch.Tensor? ConstantTensor(OnnxGraph graph, string value) =>
        ResolveConstant(graph, value) is { DataType: OnnxTensorData.Float } c ? c.ToTensor() : null;

    /// <summary>Linear on a [.., N, D] input: Add(bias, MatMul(x, W)) with W = weight^T.</summary>
    static void FindLinearWeights(OnnxGraph graph, Dictionary<string, string> named, Action<string, torch.Tensor> add)
    {
        foreach (var (key, value) in named.Where(p => p.Key.EndsWith(".bias", StringComparison.Ordinal)))
        {
            foreach (var addNode in graph.Consumers(value).Where(n => n.OpType == "Add" && n.Inputs.Count == 2))
            {
                var other = addNode.Inputs[0] == value ? addNode.Inputs[1] : addNode.Inputs[0];
                if (graph.Producer(other) is not { OpType: "MatMul" } matMul) continue;
                if (ResolveConstant(graph, matMul.Inputs[1]) is not { DataType: OnnxTensorData.Float, Dims.Length: 2 } w) continue;
                using var t = w.ToTensor();
                add(WeightKey(key), t.t().contiguous());
            }
        }
    }

    /// <summary>Linear on a [B, D] input: Gemm(x, B, C) with C the named bias and B = weight (transB = 1) or weight^T.</summary>
    static void FindGemmWeights(OnnxGraph graph, Dictionary<string, string> named, Action<string, torch.Tensor> add)
    {
        var biasKeys = named.Where(p => p.Key.EndsWith(".bias", StringComparison.Ordinal)).ToDictionary(p => p.Value, p => p.Key);
        foreach (var gemm in graph.Nodes.Where(n => n.OpType == "Gemm" && n.Inputs.Count == 3))
        {
            if (!biasKeys.TryGetValue(gemm.Inputs[2], out var key)) continue;
            if (ResolveConstant(graph, gemm.Inputs[1]) is not { DataType: OnnxTensorData.Float, Dims.Length: 2 } w) continue;
            bool transposed = gemm.Attributes.TryGetValue("transB", out var transB) && transB.Int == 1;
            using var t = w.ToTensor();
            add(WeightKey(key), transposed ? t.clone() : t.t().contiguous());
        }
    }

    static string WeightKey(string biasKey) => biasKey[..^"bias".Length] + "weight";

    static readonly Regex SequentialConv = new(@"^(?<prefix>.+)\.(?<index>\d+)\.weight$", RegexOptions.CultureInvariant);

    /// <summary>
    /// LayerNorm2d right after a named Conv/ConvTranspose (index N of a Sequential, so the norm is N+1):
    /// Sub(y, ReduceMean(y)) -> .. -> Div -> Mul(weight [C,1,1]) -> Add(bias [C,1,1]).
    /// </summary>
    static void FindLayerNorm2d(OnnxGraph graph, Dictionary<string, string> named, Action<string, torch.Tensor> add)
    {
        var weightKeys = named.ToDictionary(p => p.Value, p => p.Key);
        foreach (var conv in graph.Nodes.Where(n => n.OpType is "Conv" or "ConvTranspose" && n.Inputs.Count >= 2))
        {
            if (!weightKeys.TryGetValue(conv.Inputs[1], out var convKey)) continue;
            var match = SequentialConv.Match(convKey);
            if (!match.Success) continue;
            var normKey = $"{match.Groups["prefix"].Value}.{int.Parse(match.Groups["index"].Value) + 1}.";
            var y = conv.Outputs[0];
            foreach (var sub in graph.Consumers(y).Where(n => n.OpType == "Sub" && n.Inputs.Count == 2 && n.Inputs[0] == y &&
                                                          graph.Producer(n.Inputs[1]) is { OpType: "ReduceMean" } mean && mean.Inputs[0] == y))
            {
                foreach (var div in graph.Consumers(sub.Outputs[0]).Where(n => n.OpType == "Div" && n.Inputs[0] == sub.Outputs[0]))
                {
                    foreach (var mul in graph.Consumers(div.Outputs[0]).Where(n => n.OpType == "Mul"))
                    {
                        var weight = ConstantTensor(graph, Other(mul, div.Outputs[0]));
                        if (weight is null) continue;
                        foreach (var shift in graph.Consumers(mul.Outputs[0]).Where(n => n.OpType == "Add"))
                        {
                            var bias = ConstantTensor(graph, Other(shift, mul.Outputs[0]));
                            if (bias is null) continue;
                            add(normKey + "bias", Flatten(bias));
                            add(normKey + "weight", Flatten(weight.clone()));
                        }
                        weight.Dispose();
                    }
                }
            }
        }
    }

    /// <summary>Mul(1 - has_mask_input, no_mask_embed [1,D,1,1]).</summary>
    static void FindNoMaskEmbed(OnnxGraph graph, Action<string, torch.Tensor> add)
    {
        foreach (var sub in graph.Consumers("has_mask_input").Where(n => n.OpType == "Sub" && n.Inputs.Count == 2 && n.Inputs[1] == "has_mask_input"))
            foreach (var mul in graph.Consumers(sub.Outputs[0]).Where(n => n.OpType == "Mul"))
                if (ConstantTensor(graph, Other(mul, sub.Outputs[0])) is { } embed)
                {
                    using (embed) add("prompt_encoder.no_mask_embed.weight", embed.reshape(1, -1).clone());
                }
    }

    /// <summary>Expand(cat(iou_token, mask_tokens) [1, 1+M, D], batch shape).</summary>
    static void FindTokens(OnnxGraph graph, Action<string, torch.Tensor> add)
    {
        foreach (var expand in graph.Nodes.Where(n => n.OpType == "Expand"))
        {
            if (ResolveConstant(graph, expand.Inputs[0]) is not { DataType: OnnxTensorData.Float, Dims: [1, > 1, _] } tokens) continue;
            using var t = tokens.ToTensor();
            add("mask_decoder.iou_token.weight", t[0, ..1].clone());
            add("mask_decoder.mask_tokens.weight", t[0, 1..].clone());
        }
    }

    /// <summary>Mul(embedding [1,D], Cast(Equal(labels, c))): c = -1 is not_a_point_embed, c = i is point_embeddings.i.</summary>
    static void FindPointEmbeddings(OnnxGraph graph, Action<string, torch.Tensor> add)
    {
        foreach (var equal in graph.Nodes.Where(n => n.OpType == "Equal" && n.Inputs.Count == 2))
        {
            if (!DependsOn(graph, equal.Inputs[0], "point_labels")) continue;
            if (ResolveConstant(graph, equal.Inputs[1]) is not { DataType: OnnxTensorData.Float, Dims.Length: 0 } label) continue;
            float c = label.ToFloats()[0];
            if (c != MathF.Round(c) || c < -1) continue;
            var key = c == -1 ? "prompt_encoder.not_a_point_embed.weight" : $"prompt_encoder.point_embeddings.{(int)c}.weight";
            foreach (var cast in graph.Consumers(equal.Outputs[0]).Where(n => n.OpType == "Cast"))
                foreach (var mul in graph.Consumers(cast.Outputs[0]).Where(n => n.OpType == "Mul"))
                    if (ConstantTensor(graph, Other(mul, cast.Outputs[0])) is { } embed)
                    {
                        if (embed.dim() == 2 && embed.shape[0] == 1) add(key, embed);
                        else embed.Dispose();
                    }
        }
    }

    /// <summary>
    /// The point encoding MatMul(2 * (coords + 0.5) / S - 1, gaussian [2, D/2]) followed by Mul(2 pi) and Sin/Cos.
    /// A matrix with 2 pi already folded in (MatMul straight into Sin) is not taken: it cannot be undone bitwise.
    /// </summary>
    static void FindGaussianMatrix(OnnxGraph graph, Action<string, torch.Tensor> add)
    {
        foreach (var matMul in graph.Nodes.Where(n => n.OpType == "MatMul" && n.Inputs.Count == 2))
        {
            if (!ComputedFrom(graph, matMul.Inputs[0], "point_coords")) continue;
            if (ResolveConstant(graph, matMul.Inputs[1]) is not { DataType: OnnxTensorData.Float, Dims: [2, _] } matrix) continue;
            if (!graph.Consumers(matMul.Outputs[0]).Any(n => n.OpType == "Mul")) continue;
            add("prompt_encoder.pe_layer.positional_encoding_gaussian_matrix", matrix.ToTensor());
        }
    }

    /// <summary>Whether <paramref name="value"/> is <paramref name="input"/> shifted and scaled by constants (Add/Sub/Mul/Div).</summary>
    static bool ComputedFrom(OnnxGraph graph, string value, string input)
    {
        for (int hops = 0; hops < 8; hops++)
        {
            if (value == input) return true;
            if (graph.Producer(value) is not { OpType: "Add" or "Sub" or "Mul" or "Div", Inputs.Count: 2 } producer) return false;
            bool firstConstant = ResolveConstant(graph, producer.Inputs[0]) is not null;
            bool secondConstant = ResolveConstant(graph, producer.Inputs[1]) is not null;
            if (firstConstant == secondConstant) return false;
            value = firstConstant ? producer.Inputs[1] : producer.Inputs[0];
        }
        return false;
    }

    /// <summary>Whether <paramref name="value"/> is computed from graph input <paramref name="input"/> through shape-only nodes.</summary>
    static bool DependsOn(OnnxGraph graph, string value, string input)
    {
        for (int hops = 0; hops < 8; hops++)
        {
            if (value == input) return true;
            var producer = graph.Producer(value);
            if (producer is not { OpType: "Unsqueeze" or "Expand" or "Reshape" or "Cast" or "Identity" }) return false;
            value = producer.Inputs[0];
        }
        return false;
    }

    static string Other(OnnxNode node, string value) =>
        node.Inputs.Count == 2 ? (node.Inputs[0] == value ? node.Inputs[1] : node.Inputs[0]) : "";

    static torch.Tensor Flatten(torch.Tensor t)
    {
        using (t) return t.reshape(-1).clone();
    }

    /// <summary>
    /// The official state-dict keys, in the official order, for the sizes this export has: transformer
    /// depth from the named layer biases, mask tokens from the token constant, iou head depth from its
    /// named layers.
    /// </summary>
    static List<string> ExpectedKeys(OnnxGraph graph, Dictionary<string, torch.Tensor> found)
    {
        int depth = CountIndexed(found.Keys, "mask_decoder.transformer.layers.");
        int maskTokens = found.TryGetValue("mask_decoder.mask_tokens.weight", out var tokens) ? (int)tokens.shape[0] : 0;
        int iouDepth = CountIndexed(found.Keys, "mask_decoder.iou_prediction_head.layers.");
        if (depth == 0 || maskTokens == 0 || iouDepth == 0)
            throw new ModelFormatException($"{graph.Path} does not look like a SAM decoder export (SamOnnxModel): " +
                $"found {depth} transformer layers, {maskTokens} mask tokens and {iouDepth} iou head layers; every one must be at least 1.");

        var keys = new List<string> { "prompt_encoder.pe_layer.positional_encoding_gaussian_matrix" };
        for (int i = 0; i < 4; i++) keys.Add($"prompt_encoder.point_embeddings.{i}.weight");
        keys.Add("prompt_encoder.not_a_point_embed.weight");
        foreach (int i in new[] { 0, 1, 3, 4, 6 }) keys.AddRange(WeightAndBias($"prompt_encoder.mask_downscaling.{i}"));
        keys.Add("prompt_encoder.no_mask_embed.weight");

        static IEnumerable<string> Attention(string prefix) =>
            new[] { "q_proj", "k_proj", "v_proj", "out_proj" }.SelectMany(p => WeightAndBias($"{prefix}.{p}"));
        for (int l = 0; l < depth; l++)
        {
            var layer = $"mask_decoder.transformer.layers.{l}";
            keys.AddRange(Attention($"{layer}.self_attn"));
            keys.AddRange(WeightAndBias($"{layer}.norm1"));
            keys.AddRange(Attention($"{layer}.cross_attn_token_to_image"));
            keys.AddRange(WeightAndBias($"{layer}.norm2"));
            keys.AddRange(WeightAndBias($"{layer}.mlp.lin1"));
            keys.AddRange(WeightAndBias($"{layer}.mlp.lin2"));
            keys.AddRange(WeightAndBias($"{layer}.norm3"));
            keys.AddRange(WeightAndBias($"{layer}.norm4"));
            keys.AddRange(Attention($"{layer}.cross_attn_image_to_token"));
        }
        keys.AddRange(Attention("mask_decoder.transformer.final_attn_token_to_image"));
        keys.AddRange(WeightAndBias("mask_decoder.transformer.norm_final_attn"));
        keys.Add("mask_decoder.iou_token.weight");
        keys.Add("mask_decoder.mask_tokens.weight");
        foreach (int i in new[] { 0, 1, 3 }) keys.AddRange(WeightAndBias($"mask_decoder.output_upscaling.{i}"));
        for (int m = 0; m < maskTokens; m++)
            for (int i = 0; i < 3; i++) keys.AddRange(WeightAndBias($"mask_decoder.output_hypernetworks_mlps.{m}.layers.{i}"));
        for (int i = 0; i < iouDepth; i++) keys.AddRange(WeightAndBias($"mask_decoder.iou_prediction_head.layers.{i}"));
        return keys;
    }

    static IEnumerable<string> WeightAndBias(string module) => new[] { module + ".weight", module + ".bias" };

    /// <summary>1 + the largest N among keys that start with <paramref name="prefix"/> followed by N and a dot; 0 if none.</summary>
    static int CountIndexed(IEnumerable<string> keys, string prefix) =>
        keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .Select(k => k[prefix.Length..].Split('.')[0])
            .Select(s => int.TryParse(s, out int n) ? n + 1 : 0)
            .DefaultIfEmpty(0).Max();
}
