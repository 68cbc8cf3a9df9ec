using SamAdapt.Sam;

namespace SamAdapt.Data;

/// <summary>The prompts derived from one ground-truth mask (see <see cref="MaskToPrompt.ForSample"/>).</summary>
/// <param name="Name">The sample's name.</param>
/// <param name="Centroid">Mean foreground position; may lie outside a non-convex object.</param>
/// <param name="InteriorPoint">The foreground pixel farthest from the background; always inside.</param>
/// <param name="Box">The bounding box (X1, Y1 exclusive).</param>
/// <param name="RandomPoints">Distinct random foreground pixels, chosen by the options' seed and the name.</param>
public sealed record MaskPrompt(string Name, PromptPoint Centroid, PromptPoint InteriorPoint, MaskBox Box, IReadOnlyList<PromptPoint> RandomPoints);
