namespace SamAdapt.Sam;

/// <summary>Which of SAM's mask tokens a prediction returns.</summary>
public enum MaskOutputMode
{
    /// <summary>Token 0, one mask (SamPredictor with <c>multimask_output=False</c>).</summary>
    Single,
    /// <summary>Tokens 1..3, three masks (SamPredictor with <c>multimask_output=True</c>).</summary>
    Multimask,
    /// <summary>
    /// One mask chosen by the rule of the official single-mask ONNX export: the score is the predicted
    /// IoU, with token 0 moved by (n - 2.5) x 1000 where n counts the decoder's prompt points (clicks, box
    /// corners and the padding point). One click (n = 2) or a box alone: the best multimask output;
    /// more points, or a box with a click: token 0.
    /// </summary>
    Auto,
}
