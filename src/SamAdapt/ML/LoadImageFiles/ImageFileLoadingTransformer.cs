using Microsoft.ML;
using Microsoft.ML.Data;
using SamAdapt.Data;
using SamAdapt.Imaging;
using SamAdapt.ML.RowMapping;

namespace SamAdapt.ML;

/// <summary>
/// Image file path (text) -> image (<see cref="MLImage"/>), decoded by SamAdapt's own decoders rather than ML.NET's
/// <c>LoadImages</c>: every format <see cref="RgbImage.Load"/> reads (TIFF and 16-bit PNG included, converted as PIL does),
/// and a truncated or corrupt file is an error naming it instead of an image with black rows.
/// </summary>
public sealed class ImageFileLoadingTransformer : RowMappingTransformer
{
    readonly string _pathColumnName;

    internal ImageFileLoadingTransformer(MLContext mlContext, string outputColumnName, string pathColumnName, ImageFileKind kind, ImageLoadOptions? options)
        : base(mlContext)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(pathColumnName);
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "Expected Image or Mask.");
        _pathColumnName = pathColumnName;
        Kind = kind;
        LoadOptions = options ?? ImageLoadOptions.Default;
        InputColumns = [InputColumn.Text(pathColumnName)];
        Mapper = new RowMapper<ImageFileLoadingOutput>([OutputColumn<ImageFileLoadingOutput>.Image(outputColumnName, r => r.Image!)], CreateRowMapper);
    }

    /// <summary>Whether files are read as images or as binary masks.</summary>
    public ImageFileKind Kind { get; }

    /// <summary>How image files are decoded (EXIF orientation).</summary>
    public ImageLoadOptions LoadOptions { get; }

    /// <inheritdoc/>
    private protected override IReadOnlyList<InputColumn> InputColumns { get; }

    /// <inheritdoc/>
    private protected override IRowMapper Mapper { get; }

    Action<ImageFileLoadingOutput> CreateRowMapper(DataViewRow input, IReadOnlyList<DataViewSchema.Column> inputColumns)
    {
        var getPath = input.GetGetter<ReadOnlyMemory<char>>(inputColumns[0]);
        ReadOnlyMemory<char> path = default;
        return output =>
        {
            getPath(ref path);
            var file = path.ToString();
            if (string.IsNullOrWhiteSpace(file))
                throw new SamAdaptException($"Column '{_pathColumnName}' has no file path in row {input.Position}.");
            output.Image?.Dispose();
            output.Image = null;
            output.Image = Kind == ImageFileKind.Mask ? MaskImage(file) : RgbImage.Load(file, LoadOptions).ToMLImage();
        };
    }

    /// <summary>The mask file as an opaque grey image: 255 where <see cref="MaskReader.Read"/> finds foreground, else 0.</summary>
    static MLImage MaskImage(string path)
    {
        var mask = MaskReader.Read(path);
        var rgba = new byte[mask.Pixels.Length * 4];
        for (int i = 0; i < mask.Pixels.Length; i++)
        {
            byte v = mask.Pixels[i] ? (byte)255 : (byte)0;
            (rgba[4 * i], rgba[4 * i + 1], rgba[4 * i + 2], rgba[4 * i + 3]) = (v, v, v, 255);
        }
        return MLImage.CreateFromPixels(mask.Width, mask.Height, MLPixelFormat.Rgba32, rgba);
    }
}
