using Microsoft.ML;
using Microsoft.ML.Data;
using SamAdapt.Data;
using SamAdapt.ML.RowMapping;

namespace SamAdapt.ML;

/// <summary>
/// Mask (MLImage ground truth) -> one click PromptX, PromptY (Single, original pixels) at the mask's interior point or
/// centroid (<see cref="Data.MaskToPrompt"/>); with <see cref="EmptyMaskHandling.Flag"/> also HasPrompt (Boolean).
/// </summary>
public sealed class MaskToPromptTransformer : RowMappingTransformer
{
    /// <summary>The method and column names in use.</summary>
    public MaskToPromptOptions Options { get; }

    internal MaskToPromptTransformer(MLContext mlContext, MaskToPromptOptions options) : base(mlContext)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        InputColumns = [InputColumn.Image(options.MaskColumnName)];
        List<OutputColumn<MaskToPromptOutput>> outputs =
        [
            OutputColumn<MaskToPromptOutput>.Float(options.PromptXColumnName, r => r.PromptX),
            OutputColumn<MaskToPromptOutput>.Float(options.PromptYColumnName, r => r.PromptY),
        ];
        if (options.OnEmptyMask == EmptyMaskHandling.Flag) outputs.Add(OutputColumn<MaskToPromptOutput>.Boolean(options.HasPromptColumnName, r => r.HasPrompt));
        Mapper = new RowMapper<MaskToPromptOutput>(outputs, CreateRowMapper);
    }

    /// <inheritdoc/>
    private protected override IReadOnlyList<InputColumn> InputColumns { get; }

    /// <inheritdoc/>
    private protected override IRowMapper Mapper { get; }

    /// <summary>Makes the getters of <paramref name="inputColumns"/> (in the order of <see cref="InputColumns"/>) and returns what fills a row.</summary>
    Action<MaskToPromptOutput> CreateRowMapper(DataViewRow input, IReadOnlyList<DataViewSchema.Column> inputColumns)
    {
        var getMask = ImageColumnReader.Mask(input, inputColumns[0], "MaskToPrompt");
        return output =>
        {
            var mask = getMask();
            if (mask.ForegroundCount() == 0)
            {
                if (Options.OnEmptyMask == EmptyMaskHandling.Error)
                    throw new EmptyMaskException(
                        $"The mask in column '{Options.MaskColumnName}' of row {input.Position} is empty ({mask.Width} x {mask.Height}, no pixel above 127): no click can be made. " +
                        "Remove such rows first, or use OnEmptyMask = Flag and filter on the HasPrompt column.");
                (output.PromptX, output.PromptY, output.HasPrompt) = (0, 0, false);
                return;
            }
            var point = Options.Method == PromptPointMethod.Centroid ? Data.MaskToPrompt.Centroid(mask) : Data.MaskToPrompt.InteriorPoint(mask);
            (output.PromptX, output.PromptY, output.HasPrompt) = (point.X, point.Y, true);
        };
    }
}
