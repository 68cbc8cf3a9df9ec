namespace SamAdapt.Data;

/// <summary>The built-in synthetic dataset families.</summary>
public enum SyntheticDatasetKind
{
    /// <summary><see cref="SyntheticPlants"/>: top-view rosette plants, CVPPP layout, PNG (the default).</summary>
    Plants,

    /// <summary><see cref="SyntheticPolyps"/>: colonoscopy-like polyps, pairs layout, JPEG images and masks.</summary>
    Polyps,
}
