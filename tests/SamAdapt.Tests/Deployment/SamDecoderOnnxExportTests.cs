using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SamAdapt.Deployment;
using SamAdapt.Sam;
using SamAdapt.Sam.Modeling;
using TorchSharp;
using Xunit.Abstractions;

namespace SamAdapt.Tests.Deployment;

/// <summary>
/// SAM's TorchSharp decoder exported in the official ONNX format, against the fixture's own official export
/// (sam_decoder.onnx, written by segment-anything's SamOnnxModel from the same weights), both run by ONNX Runtime.
/// </summary>
public class SamDecoderOnnxExportTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(false, 200, 300)] // a click, a background click and the padding point, no mask prompt
    [InlineData(true, 256, 97)]   // a box (labels 2, 3) with a mask prompt
    public void TheExportAgreesWithTheOfficialExportOfTheSameWeights(bool boxAndMask, float height, float width) =>
        AssertAgreesWithOfficialExport(TestPaths.MiniFixture, boxAndMask, height, width);

    [SharedFixtureFact("sam-vit-tiny-1024")]
    public void TheExportOfARealSizedDecoderAgreesWithItsOfficialExport()
    {
        // SAM's real decoder size: D = 256, MLP 2048, 8 heads, 64 x 64 grid, 1024 frame.
        AssertAgreesWithOfficialExport(TestPaths.TinyVit1024!, boxAndMask: false, 480, 640);
        AssertAgreesWithOfficialExport(TestPaths.TinyVit1024!, boxAndMask: true, 1024, 700);
    }

    void AssertAgreesWithOfficialExport(string fixture, bool boxAndMask, float height, float width)
    {
        using var sam = SamModel.Load(fixture);
        using var decoder = SamDecoderModel.FromStateDict(sam.Config, sam.state_dict());
        var path = Path.Combine(TestPaths.NewTempDirectory(), "decoder.onnx");
        SamDecoderOnnxExport.Save(decoder, path);
        int d = sam.Config.PromptEmbedDim, g = sam.Config.EmbeddingGrid, m = sam.Config.LowResMaskSize;
        float f = sam.Config.ImageSize;

        var generator = new Random(boxAndMask ? 1 : 2);
        float[] Random(int count, float scale) => Enumerable.Range(0, count).Select(_ => (float)(generator.NextDouble() * 2 - 1) * scale).ToArray();
        static DenseTensor<float> T(float[] values, params int[] dims) => new(values, dims);
        var inputs = new Dictionary<string, DenseTensor<float>>
        {
            ["image_embeddings"] = T(Random(d * g * g, 1f), 1, d, g, g),
            ["point_coords"] = boxAndMask ? T([0.1f * f, 0.15f * f, 0.8f * f, 0.7f * f], 1, 2, 2) : T([0.47f * f, 0.25f * f, 0.12f * f, 0.8f * f, 0f, 0f], 1, 3, 2),
            ["point_labels"] = boxAndMask ? T([2f, 3f], 1, 2) : T([1f, 0f, -1f], 1, 3),
            ["mask_input"] = T(Random(m * m, boxAndMask ? 5f : 0f), 1, 1, m, m),
            ["has_mask_input"] = T([boxAndMask ? 1f : 0f], 1),
            ["orig_im_size"] = T([height, width], 2),
        };

        var actual = Run(path, inputs);
        var expected = Run(Path.Combine(fixture, "sam_decoder.onnx"), inputs);

        foreach (var name in new[] { "low_res_masks", "iou_predictions", "masks" })
        {
            using var a = actual[name];
            using var e = expected[name];
            output.WriteLine($"{Path.GetFileName(fixture)} {name} [{string.Join(", ", e.shape)}]: relative error {Relative.AssertClose(a, e, 1e-4, name):E2}");
        }
    }

    static Dictionary<string, torch.Tensor> Run(string path, Dictionary<string, DenseTensor<float>> inputs)
    {
        using var session = new InferenceSession(path);
        using var results = session.Run(inputs.Select(i => NamedOnnxValue.CreateFromTensor(i.Key, i.Value)).ToList());
        return results.ToDictionary(r => r.Name, r =>
        {
            var tensor = r.AsTensor<float>();
            return torch.tensor(tensor.ToArray(), tensor.Dimensions.ToArray().Select(d => (long)d).ToArray());
        });
    }
}
