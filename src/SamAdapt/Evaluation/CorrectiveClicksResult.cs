namespace SamAdapt.Evaluation;

/// <summary>
/// The IoU with the ground truth after each click of one <see cref="CorrectiveClicks.Run"/> loop (index 0: after the first click),
/// at least the clicks asked for, at most <see cref="CorrectiveClicks.MaxClicks"/>.
/// </summary>
/// <param name="IoU">IoU after clicks 1, 2, ...</param>
public sealed record CorrectiveClicksResult(IReadOnlyList<double> IoU)
{
    /// <summary>NoC@85: the clicks needed to reach IoU 0.85 (capped at <see cref="CorrectiveClicks.MaxClicks"/>).</summary>
    public int Noc85 => CorrectiveClicks.NumberOfClicks(IoU, 0.85);

    /// <summary>NoC@90: the clicks needed to reach IoU 0.90 (capped at <see cref="CorrectiveClicks.MaxClicks"/>).</summary>
    public int Noc90 => CorrectiveClicks.NumberOfClicks(IoU, 0.90);
}
