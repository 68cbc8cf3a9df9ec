using TorchSharp;

namespace SamAdapt.Sam;

/// <summary>
/// What SAM is asked to segment: points, a box, a low-resolution mask from an earlier prediction, or a
/// combination. At least one of them must be given.
/// </summary>
public sealed record SamPrompt
{
    /// <summary>Clicks in original-image pixels, or null.</summary>
    public IReadOnlyList<PromptPoint>? Points { get; init; }
    /// <summary>A box in original-image pixels, or null.</summary>
    public PromptBox? Box { get; init; }
    /// <summary>Mask logits [1, 4G, 4G] (a previous <see cref="SamPrediction.LowResLogits"/> row), or null.</summary>
    public torch.Tensor? MaskInput { get; init; }

    /// <summary>Number of prompt points the decoder sees: clicks, box corners, and the padding point added when there is no box.</summary>
    public int DecoderPointCount => (Points?.Count ?? 0) + (Box is null ? 1 : 2);

    /// <summary>A prompt of one foreground click.</summary>
    public static SamPrompt Click(float x, float y) => new() { Points = new[] { new PromptPoint(x, y, 1) } };

    /// <summary>Checks the prompt against the image size and mask grid; throws naming the problem.</summary>
    public void Validate(int lowResMaskSize)
    {
        if ((Points is null || Points.Count == 0) && Box is null && MaskInput is null)
            throw new ArgumentException("A SAM prompt needs points, a box or a mask input; all are empty.");
        if (Points is not null)
            foreach (var p in Points)
            {
                if (!float.IsFinite(p.X) || !float.IsFinite(p.Y))
                    throw new ArgumentException($"Prompt point ({p.X}, {p.Y}) is not finite.");
                if (p.Label is not (0 or 1))
                    throw new ArgumentException($"Prompt point ({p.X}, {p.Y}) has label {p.Label}; expected 1 (foreground) or 0 (background).");
            }
        if (Box is { } b && (!float.IsFinite(b.X0) || !float.IsFinite(b.Y0) || !float.IsFinite(b.X1) || !float.IsFinite(b.Y1) || b.X0 > b.X1 || b.Y0 > b.Y1))
            throw new ArgumentException($"Prompt box ({b.X0}, {b.Y0}, {b.X1}, {b.Y1}) needs finite x0 <= x1 and y0 <= y1.");
        if (MaskInput is not null && !MaskInput.shape.SequenceEqual(new long[] { 1, lowResMaskSize, lowResMaskSize }))
            throw new ArgumentException($"The mask input has shape [{string.Join(", ", MaskInput.shape)}]; expected [1, {lowResMaskSize}, {lowResMaskSize}] (low-res logits of this model).");
    }
}
