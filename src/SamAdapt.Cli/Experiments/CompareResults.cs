using SamAdapt.Evaluation;
using SamAdapt.Sam.Modeling;

namespace SamAdapt.Cli.Experiments;

/// <summary>The dataset a comparison ran on.</summary>
/// <param name="Path">Its folder.</param>
/// <param name="Layout">cvppp or pairs.</param>
/// <param name="Images">Usable images.</param>
/// <param name="Train">Images in the train split.</param>
/// <param name="Test">Images in the test split.</param>
public sealed record CompareDatasetInfo(string Path, string Layout, int Images, int Train, int Test);

/// <summary>Wall-clock seconds of the comparison's steps.</summary>
/// <param name="UNetTrain">Loading the training images and training the U-Net.</param>
/// <param name="AdapterTrain">U-Net features of the adapter's images and the adapter's training.</param>
/// <param name="SamEncode">SAM's image encoder on the test images.</param>
/// <param name="Evaluate">Decoding and scoring every method on the test images (SAM encoding excluded).</param>
/// <param name="Total">Everything, opening the model included.</param>
public sealed record CompareTimings(double UNetTrain, double AdapterTrain, double SamEncode, double Evaluate, double Total);

/// <summary>
/// What <see cref="CompareExperiment.Run"/> measured on the test split: SAM with a click, the U-Net, and
/// SAM's decoder on adapted U-Net features; SAM and adapted with both oracle and predicted mask selection.
/// </summary>
/// <param name="Dataset">The data and its split.</param>
/// <param name="SamModel">The SAM model reference used.</param>
/// <param name="Options">The settings.</param>
/// <param name="SamOracle">SAM, best of its 3 masks by IoU with the ground truth (the paper's choice).</param>
/// <param name="SamPredicted">SAM, the mask with the highest predicted IoU.</param>
/// <param name="UNet">The U-Net baseline.</param>
/// <param name="AdaptedOracle">Adapted U-Net encoder + SAM decoder, oracle selection.</param>
/// <param name="AdaptedPredicted">Adapted, predicted-IoU selection.</param>
/// <param name="AdapterTrainImages">Images the adapter trained on.</param>
/// <param name="UNetBestEpoch">The U-Net epoch whose weights were used.</param>
/// <param name="Timings">Seconds per step.</param>
public sealed record CompareResults(
    CompareDatasetInfo Dataset, string SamModel, CompareOptions Options,
    SegmentationMetrics SamOracle, SegmentationMetrics SamPredicted, SegmentationMetrics UNet,
    SegmentationMetrics AdaptedOracle, SegmentationMetrics AdaptedPredicted,
    int AdapterTrainImages, int UNetBestEpoch, CompareTimings Timings)
{
    /// <summary>The five (method, selection, metrics) rows in report order.</summary>
    public IReadOnlyList<(string Method, string Selection, SegmentationMetrics Metrics)> Rows =>
    [
        ("SAM", "oracle", SamOracle),
        ("SAM", "predicted", SamPredicted),
        ("U-Net", "-", UNet),
        ("adapted", "oracle", AdaptedOracle),
        ("adapted", "predicted", AdaptedPredicted),
    ];
}
