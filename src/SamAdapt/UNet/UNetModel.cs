using SamAdapt.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SamAdapt.UNet;

/// <summary>
/// The U-Net of Ronneberger et al. (2015) for binary segmentation. Encoder level <c>i</c>
/// (<c>0..Depth</c>) is a <see cref="DoubleConv"/> with <c>BaseWidth * 2^i</c> channels, each level
/// after the first preceded by a 2x2 max-pool. The decoder goes back up with 2x2 transposed
/// convolutions of stride 2 (the paper's "up-convolution", chosen over bilinear + conv because it is
/// the original design and learns its own upsampling), concatenates the encoder's skip features of the
/// same level, and applies a <see cref="DoubleConv"/>. A 1x1 convolution gives one logit per pixel.
/// Inputs are RGB in 0..1; padding keeps every size, so the output has the input's size.
/// </summary>
public sealed class UNetModel : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the state-dict contract
    /// <summary>Encoder blocks, level 0 (full size) to level Depth (the bottleneck).</summary>
    public readonly ModuleList<DoubleConv> encoder;
    /// <summary>Transposed 2x2 convolutions; <c>up[i]</c> goes from level i+1 to level i, halving the channels.</summary>
    public readonly ModuleList<ConvTranspose2d> up;
    /// <summary>Decoder blocks; <c>decoder[i]</c> maps the concatenation at level i (2 * width_i channels) to width_i.</summary>
    public readonly ModuleList<DoubleConv> decoder;
    /// <summary>1x1 convolution from BaseWidth channels to one logit: [B, BaseWidth, S, S] -> [B, 1, S, S].</summary>
    public readonly Conv2d head;
#pragma warning restore IDE1006

    /// <summary>The configuration the model was built from.</summary>
    public UNetConfig Config { get; }

    /// <summary>Builds a randomly initialised U-Net (call <c>torch.manual_seed</c> first for reproducible weights).</summary>
    /// <exception cref="SamAdaptException">The configuration is invalid.</exception>
    public UNetModel(UNetConfig config) : base(nameof(UNetModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        encoder = new ModuleList<DoubleConv>();
        up = new ModuleList<ConvTranspose2d>();
        decoder = new ModuleList<DoubleConv>();
        long previous = config.InChannels;
        for (int level = 0; level <= config.Depth; level++)
        {
            long width = (long)config.BaseWidth << level;
            encoder.Add(new DoubleConv(previous, width));
            previous = width;
        }
        for (int level = 0; level < config.Depth; level++)
        {
            long width = (long)config.BaseWidth << level;
            up.Add(nn.ConvTranspose2d(2 * width, width, 2, stride: 2));
            decoder.Add(new DoubleConv(2 * width, width));
        }
        head = nn.Conv2d(config.BaseWidth, 1, 1);
        RegisterComponents();
    }

    /// <summary>[B, InChannels, H, W] (H, W divisible by 2^Depth) -> logits [B, 1, H, W].</summary>
    /// <exception cref="SamAdaptException">The input has the wrong rank, channel count or a size not divisible by 2^Depth.</exception>
    public override Tensor forward(Tensor x)
    {
        CheckInput(x);
        using var scope = NewDisposeScope();
        var skips = new List<Tensor>();
        var h = RunEncoder(x, skips);
        for (int level = Config.Depth - 1; level >= 0; level--)
        {
            var upsampled = up[level].forward(h);
            h = decoder[level].forward(cat(new[] { skips[level], upsampled }, 1));
        }
        return head.forward(h).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The bottleneck features: [B, InChannels, H, W] -> [B, BaseWidth * 2^Depth, H / 2^Depth, W / 2^Depth]
    /// (the deepest level after its double convolution). With <see cref="UNetConfig.ForSamGrid"/> this is SAM's 64x64 grid.
    /// </summary>
    /// <exception cref="SamAdaptException">The input has the wrong rank, channel count or a size not divisible by 2^Depth.</exception>
    public Tensor Encode(Tensor x)
    {
        CheckInput(x);
        using var scope = NewDisposeScope();
        return RunEncoder(x, skips: null).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Every encoder level: [B, InChannels, H, W] -> Depth + 1 tensors, level i being [B, BaseWidth * 2^i, H / 2^i, W / 2^i]
    /// (level 0 the full-size features, level Depth the bottleneck of <see cref="Encode"/>).
    /// </summary>
    /// <exception cref="SamAdaptException">The input has the wrong rank, channel count or a size not divisible by 2^Depth.</exception>
    public IReadOnlyList<Tensor> EncodeLevels(Tensor x)
    {
        CheckInput(x);
        using var scope = NewDisposeScope();
        var levels = new List<Tensor>();
        var bottleneck = RunEncoder(x, levels); // fills levels 0 .. Depth - 1
        levels.Add(bottleneck);
        return levels.Select(level => level.MoveToOuterDisposeScope()).ToList();
    }

    Tensor RunEncoder(Tensor x, List<Tensor>? skips)
    {
        var h = encoder[0].forward(x);
        for (int level = 1; level <= Config.Depth; level++)
        {
            skips?.Add(h);
            h = encoder[level].forward(nn.functional.max_pool2d(h, 2));
        }
        return h;
    }

    void CheckInput(Tensor x)
    {
        if (x.dim() != 4 || x.shape[1] != Config.InChannels)
            throw new SamAdaptException(
                $"The U-Net expects an input [B, {Config.InChannels}, H, W]; it got [{string.Join(", ", x.shape)}].");
        UNetConfig.CheckSize(x.shape[2], Config.Depth, "The input height");
        UNetConfig.CheckSize(x.shape[3], Config.Depth, "The input width");
    }

    /// <summary>
    /// Segments one image of any size: resizes it bilinearly to <see cref="UNetConfig.ImageSize"/>, runs the
    /// model in eval mode without gradients, resizes the logits bilinearly back and thresholds them at 0.
    /// <paramref name="image"/> is [InChannels, H, W] (float, 0..1, on any device); the result is a bool [H, W] tensor on the CPU.
    /// The model's training/eval mode is restored afterwards.
    /// </summary>
    /// <exception cref="SamAdaptException">The image is not [InChannels, H, W].</exception>
    public Tensor PredictMask(Tensor image)
    {
        using var scope = NewDisposeScope();
        var logits = PredictLogits(image);
        return logits.GreaterThan(0).cpu().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Like <see cref="PredictMask(Tensor)"/> for an 8-bit RGB image stored row by row, 3 bytes per pixel;
    /// returns <paramref name="height"/> * <paramref name="width"/> booleans, row by row.
    /// </summary>
    /// <exception cref="SamAdaptException">The byte count does not match the size.</exception>
    public bool[] PredictMask(byte[] hwcRgb, int width, int height)
    {
        using var scope = NewDisposeScope();
        var image = UNetData.RgbToTensor(hwcRgb, width, height);
        var mask = PredictMask(image);
        return mask.flatten().data<bool>().ToArray();
    }

    /// <summary>
    /// The logits of <see cref="PredictMask(Tensor)"/> before the threshold: [InChannels, H, W] -> [H, W],
    /// on the model's device.
    /// </summary>
    /// <exception cref="SamAdaptException">The image is not [InChannels, H, W].</exception>
    public Tensor PredictLogits(Tensor image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.dim() != 3 || image.shape[0] != Config.InChannels)
            throw new SamAdaptException(
                $"PredictMask expects an image [{Config.InChannels}, H, W]; it got [{string.Join(", ", image.shape)}].");
        long height = image.shape[1], width = image.shape[2];
        bool wasTraining = training;
        eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var device = head.weight.device;
            var input = image.to(float32).to(device).unsqueeze(0);
            if (height != Config.ImageSize || width != Config.ImageSize)
                input = nn.functional.interpolate(input, new long[] { Config.ImageSize, Config.ImageSize },
                    mode: InterpolationMode.Bilinear, align_corners: false);
            var logits = forward(input);
            if (height != Config.ImageSize || width != Config.ImageSize)
                logits = nn.functional.interpolate(logits, new long[] { height, width },
                    mode: InterpolationMode.Bilinear, align_corners: false);
            return logits[0, 0].MoveToOuterDisposeScope();
        }
        finally
        {
            train(wasTraining);
        }
    }
}
