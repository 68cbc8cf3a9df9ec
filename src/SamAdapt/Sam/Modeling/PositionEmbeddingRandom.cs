using SamAdapt.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace SamAdapt.Sam.Modeling;

/// <summary>
/// SAM's positional encoding with random spatial frequencies (<c>PositionEmbeddingRandom</c>):
/// a point (x, y) in [0, 1]^2 maps to [sin(2 pi f), cos(2 pi f)] with f = (2 (x, y) - 1) G,
/// for a fixed Gaussian matrix G [2, F]; the output has 2F channels.
/// </summary>
public sealed class PositionEmbeddingRandom : nn.Module<(long H, long W), Tensor>
{
#pragma warning disable IDE1006 // field names are the state-dict contract
    /// <summary>The frequency matrix G [2, F] (a buffer, loaded from the checkpoint).</summary>
    public readonly Tensor positional_encoding_gaussian_matrix;
#pragma warning restore IDE1006

    /// <summary>
    /// Creates the encoding with <paramref name="numPosFeats"/> frequencies (2 * numPosFeats output
    /// channels), initialised as <paramref name="scale"/> * N(0, 1) drawn with <paramref name="seed"/>.
    /// </summary>
    public PositionEmbeddingRandom(long numPosFeats, double scale = 1.0, long seed = 0) : base(nameof(PositionEmbeddingRandom))
    {
        if (numPosFeats <= 0)
            throw new SamAdaptException($"{nameof(PositionEmbeddingRandom)}: {nameof(numPosFeats)} must be positive, got {numPosFeats}.");
        if (scale <= 0) scale = 1.0; // SAM's convention: a non-positive scale means 1
        using var generator = new Generator((ulong)seed);
        using var gaussian = randn(new long[] { 2, numPosFeats }, generator: generator);
        positional_encoding_gaussian_matrix = gaussian.Times(scale);
        RegisterComponents();
    }

    /// <summary>Encoding of the centres of an H x W grid -> [2F, H, W].</summary>
    public override Tensor forward((long H, long W) size)
    {
        using var scope = NewDisposeScope();
        var device = positional_encoding_gaussian_matrix.device;
        var y = ScalarArithmetic.Range(size.H, float32, device).Plus(0.5).DividedBy(size.H);
        var x = ScalarArithmetic.Range(size.W, float32, device).Plus(0.5).DividedBy(size.W);
        var grid = stack(new[] { x.unsqueeze(0).expand(size.H, size.W), y.unsqueeze(1).expand(size.H, size.W) }, -1);
        return Encode(grid).permute(2, 0, 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Encoding of points given in pixels of an image of <paramref name="imageSize"/> (H, W):
    /// coords [B, N, 2] as (x, y) -> [B, N, 2F]. x is divided by W and y by H.
    /// </summary>
    public Tensor ForwardWithCoords(Tensor coords, (long H, long W) imageSize)
    {
        using var scope = NewDisposeScope();
        using var width = ((double)imageSize.W).ToScalar();
        using var height = ((double)imageSize.H).ToScalar();
        var x = coords.select(-1, 0).div(width);
        var y = coords.select(-1, 1).div(height);
        return Encode(stack(new[] { x, y }, -1).to(float32)).MoveToOuterDisposeScope();
    }

    /// <summary>[.., 2] in [0, 1] -> [.., 2F].</summary>
    Tensor Encode(Tensor unitCoords)
    {
        var frequencies = unitCoords.mul(KeptScalars.Two).sub(KeptScalars.One).matmul(positional_encoding_gaussian_matrix).mul(KeptScalars.TwoPi);
        return cat(new[] { frequencies.sin(), frequencies.cos() }, -1);
    }
}
