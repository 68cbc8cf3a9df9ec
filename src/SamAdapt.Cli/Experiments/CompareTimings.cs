namespace SamAdapt.Cli.Experiments;

/// <summary>Wall-clock seconds of the comparison's steps.</summary>
/// <param name="UNetTrain">Loading the training images and training the U-Net.</param>
/// <param name="AdapterTrain">U-Net features of the adapter's images and the adapter's training.</param>
/// <param name="SamEncode">SAM's image encoder on the test images.</param>
/// <param name="Evaluate">Decoding and scoring every method on the test images (SAM encoding excluded).</param>
/// <param name="Total">Everything, opening the model included.</param>
public sealed record CompareTimings(double UNetTrain, double AdapterTrain, double SamEncode, double Evaluate, double Total)
{
    /// <summary>The corrective-click loops of every method (decoder only; the embeddings are read again from the cache and the adapter).</summary>
    public double CorrectiveClicks { get; init; }
}
