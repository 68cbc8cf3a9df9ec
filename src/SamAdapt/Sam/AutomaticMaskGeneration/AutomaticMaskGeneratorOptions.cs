namespace SamAdapt.Sam.AutomaticMaskGeneration;

/// <summary>
/// The parameters of the official <c>SamAutomaticMaskGenerator</c>, with its defaults (chosen for SAM ViT-H).
/// Exactly one of <see cref="PointsPerSide"/> and <see cref="PointGrids"/> is set.
/// </summary>
public sealed record AutomaticMaskGeneratorOptions
{
    /// <summary>Points sampled along one side of the image (points_per_side); the grid has this squared. Null when <see cref="PointGrids"/> is given.</summary>
    public int? PointsPerSide { get; init; } = 32;

    /// <summary>
    /// Explicit point grids (point_grids), one per crop layer, as (x, y) normalised to [0, 1]; the nth is used in
    /// crop layer n. Null when <see cref="PointsPerSide"/> is given.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<(double X, double Y)>>? PointGrids { get; init; }

    /// <summary>Points run through the decoder together (points_per_batch).</summary>
    public int PointsPerBatch { get; init; } = 64;

    /// <summary>Masks whose predicted IoU is not above this are dropped (pred_iou_thresh); 0 keeps all.</summary>
    public double PredIouThresh { get; init; } = 0.88;

    /// <summary>Masks whose stability score is below this are dropped (stability_score_thresh); 0 keeps all.</summary>
    public double StabilityScoreThresh { get; init; } = 0.95;

    /// <summary>How far the cutoff moves either way when the stability score is computed (stability_score_offset), in logits.</summary>
    public double StabilityScoreOffset { get; init; } = 1.0;

    /// <summary>Box IoU above which NMS drops a duplicate mask within a crop (box_nms_thresh).</summary>
    public double BoxNmsThresh { get; init; } = 0.7;

    /// <summary>Crop layers beyond the whole image (crop_n_layers); layer i has (2^i)^2 crops.</summary>
    public int CropNLayers { get; init; }

    /// <summary>Box IoU above which NMS drops a duplicate mask between crops (crop_nms_thresh).</summary>
    public double CropNmsThresh { get; init; } = 0.7;

    /// <summary>How much crops of the first layer overlap, as a fraction of the image's short side (crop_overlap_ratio).</summary>
    public double CropOverlapRatio { get; init; } = 512.0 / 1500;

    /// <summary>Points per side in crop layer n are divided by this to the nth power (crop_n_points_downscale_factor).</summary>
    public int CropNPointsDownscaleFactor { get; init; } = 1;

    /// <summary>When positive, holes and islands smaller than this many pixels are removed, then NMS runs again (min_mask_region_area).</summary>
    public int MinMaskRegionArea { get; init; }

    /// <summary>The largest <see cref="CropNLayers"/> accepted (layer 6 already has 4096 crops).</summary>
    public const int MaxCropLayers = 6;

    /// <summary>
    /// The point grid of each crop layer, 0 to <see cref="CropNLayers"/>: <see cref="PointGrids"/>, or
    /// <see cref="PointGrid.BuildAllLayers"/> of <see cref="PointsPerSide"/>. Validates first.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<(double X, double Y)>> LayerPointGrids()
    {
        Validate();
        return PointGrids ?? PointGrid.BuildAllLayers(PointsPerSide!.Value, CropNLayers, CropNPointsDownscaleFactor);
    }

    /// <summary>Checks every parameter; throws naming the first one out of range and its allowed range.</summary>
    /// <exception cref="ArgumentException">A parameter is out of range.</exception>
    public void Validate()
    {
        if ((PointsPerSide is null) == (PointGrids is null))
            throw new ArgumentException($"Exactly one of {nameof(PointsPerSide)} and {nameof(PointGrids)} must be set; {(PointGrids is null ? "both are null" : "both are set")}.");
        if (PointsPerSide is { } side && side < 1)
            throw new ArgumentException($"{nameof(PointsPerSide)} is {side}; expected 1 or more.");
        Check(nameof(PointsPerBatch), PointsPerBatch, 1, int.MaxValue, "1 or more");
        CheckUnit(nameof(PredIouThresh), PredIouThresh);
        CheckUnit(nameof(StabilityScoreThresh), StabilityScoreThresh);
        if (!(StabilityScoreOffset >= 0) || double.IsInfinity(StabilityScoreOffset))
            throw new ArgumentException($"{nameof(StabilityScoreOffset)} is {StabilityScoreOffset}; expected a finite value of 0 or more.");
        CheckUnit(nameof(BoxNmsThresh), BoxNmsThresh);
        Check(nameof(CropNLayers), CropNLayers, 0, MaxCropLayers, $"0 to {MaxCropLayers}");
        CheckUnit(nameof(CropNmsThresh), CropNmsThresh);
        if (!(CropOverlapRatio >= 0 && CropOverlapRatio < 1))
            throw new ArgumentException($"{nameof(CropOverlapRatio)} is {CropOverlapRatio}; expected 0 <= value < 1.");
        Check(nameof(CropNPointsDownscaleFactor), CropNPointsDownscaleFactor, 1, int.MaxValue, "1 or more");
        Check(nameof(MinMaskRegionArea), MinMaskRegionArea, 0, int.MaxValue, "0 or more");
        if (PointsPerSide is { } n)
        {
            double last = n / Math.Pow(CropNPointsDownscaleFactor, CropNLayers);
            if (last < 1)
                throw new ArgumentException($"{nameof(PointsPerSide)} {n} divided by {nameof(CropNPointsDownscaleFactor)} {CropNPointsDownscaleFactor} to the power {CropNLayers} ({nameof(CropNLayers)}) leaves no point in the last crop layer; expected at least 1 point per side in every layer.");
        }
        else
        {
            var grids = PointGrids!;
            if (grids.Count < CropNLayers + 1)
                throw new ArgumentException($"{nameof(PointGrids)} has {grids.Count} grids; expected one per crop layer, {CropNLayers + 1} ({nameof(CropNLayers)} + 1).");
            for (int layer = 0; layer < grids.Count; layer++)
            {
                if (grids[layer] is null || grids[layer].Count == 0)
                    throw new ArgumentException($"{nameof(PointGrids)}[{layer}] has no point; expected at least one (x, y) in [0, 1].");
                foreach (var (x, y) in grids[layer])
                    if (!(x >= 0 && x <= 1 && y >= 0 && y <= 1))
                        throw new ArgumentException($"{nameof(PointGrids)}[{layer}] has the point ({x}, {y}); expected x and y in [0, 1] (normalised to the crop).");
            }
        }
    }

    static void Check(string name, int value, int min, int max, string range)
    {
        if (value < min || value > max) throw new ArgumentException($"{name} is {value}; expected {range}.");
    }

    static void CheckUnit(string name, double value)
    {
        if (!(value >= 0 && value <= 1)) throw new ArgumentException($"{name} is {value}; expected 0 <= value <= 1.");
    }
}
