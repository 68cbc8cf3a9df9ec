using Microsoft.ML;
using Microsoft.ML.Data;
using SamAdapt.Data;
using SamAdapt.Evaluation;

namespace SamAdapt.ML;

/// <summary>Compares a predicted-mask column (float vector H * W) with a ground-truth mask column (MLImage) row by row.</summary>
internal static class PredictedMaskStatistics
{
    /// <summary>The input columns: the predicted mask, then the ground truth.</summary>
    public static InputColumn[] Columns(IoUEvaluateOptions options) =>
        [InputColumn.FloatVector(options.PredictedMaskColumnName), InputColumn.Image(options.MaskColumnName)];

    /// <summary>A function returning the current row's statistics; <paramref name="columns"/> are those of <see cref="Columns"/>.</summary>
    public static Func<SegmentationStatistics> Create(DataViewRow row, IReadOnlyList<DataViewSchema.Column> columns, string component)
    {
        var getPredicted = row.GetGetter<VBuffer<float>>(columns[0]);
        var getMask = ImageColumnReader.Mask(row, columns[1], component);
        VBuffer<float> buffer = default;
        return () =>
        {
            getPredicted(ref buffer);
            BinaryMask truth = getMask();
            int pixels = truth.Width * truth.Height;
            if (buffer.Length != pixels)
                throw new SamAdaptException(
                    $"Column '{columns[0].Name}' holds {buffer.Length} values in row {row.Position}, but the mask in column '{columns[1].Name}' is " +
                    $"{truth.Width} x {truth.Height} = {pixels} pixels; the predicted mask must be at the original image size.");
            var predicted = new bool[pixels];
            foreach (var (index, value) in buffer.Items())
                predicted[index] = value > 0.5f;
            return SegmentationStatistics.FromMasks(predicted, truth.Pixels, truth.Width, truth.Height);
        };
    }
}
