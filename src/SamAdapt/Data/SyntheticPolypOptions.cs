namespace SamAdapt.Data;

/// <summary>Settings of <see cref="SyntheticPolyps"/>: the largest image it draws.</summary>
public sealed record SyntheticPolypOptions
{
    /// <summary>The smallest <see cref="MaxWidth"/> and <see cref="MaxHeight"/> accepted.</summary>
    public const int MinSize = 32;

    /// <summary>The largest <see cref="MaxWidth"/> and <see cref="MaxHeight"/> accepted.</summary>
    public const int MaxSize = 8192;

    /// <summary>
    /// The widest image in pixels (default 1920, as the largest Kvasir-SEG photos). Widths are drawn between a third of it
    /// and it.
    /// </summary>
    public int MaxWidth { get; init; } = 1920;

    /// <summary>The tallest image in pixels (default 1072).</summary>
    public int MaxHeight { get; init; } = 1072;

    /// <summary>Throws when a size is outside <see cref="MinSize"/>..<see cref="MaxSize"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The message names the property and its value.</exception>
    public void Validate()
    {
        if (MaxWidth is < MinSize or > MaxSize)
            throw new ArgumentOutOfRangeException(nameof(MaxWidth), MaxWidth, $"{nameof(MaxWidth)} must be between {MinSize} and {MaxSize} pixels.");
        if (MaxHeight is < MinSize or > MaxSize)
            throw new ArgumentOutOfRangeException(nameof(MaxHeight), MaxHeight, $"{nameof(MaxHeight)} must be between {MinSize} and {MaxSize} pixels.");
    }
}
