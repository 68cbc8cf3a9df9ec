namespace SamAdapt.Sam.AutomaticMaskGeneration;

/// <summary>One mask of the automatic generator, with the fields of the official record.</summary>
public sealed record MaskRecord
{
    /// <summary>The mask at the image size, uncompressed RLE (<c>segmentation</c>).</summary>
    public required MaskRle Segmentation { get; init; }

    /// <summary>Set pixels of <see cref="Segmentation"/> (<c>area</c>).</summary>
    public int Area => Segmentation.Area;

    /// <summary>The box around the mask, XYWH in image pixels (<c>bbox</c>).</summary>
    public required PixelBox BoundingBox { get; init; }

    /// <summary>The decoder's own estimate of the mask's IoU (<c>predicted_iou</c>); it may exceed 1.</summary>
    public required float PredictedIou { get; init; }

    /// <summary>The point prompt behind the mask, (x, y) in image pixels (<c>point_coords</c>).</summary>
    public required (double X, double Y) PointCoords { get; init; }

    /// <summary>The IoU of the mask thresholded one offset above and below the cutoff (<c>stability_score</c>).</summary>
    public required float StabilityScore { get; init; }

    /// <summary>The crop the mask came from, XYWH in image pixels (<c>crop_box</c>).</summary>
    public required PixelBox CropBox { get; init; }

    /// <summary>The box as (x0, y0, x1, y1) floats, as the official NMS calls see it.</summary>
    internal (float X0, float Y0, float X1, float Y1) BoxXyxy => (BoundingBox.X, BoundingBox.Y, BoundingBox.Right, BoundingBox.Bottom);
}
