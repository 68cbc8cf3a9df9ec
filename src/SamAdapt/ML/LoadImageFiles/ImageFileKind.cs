namespace SamAdapt.ML;

/// <summary>How <see cref="ImageFileLoadingTransformer"/> reads each file.</summary>
public enum ImageFileKind
{
    /// <summary>A photograph: its RGB pixels as PIL's <c>Image.open(path).convert("RGB")</c> gives them (see <see cref="Imaging.RgbImage.Load"/>).</summary>
    Image,

    /// <summary>A ground-truth mask: foreground pixels 255, background 0, by the rule of <see cref="Data.MaskReader.Read"/> (palette files: any non-black entry).</summary>
    Mask,
}
