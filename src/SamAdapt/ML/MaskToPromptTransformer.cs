using Microsoft.ML;
using Microsoft.ML.Data;
using SamAdapt.Data;

namespace SamAdapt.ML;

/// <summary>
/// Mask (MLImage ground truth) -> one click PromptX, PromptY (Single, original pixels) at the mask's interior point or
/// centroid (<see cref="Data.MaskToPrompt"/>); with <see cref="EmptyMaskHandling.Flag"/> also HasPrompt (Boolean).
/// </summary>
public sealed class MaskToPromptTransformer : RowMappingTransformer<MaskToPromptOutput>
{
    /// <summary>The method and column names in use.</summary>
    public MaskToPromptOptions Options { get; }

    internal MaskToPromptTransformer(MLContext mlContext, MaskToPromptOptions options) : base(mlContext)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        InputColumns = [InputColumn.Image(options.MaskColumnName)];
    }

    /// <inheritdoc/>
    protected override IReadOnlyList<InputColumn> InputColumns { get; }

    /// <inheritdoc/>
    protected override SchemaDefinition CreateOutputDefinition()
    {
        var definition = SchemaDefinition.Create(typeof(MaskToPromptOutput), SchemaDefinition.Direction.Read);
        definition[nameof(MaskToPromptOutput.PromptX)].ColumnName = Options.PromptXColumnName;
        definition[nameof(MaskToPromptOutput.PromptY)].ColumnName = Options.PromptYColumnName;
        var flag = definition[nameof(MaskToPromptOutput.HasPrompt)];
        if (Options.OnEmptyMask == EmptyMaskHandling.Flag) flag.ColumnName = Options.HasPromptColumnName;
        else definition.Remove(flag);
        return definition;
    }

    /// <inheritdoc/>
    protected override Action<MaskToPromptOutput> CreateRowMapper(DataViewRow input, IReadOnlyList<DataViewSchema.Column> inputColumns)
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
