namespace SamAdapt.Models;

/// <summary>One report from <see cref="ModelRegistry.Fetch"/>: which file, what stage, how far.</summary>
/// <param name="Model">The model's registry name.</param>
/// <param name="File">The file's name inside the model folder.</param>
/// <param name="Stage">What is happening to the file.</param>
/// <param name="BytesDone">Bytes processed so far in this stage.</param>
/// <param name="TotalBytes">The stage's total bytes when known.</param>
/// <param name="BytesPerSecond">Transfer speed while downloading; 0 otherwise.</param>
/// <param name="Message">A sentence for the user when the stage warrants one (a deleted corrupt file, for example).</param>
public sealed record FetchProgress(string Model, string File, FetchStage Stage, long BytesDone, long? TotalBytes,
    double BytesPerSecond = 0, string? Message = null);
