namespace SamAdapt.Data;

/// <summary>How the files of a segmentation dataset are arranged in its folder.</summary>
public enum DatasetLayout
{
    /// <summary>Detect <see cref="Pairs"/> or <see cref="Cvppp"/> from the folder's contents.</summary>
    Auto,

    /// <summary>CVPPP: <c>NAME_rgb.png</c> with <c>NAME_fg.png</c> beside it, possibly in subfolders (A1..A4).</summary>
    Cvppp,

    /// <summary><c>images/NAME.ext</c> with <c>masks/NAME.ext</c>, matched by relative path without extension.</summary>
    Pairs,
}
