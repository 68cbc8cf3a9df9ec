using static TorchSharp.torch;

namespace SamAdapt.Sam.Modeling;

/// <summary>
/// What a <see cref="TwoWayAttentionBlock"/> computes from an image embedding that every prompt of a call shares, once for
/// the call rather than once per chunk of prompts (<see cref="TwoWayAttentionBlock.ShareImage"/>).
/// </summary>
/// <param name="ImageWithPe">The image plus its positional encoding [1, HW, D].</param>
/// <param name="TokenToImage">The token-to-image attention's projected image keys and values, or null.</param>
/// <param name="ImageToToken">The image-to-token attention's projected image queries, or null.</param>
internal sealed record SharedImage(Tensor ImageWithPe, SharedProjection? TokenToImage, SharedProjection? ImageToToken);
