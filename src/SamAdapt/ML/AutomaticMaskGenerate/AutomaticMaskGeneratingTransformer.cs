using Microsoft.ML;
using Microsoft.ML.Data;
using SamAdapt.ML.RowMapping;
using SamAdapt.Sam;
using SamAdapt.Sam.AutomaticMaskGeneration;

namespace SamAdapt.ML;

/// <summary>
/// Image (MLImage) -> the records of <see cref="SamAutomaticMaskGenerator"/> as columns: MaskCount K (Int32), Masks
/// (variable-size float vector [K, H, W] of 0/1), MaskScores (predicted IoU [K]), StabilityScores [K] and Boxes
/// ([K, 4] XYWH pixels), in the generator's record order. Rows run one at a time through the one predictor.
/// Disposing it disposes the model when it owns it.
/// </summary>
public sealed class AutomaticMaskGeneratingTransformer : RowMappingTransformer, IDisposable
{
    readonly SamPredictor _predictor;
    readonly bool _ownsPredictor;
    readonly SamAutomaticMaskGenerator _generator;
    readonly Lock _gate = new();

    /// <summary>The column names and generator parameters in use.</summary>
    public AutomaticMaskGenerateOptions Options { get; }

    internal AutomaticMaskGeneratingTransformer(MLContext mlContext, SamPredictor predictor, bool ownsPredictor, AutomaticMaskGenerateOptions options) : base(mlContext)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _predictor = predictor;
        _ownsPredictor = ownsPredictor;
        Options = options;
        _generator = new SamAutomaticMaskGenerator(predictor, options.Generator);
        InputColumns = [InputColumn.Image(options.InputColumnName)];
        Mapper = new RowMapper<AutomaticMaskGenerateOutput>([
            OutputColumn<AutomaticMaskGenerateOutput>.Int32(options.MaskCountColumnName, r => r.MaskCount),
            OutputColumn<AutomaticMaskGenerateOutput>.FloatVector(options.MasksColumnName, r => r.Masks),
            OutputColumn<AutomaticMaskGenerateOutput>.FloatVector(options.ScoresColumnName, r => r.Scores),
            OutputColumn<AutomaticMaskGenerateOutput>.FloatVector(options.StabilityScoresColumnName, r => r.StabilityScores),
            OutputColumn<AutomaticMaskGenerateOutput>.FloatVector(options.BoxesColumnName, r => r.Boxes),
        ], CreateRowMapper);
    }

    /// <inheritdoc/>
    private protected override IReadOnlyList<InputColumn> InputColumns { get; }

    /// <inheritdoc/>
    private protected override IRowMapper Mapper { get; }

    /// <summary>Makes the getter of the image column and returns what fills a row.</summary>
    Action<AutomaticMaskGenerateOutput> CreateRowMapper(DataViewRow input, IReadOnlyList<DataViewSchema.Column> inputColumns)
    {
        var readImage = ImageColumnReader.Rgb(input, inputColumns[0], "AutomaticMaskGenerate");
        return output =>
        {
            var image = readImage();
            IReadOnlyList<MaskRecord> records;
            lock (_gate)
                records = _generator.Generate(image);
            int k = records.Count, pixels = image.Width * image.Height;
            var masks = new float[(long)k * pixels];
            var scores = new float[k];
            var stability = new float[k];
            var boxes = new float[4 * k];
            for (int i = 0; i < k; i++)
            {
                var mask = Rle.ToMask(records[i].Segmentation);
                for (int p = 0; p < pixels; p++)
                    if (mask[p]) masks[(long)i * pixels + p] = 1f;
                scores[i] = records[i].PredictedIou;
                stability[i] = records[i].StabilityScore;
                var box = records[i].BoundingBox;
                (boxes[4 * i], boxes[4 * i + 1], boxes[4 * i + 2], boxes[4 * i + 3]) = (box.X, box.Y, box.Width, box.Height);
            }
            output.MaskCount = k;
            output.Masks = masks;
            output.Scores = scores;
            output.StabilityScores = stability;
            output.Boxes = boxes;
        };
    }

    /// <summary>Disposes the model when the transformer owns it.</summary>
    public void Dispose()
    {
        lock (_gate)
            if (_ownsPredictor) _predictor.Dispose();
    }
}
