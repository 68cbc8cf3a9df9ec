using Microsoft.ML;
using Microsoft.ML.Data;
using SamAdapt.Imaging;
using SamAdapt.ML.RowMapping;
using SamAdapt.UNet;
using TorchSharp;

namespace SamAdapt.ML;

/// <summary>
/// Image (MLImage) -> U-Net encoder features (float vector [C, g, g], the levels <see cref="UNetEncodeOptions.Features"/> names,
/// aligned to SAM's frame) plus the original height and width (Int32): the image is resized bilinearly to the U-Net's training
/// size (<see cref="UNetData.ResizeImage"/>) and encoded in eval mode without gradients. Disposing it disposes the model when
/// the transformer loaded it.
/// </summary>
public sealed class UNetEncodingTransformer : RowMappingTransformer, IDisposable
{
    readonly UNetModel _model;
    readonly bool _ownsModel;
    readonly object _gate = new();

    /// <summary>The column names in use.</summary>
    public UNetEncodeOptions Options { get; }

    /// <summary>The U-Net's configuration: features are [<see cref="FeatureChannels"/>, g, g], g = <see cref="UNetFeatureOptions.GridFor"/>.</summary>
    public UNetConfig Config => _model.Config;

    /// <summary>The channels C of the features [C, g, g].</summary>
    public int FeatureChannels => Options.Features.Channels(Config);

    internal UNetEncodingTransformer(MLContext mlContext, UNetModel model, bool ownsModel, UNetEncodeOptions options) : base(mlContext)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _model = model;
        _ownsModel = ownsModel;
        Options = options;
        InputColumns = [InputColumn.Image(options.InputColumnName)];
        Mapper = new RowMapper<UNetEncodeOutput>([
            OutputColumn<UNetEncodeOutput>.FloatVector(options.OutputColumnName,
                new VectorDataViewType(NumberDataViewType.Single, FeatureChannels, options.Features.GridFor(Config), options.Features.GridFor(Config)), r => r.Features),
            OutputColumn<UNetEncodeOutput>.Int32(options.OriginalHeightColumnName, r => r.OriginalHeight),
            OutputColumn<UNetEncodeOutput>.Int32(options.OriginalWidthColumnName, r => r.OriginalWidth),
        ], CreateRowMapper);
    }

    /// <inheritdoc/>
    private protected override IReadOnlyList<InputColumn> InputColumns { get; }

    /// <inheritdoc/>
    private protected override IRowMapper Mapper { get; }

    /// <summary>Makes the getters of <paramref name="inputColumns"/> (in the order of <see cref="InputColumns"/>) and returns what fills a row.</summary>
    Action<UNetEncodeOutput> CreateRowMapper(DataViewRow input, IReadOnlyList<DataViewSchema.Column> inputColumns)
    {
        var readImage = ImageColumnReader.Rgb(input, inputColumns[0], "UNetEncode");
        return output =>
        {
            var image = readImage();
            output.Features = Encode(image);
            output.OriginalHeight = image.Height;
            output.OriginalWidth = image.Width;
        };
    }

    /// <summary>The features of one image, [C, g, g] row-major.</summary>
    public float[] Encode(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        lock (_gate)
        {
            bool wasTraining = _model.training;
            _model.eval();
            try
            {
                using var noGrad = torch.no_grad();
                using var scope = torch.NewDisposeScope();
                var pixels = UNetData.ResizeImage(image.Pixels.ToArray(), image.Width, image.Height, Config.ImageSize);
                var features = UNetFeatureExtractor.Extract(_model, pixels.unsqueeze(0).to(_model.head.weight.device), [(image.Height, image.Width)], Options.Features);
                return features.to(torch.float32).cpu().contiguous().data<float>().ToArray();
            }
            finally
            {
                _model.train(wasTraining);
            }
        }
    }

    /// <summary>Disposes the model when it was loaded by the transformer.</summary>
    public void Dispose()
    {
        lock (_gate)
            if (_ownsModel) _model.Dispose();
    }
}
