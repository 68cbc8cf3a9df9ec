namespace SamAdapt;

/// <summary>Progress of one long step of a workflow (e.g. training epochs, images encoded), for a progress bar or a log line.</summary>
/// <param name="Step">What is counted, e.g. "U-Net epoch" or "SAM encoding image".</param>
/// <param name="Done">Items finished; 0 when the step starts.</param>
/// <param name="Total">Items planned.</param>
/// <param name="Details">Figures of the last item (e.g. "loss 0.1234  val IoU 0.9100"), or null.</param>
/// <param name="Remaining">The step's own estimate of the time left (e.g. a trainer's, which knows about early stopping), or null.</param>
public sealed record StepProgress(string Step, int Done, int Total, string? Details = null, TimeSpan? Remaining = null);
