namespace SamAdapt.Sam;

/// <summary>A box prompt in original-image pixels: top-left (X0, Y0) and bottom-right (X1, Y1).</summary>
public readonly record struct PromptBox(float X0, float Y0, float X1, float Y1);
