namespace SamAdapt.Sam;

/// <summary>
/// A point prompt in original image pixels: <see cref="X"/> is the column, <see cref="Y"/> the row, so (3, 5) names the
/// pixel in column 3, row 5 (SAM's prompt encoder adds 0.5 to reach its centre); <see cref="Label"/> says whether it
/// marks the object (1, the default) or the background (0).
/// </summary>
/// <param name="X">Column, 0 at the left.</param>
/// <param name="Y">Row, 0 at the top.</param>
/// <param name="Label">1 for a foreground click, 0 for a background click.</param>
public readonly record struct PromptPoint(float X, float Y, int Label = 1);
