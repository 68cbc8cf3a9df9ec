namespace SamAdapt.Data;

/// <summary>
/// A point prompt in original image pixels: <see cref="X"/> is the column, <see cref="Y"/> the row, so
/// (3, 5) names the pixel in column 3, row 5 (SAM's prompt encoder adds 0.5 to reach its centre).
/// </summary>
/// <param name="X">Column, 0 at the left.</param>
/// <param name="Y">Row, 0 at the top.</param>
public readonly record struct PromptPoint(float X, float Y);
