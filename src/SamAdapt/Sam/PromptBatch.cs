using TorchSharp;

namespace SamAdapt.Sam;

/// <summary>
/// B prompts for one image, in the model's input frame. Points and labels go together; each part may be null.
/// </summary>
/// <param name="Coords">Clicks [B, N, 2] as (x, y) input-frame pixels, or null.</param>
/// <param name="Labels">Labels [B, N] (int64: 1 foreground, 0 background), or null.</param>
/// <param name="Boxes">Boxes [B, 4] as (x0, y0, x1, y1) input-frame pixels, or null.</param>
/// <param name="Masks">Mask prompts [B, 1, 4G, 4G] (logits), or null.</param>
public sealed record PromptBatch(torch.Tensor? Coords, torch.Tensor? Labels, torch.Tensor? Boxes, torch.Tensor? Masks);
