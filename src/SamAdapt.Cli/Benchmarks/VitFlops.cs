using SamAdapt.Sam;
using SamAdapt.Sam.Modeling;

namespace SamAdapt.Cli.Benchmarks;

/// <summary>
/// An analytic count of the floating-point operations (2 per multiply-add) of SAM's ViT image encoder
/// for one image, as <see cref="ImageEncoderViT"/> computes it: patch embedding, per block the qkv and
/// output projections (on the window-padded grid in windowed blocks), q k^T and the probabilities times
/// v, the decomposed relative-position terms and the MLP, then the neck's 1x1 and 3x3 convolutions.
/// Element-wise work (norms, softmax, GELU, additions) is left out: it is a small fraction.
/// </summary>
public static class VitFlops
{
    /// <summary>FLOP of one image through the encoder of <paramref name="config"/>.</summary>
    public static double PerImage(SamConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        double dim = config.EncoderEmbedDim, grid = config.EmbeddingGrid, tokens = grid * grid;
        double headDim = dim / config.EncoderNumHeads, outChannels = config.PromptEmbedDim;
        double flop = 2 * tokens * dim * 3 * config.PatchSize * config.PatchSize; // patch embedding
        for (int block = 0; block < config.EncoderDepth; block++)
        {
            bool global = config.WindowSize == 0 || config.EncoderGlobalAttnIndexes.Contains(block);
            double window = global ? grid : config.WindowSize;
            double paddedSide = Math.Ceiling(grid / window) * window;
            double attended = paddedSide * paddedSide; // tokens the attention runs on (padding included)
            double keysPerQuery = window * window;
            flop += 2 * attended * dim * 3 * dim;                        // qkv
            flop += 2 * 2 * attended * keysPerQuery * dim;                // q k^T and p v over all heads
            flop += 2 * attended * config.EncoderNumHeads * 2 * window * headDim; // relative-position terms
            flop += 2 * attended * dim * dim;                            // output projection
            flop += 2 * 2 * tokens * dim * 4 * dim;                      // MLP (ratio 4)
        }
        flop += 2 * tokens * dim * outChannels;          // neck 1x1
        flop += 2 * tokens * outChannels * outChannels * 9; // neck 3x3
        return flop;
    }
}
