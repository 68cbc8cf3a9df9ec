using SamAdapt.Evaluation;

namespace SamAdapt.Cli.Experiments;

/// <summary>
/// One of the methods the comparison scores; <see cref="All"/> is the table every part of the experiment derives from:
/// the scoring pipeline's mask columns, the evaluation, the result rows, the figure names, results.json and report.md.
/// </summary>
/// <param name="Family">The model that produces the masks (<c>sam</c>, <c>unet</c>, <c>adapted</c>): the results.json group.</param>
/// <param name="Name">The name in the report and the figures (<c>SAM</c>, <c>U-Net</c>, <c>adapted</c>).</param>
/// <param name="Selection">How one of SAM's 3 masks is chosen; null for the U-Net, which predicts one mask.</param>
/// <param name="MaskColumn">The predicted-mask column of the scoring pipeline.</param>
/// <param name="PaperMeanIoU">The paper's mean test IoU for this method (Straka, plants), or null where the paper reports none.</param>
/// <param name="CalibratedScores">The predicted IoU comes from SAM's IoU head refitted on the adapted embeddings (selection name <c>calibrated</c>).</param>
public sealed record CompareMethod(string Family, string Name, MaskSelectionMethod? Selection, string MaskColumn, double? PaperMeanIoU, bool CalibratedScores = false)
{
    /// <summary>SAM, best of its 3 masks by IoU with the ground truth (the paper's choice).</summary>
    public static readonly CompareMethod SamOracle = new("sam", "SAM", MaskSelectionMethod.Oracle, "SamOracleMask", 0.573);

    /// <summary>SAM, the mask with the highest predicted IoU.</summary>
    public static readonly CompareMethod SamPredicted = new("sam", "SAM", MaskSelectionMethod.Predicted, "SamPredictedMask", null);

    /// <summary>The U-Net baseline.</summary>
    public static readonly CompareMethod UNet = new("unet", "U-Net", null, "UNetMask", 0.710);

    /// <summary>Adapted U-Net encoder + SAM decoder, oracle selection.</summary>
    public static readonly CompareMethod AdaptedOracle = new("adapted", "adapted", MaskSelectionMethod.Oracle, "AdaptedOracleMask", 0.762);

    /// <summary>Adapted U-Net encoder + SAM decoder, predicted-IoU selection.</summary>
    public static readonly CompareMethod AdaptedPredicted = new("adapted", "adapted", MaskSelectionMethod.Predicted, "AdaptedPredictedMask", null);

    /// <summary>Adapted U-Net encoder + SAM decoder, the highest IoU predicted by the calibrated IoU head (what the exported model.zip picks).</summary>
    public static readonly CompareMethod AdaptedCalibrated = new("adapted", "adapted", MaskSelectionMethod.Predicted, "AdaptedCalibratedMask", null, CalibratedScores: true);

    /// <summary>Beyond the paper: the adapter trained together with SAM's mask decoder (as MedSAM fine-tunes it), oracle selection.</summary>
    public static readonly CompareMethod AdaptedDecoderOracle = new(AdaptedDecoderFamily, "adapted + decoder", MaskSelectionMethod.Oracle, "AdaptedDecoderOracleMask", null);

    /// <summary>Beyond the paper: the adapter trained together with SAM's mask decoder, the highest IoU its calibrated IoU head predicts.</summary>
    public static readonly CompareMethod AdaptedDecoderCalibrated = new(AdaptedDecoderFamily, "adapted + decoder", MaskSelectionMethod.Predicted, "AdaptedDecoderCalibratedMask", null, CalibratedScores: true);

    /// <summary>The family of the rows whose decoder is fine-tuned (results.json key; <c>--methods adapted-decoder</c>).</summary>
    public const string AdaptedDecoderFamily = "adapted_decoder";

    /// <summary>Every method in report order.</summary>
    public static readonly IReadOnlyList<CompareMethod> All =
        [SamOracle, SamPredicted, UNet, AdaptedOracle, AdaptedPredicted, AdaptedCalibrated, AdaptedDecoderOracle, AdaptedDecoderCalibrated];

    /// <summary>The families <c>--methods</c> chooses from, in report order.</summary>
    public static IReadOnlyList<string> Families { get; } = All.Select(m => m.Family).Distinct().ToList();

    /// <summary>The families compared when none are named: the paper's three.</summary>
    public static IReadOnlyList<string> DefaultFamilies { get; } = ["sam", "unet", "adapted"];

    /// <summary>The methods of <paramref name="families"/>, in report order.</summary>
    public static IReadOnlyList<CompareMethod> Of(IEnumerable<string> families)
    {
        var wanted = families.ToHashSet(StringComparer.Ordinal);
        return All.Where(m => wanted.Contains(m.Family)).ToList();
    }

    /// <summary>
    /// Whether the row follows the paper's protocol: SAM, the U-Net, and the adapter trained through SAM's frozen decoder (any of
    /// their mask selections); the rows whose mask decoder was fine-tuned go beyond it.
    /// </summary>
    public bool PaperProtocol => Family != AdaptedDecoderFamily;

    /// <summary>The selection as the report writes it: <c>oracle</c>, <c>predicted</c>, <c>calibrated</c>, or <c>-</c> for the U-Net.</summary>
    public string SelectionName => CalibratedScores ? "calibrated" : Selection?.ToString().ToLowerInvariant() ?? "-";

    /// <summary>The key used in file names: the family, then the selection when there is one (<c>sam-oracle</c>, <c>unet</c>).</summary>
    public string Key => Selection is null ? Family : $"{Family}-{SelectionName}";

    /// <summary>The label of the figures: the name, then the selection in parentheses when there is one (<c>SAM (oracle)</c>, <c>U-Net</c>).</summary>
    public string Label => Selection is null ? Name : $"{Name} ({SelectionName})";
}
