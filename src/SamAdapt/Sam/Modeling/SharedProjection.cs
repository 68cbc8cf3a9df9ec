using static TorchSharp.torch;

namespace SamAdapt.Sam.Modeling;

/// <summary>
/// The projected heads of a <see cref="DecoderAttention"/> side that every prompt of a call shares (a batch of 1, the image
/// embedding), computed once for the whole call rather than for every chunk of prompts: [1, heads, N, headDim] each, the
/// query heads already scaled by 1 / sqrt(headDim); null for a side that is not shared or not worth projecting.
/// </summary>
/// <param name="QueryHeads">The projected queries, or null.</param>
/// <param name="KeyHeads">The projected keys, or null.</param>
/// <param name="ValueHeads">The projected values, or null.</param>
internal sealed record SharedProjection(Tensor? QueryHeads, Tensor? KeyHeads, Tensor? ValueHeads);
