using System.Reflection;
using Microsoft.ML;
using SamAdapt.Tests.Data;
using SkiaSharp;

namespace SamAdapt.Tests.ML;

/// <summary>A path row for data views built in the ML tests.</summary>
public sealed class ImagePathRow
{
    /// <summary>The image file.</summary>
    public string ImagePath = "";
}

/// <summary>Three small generated images of different sizes, as a data view with an MLImage column "Image".</summary>
internal static class MLTestImages
{
    /// <summary>Writes three PNGs (different sizes and colours) into <paramref name="folder"/> and returns their paths.</summary>
    public static string[] Write(string folder)
    {
        var specs = new (int Width, int Height, SKColor Background, SKColor Square)[]
        {
            (40, 30, new SKColor(20, 120, 40), SKColors.White),
            (24, 36, new SKColor(200, 30, 90), new SKColor(10, 10, 200)),
            (32, 32, new SKColor(90, 90, 90), new SKColor(250, 200, 0)),
        };
        return specs.Select((s, i) =>
        {
            var path = Path.Combine(folder, $"image{i}.png");
            TestImages.WriteRgb(path, s.Width, s.Height, s.Background, s.Square);
            return path;
        }).ToArray();
    }

    /// <summary>The paths as a data view with a text column "ImagePath".</summary>
    public static IDataView Paths(MLContext mlContext, IEnumerable<string> paths) =>
        mlContext.Data.LoadFromEnumerable(paths.Select(p => new ImagePathRow { ImagePath = p }).ToList());

    /// <summary>ML.NET's image loading: "ImagePath" -> "Image" (MLImage).</summary>
    public static IEstimator<ITransformer> LoadImages(MLContext mlContext) =>
        mlContext.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: "ImagePath");
}

/// <summary>ML.NET keeps <c>SchemaShape.Create(DataViewSchema)</c> internal; the tests reach it to call estimators' GetOutputSchema directly.</summary>
internal static class SchemaShapes
{
    public static SchemaShape Of(DataViewSchema schema) =>
        (SchemaShape)typeof(SchemaShape).GetMethod("Create", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic, [typeof(DataViewSchema)])!
            .Invoke(null, [schema])!;
}
