using SamAdapt.Onnx;
using SamAdapt.Weights;
using TorchSharp;

namespace SamAdapt.Tests.Onnx;

public class OnnxBackendTests
{
    static void AssertDecoderReproducesFixture(string fixture)
    {
        using var cases = SafeTensors.Load(Path.Combine(fixture, "cases.safetensors"));
        using var decoder = new OnnxSamDecoder(Path.Combine(fixture, "sam_decoder.onnx"), threads: 1);
        Assert.Equal(4, decoder.MaskCount);
        Assert.Equal(cases["onnx.image_embeddings"].shape[1], decoder.EmbeddingDim);
        Assert.Equal(cases["onnx.mask_input"].shape[2], decoder.MaskInputSize);

        using var output = decoder.Decode(cases["onnx.image_embeddings"], cases["onnx.point_coords"], cases["onnx.point_labels"],
            cases["onnx.mask_input"], cases["onnx.has_mask_input"], cases["onnx.orig_im_size"]);
        Relative.AssertClose(output.Masks, cases["onnx.masks"], 1e-4, "masks");
        Relative.AssertClose(output.IouPredictions, cases["onnx.iou_predictions"], 1e-4, "iou_predictions");
        Relative.AssertClose(output.LowResMasks, cases["onnx.low_res_masks"], 1e-4, "low_res_masks");
    }

    [Fact]
    public void MiniDecoderReproducesTheReferenceOutputs() => AssertDecoderReproducesFixture(TestPaths.MiniFixture);

    [SharedFixtureFact("sam-vit-tiny-1024")]
    public void TinyVit1024DecoderReproducesTheReferenceOutputs() => AssertDecoderReproducesFixture(TestPaths.TinyVit1024!);

    [Fact]
    public void DecoderRejectsWrongEmbeddingShapeByName()
    {
        using var decoder = new OnnxSamDecoder(Path.Combine(TestPaths.MiniFixture, "sam_decoder.onnx"), threads: 1);
        using var wrong = torch.zeros(1, 32, 8, 8);
        using var coords = torch.zeros(1, 1, 2);
        using var labels = torch.ones(1, 1);
        using var mask = torch.zeros(1, 1, 64, 64);
        using var hasMask = torch.zeros(1);
        using var size = torch.tensor(new float[] { 150, 200 });
        var error = Assert.Throws<ArgumentException>(() => decoder.Decode(wrong, coords, labels, mask, hasMask, size));
        Assert.Equal("imageEmbeddings", error.ParamName);
        Assert.Contains("[1,32,16,16]", error.Message);
    }

    [Fact]
    public void DecoderModelGivenAsEncoderIsAClearError()
    {
        var error = Assert.Throws<ModelFormatException>(() => new OnnxImageEncoder(Path.Combine(TestPaths.MiniFixture, "sam_decoder.onnx"), threads: 1));
        Assert.Contains("sam_decoder.onnx", error.Message);
        Assert.Contains("one input", error.Message);
    }

    [Fact]
    public void NonOnnxFileIsAClearError()
    {
        var error = Assert.Throws<ModelFormatException>(() => new OnnxSamDecoder(Path.Combine(TestPaths.MiniFixture, "config.json"), threads: 1));
        Assert.Contains("config.json", error.Message);
    }

    [MinisamFact]
    public void MinisamSingleMaskDecoderAndEncoderRunOnADisk()
    {
        using var encoder = new OnnxImageEncoder(Path.Combine(MinisamFactAttribute.Directory!, "encoder.onnx"));
        Assert.Equal(1024, encoder.InputSize);
        using var decoder = new OnnxSamDecoder(Path.Combine(MinisamFactAttribute.Directory!, "sam.onnx"));
        Assert.Equal(1, decoder.MaskCount);
        Assert.Equal(256, decoder.EmbeddingDim);

        // A bright disk of radius 200 centred at (512, 512) on a dark background, normalised like SAM's preprocessing.
        using var scope = torch.NewDisposeScope();
        var ys = torch.arange(1024, dtype: torch.float32).view(-1, 1);
        var xs = torch.arange(1024, dtype: torch.float32).view(1, -1);
        var disk = ((xs - 512).square() + (ys - 512).square()).lt(200 * 200);
        var pixels = torch.where(disk, 230f, 20f);
        var mean = torch.tensor(new float[] { 123.675f, 116.28f, 103.53f }).view(3, 1, 1);
        var std = torch.tensor(new float[] { 58.395f, 57.12f, 57.375f }).view(3, 1, 1);
        var image = ((pixels.unsqueeze(0) - mean) / std).unsqueeze(0);

        var embeddings = encoder.Encode(image);
        Assert.Equal(new long[] { 1, 256, 64, 64 }, embeddings.shape);
        using var output = decoder.Decode(embeddings, torch.tensor(new float[] { 512, 512 }).view(1, 1, 2), torch.ones(1, 1),
            torch.zeros(1, 1, 256, 256), torch.zeros(1), torch.tensor(new float[] { 1024, 1024 }));
        Assert.Equal(new long[] { 1, 1, 1024, 1024 }, output.Masks.shape);
        var predicted = output.Masks[0, 0].gt(0);
        double iou = (predicted & disk).sum().item<long>() / (double)(predicted | disk).sum().item<long>();
        Assert.True(iou > 0.9, $"IoU of the predicted mask with the disk is {iou:F3}");
    }
}
