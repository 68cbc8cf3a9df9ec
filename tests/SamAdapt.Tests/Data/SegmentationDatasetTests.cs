using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using SamAdapt.Data;
using SamAdapt.ML;
using SkiaSharp;

namespace SamAdapt.Tests.Data;

public class SegmentationDatasetTests
{
    private const int Width = 12, Height = 10;
    private static readonly bool[,] Square = TestImages.Rectangle(Width, Height, 3, 2, 9, 7); // 6 x 5 = 30 pixels

    private static string CvpppFolder()
    {
        var root = TestPaths.NewTempDirectory();
        foreach (var (sub, name) in new[] { ("A1", "plant001"), ("A1", "plant002"), ("A2", "plant001") })
        {
            TestImages.WriteRgb(Path.Combine(root, sub, $"{name}_rgb.png"), Width, Height, SKColors.SaddleBrown, SKColors.Green);
            TestImages.WriteOneBitPalettePng(Path.Combine(root, sub, $"{name}_fg.png"), Square, (0, 0, 0), (255, 255, 255));
        }
        return root;
    }

    private static string PairsFolder()
    {
        var root = TestPaths.NewTempDirectory();
        foreach (var name in new[] { "b", "a", "c" })
        {
            TestImages.WriteRgb(Path.Combine(root, "images", $"{name}.jpg"), Width, Height, SKColors.Gray, SKColors.White);
            TestImages.WriteGreyMask(Path.Combine(root, "masks", $"{name}.jpg"), Square);
        }
        return root;
    }

    [Fact]
    public void CvpppWithSubfoldersIsFoundAndNamedByRelativePath()
    {
        var dataset = SegmentationDataset.Load(CvpppFolder());
        Assert.Equal(DatasetLayout.Cvppp, dataset.Layout);
        Assert.Equal(new[] { "A1/plant001", "A1/plant002", "A2/plant001" }, dataset.Samples.Select(s => s.Name));
        Assert.All(dataset.Samples, s => Assert.EndsWith("_fg.png", s.MaskPath));
        Assert.Equal(30, MaskReader.Read(dataset.Samples[0].MaskPath).ForegroundCount());
    }

    [Fact]
    public void PairsWithJpegMasksAreMatchedByNameAndThresholded()
    {
        var root = PairsFolder();
        var dataset = SegmentationDataset.Load(root, new SegmentationDatasetOptions { Layout = DatasetLayout.Pairs });
        Assert.Equal(new[] { "a", "b", "c" }, dataset.Samples.Select(s => s.Name));
        var mask = MaskReader.Read(dataset.Samples[0].MaskPath);
        for (var y = 0; y < Height; y++)
            for (var x = 0; x < Width; x++)
                Assert.Equal(Square[y, x], mask[x, y]);
    }

    [Fact]
    public void AutoDetectsBothLayouts()
    {
        Assert.Equal(DatasetLayout.Pairs, SegmentationDataset.Load(PairsFolder()).Layout);
        Assert.Equal(DatasetLayout.Cvppp, SegmentationDataset.Load(CvpppFolder(), new SegmentationDatasetOptions { Layout = DatasetLayout.Auto }).Layout);
    }

    [Fact]
    public void AutoFailsClearlyWhenNeitherLayoutFits()
    {
        var root = TestPaths.NewTempDirectory();
        File.WriteAllText(Path.Combine(root, "notes.txt"), "x");
        TestImages.WriteRgb(Path.Combine(root, "photos", "leaf.png"), 4, 4, SKColors.Green);
        var error = Assert.Throws<DatasetException>(() => SegmentationDataset.Load(root));
        Assert.Contains("1 .png", error.Message);
        Assert.Contains("1 .txt", error.Message);
        Assert.Contains("[photos]", error.Message);
        Assert.Contains("images/", error.Message);
    }

    [Fact]
    public void PaletteColourMaskCountsEveryNonBlackPixel()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "label.png");
        TestImages.WriteOneBitPalettePng(path, Square, (0, 0, 0), (40, 0, 60)); // a dark instance colour
        Assert.Equal(30, MaskReader.Read(path).ForegroundCount());
    }

    [Fact]
    public void EachBadSampleIsNamedOrSkippedWithItsReason()
    {
        var root = CvpppFolder();
        var a1 = Path.Combine(root, "A1");
        // missing mask
        TestImages.WriteRgb(Path.Combine(a1, "plant003_rgb.png"), Width, Height, SKColors.Brown);
        // size mismatch
        TestImages.WriteRgb(Path.Combine(a1, "plant004_rgb.png"), Width, Height, SKColors.Brown);
        TestImages.WriteOneBitPalettePng(Path.Combine(a1, "plant004_fg.png"), TestImages.Rectangle(Width + 1, Height, 0, 0, 3, 3), (0, 0, 0), (255, 255, 255));
        // truncated image
        var big = TestImages.Rectangle(200, 150, 0, 0, 50, 50);
        TestImages.WriteRgb(Path.Combine(a1, "plant005_rgb.png"), 200, 150, SKColors.Brown, SKColors.Green);
        TestImages.WriteOneBitPalettePng(Path.Combine(a1, "plant005_fg.png"), big, (0, 0, 0), (255, 255, 255));
        TestImages.Truncate(Path.Combine(a1, "plant005_rgb.png"), 0.6);
        // empty mask, stored as 0/1 grey values
        TestImages.WriteRgb(Path.Combine(a1, "plant006_rgb.png"), Width, Height, SKColors.Brown);
        TestImages.WriteGreyMask(Path.Combine(a1, "plant006_fg.png"), Square, on: 1);
        // not an image at all
        File.WriteAllText(Path.Combine(a1, "plant007_rgb.png"), "this is text");
        TestImages.WriteOneBitPalettePng(Path.Combine(a1, "plant007_fg.png"), Square, (0, 0, 0), (255, 255, 255));

        var error = Assert.Throws<DatasetException>(() => SegmentationDataset.Load(root));
        Assert.Contains("plant003_fg.png", error.Message);
        Assert.Contains("missing mask", error.Message);

        var dataset = SegmentationDataset.Load(root, new SegmentationDatasetOptions { OnBadSample = OnBadSample.Skip });
        Assert.Equal(new[] { "A1/plant001", "A1/plant002", "A2/plant001" }, dataset.Samples.Select(s => s.Name));
        Assert.Equal(3, dataset.Report.KeptCount);
        var reasons = dataset.Report.Skipped.ToDictionary(s => s.Name, s => (File: Path.GetFileName(s.File), s.Reason));
        Assert.Equal(5, reasons.Count);
        Assert.Equal("plant003_fg.png", reasons["A1/plant003"].File);
        Assert.StartsWith("size mismatch", reasons["A1/plant004"].Reason);
        Assert.Contains("13 x 10", reasons["A1/plant004"].Reason);
        Assert.Equal("plant005_rgb.png", reasons["A1/plant005"].File);
        Assert.Contains("truncated", reasons["A1/plant005"].Reason);
        Assert.StartsWith("empty mask", reasons["A1/plant006"].Reason);
        Assert.Contains("largest value 1", reasons["A1/plant006"].Reason);
        Assert.Contains("not a readable image", reasons["A1/plant007"].Reason);
        Assert.Contains("skipped 5", dataset.Report.ToString());
    }

    [Fact]
    public void PairsReportMasksWithoutImagesAndMissingMasks()
    {
        var root = PairsFolder();
        TestImages.WriteGreyMask(Path.Combine(root, "masks", "orphan.png"), Square);
        TestImages.WriteRgb(Path.Combine(root, "images", "lonely.png"), Width, Height, SKColors.Gray);
        var dataset = SegmentationDataset.Load(root, new SegmentationDatasetOptions { OnBadSample = OnBadSample.Skip });
        Assert.Equal(3, dataset.Samples.Count);
        Assert.Equal("lonely", Assert.Single(dataset.Report.Skipped).Name);
        Assert.Contains(dataset.Report.Warnings, w => w.Contains("orphan.png"));
    }

    [Fact]
    public void DataViewHasTextAndImageColumnsAndLoadsOddFormatsAsRgb()
    {
        var root = TestPaths.NewTempDirectory();
        TestImages.WriteRgb16Png(Path.Combine(root, "images", "deep.png"), Width, Height, 65535, 32896, 0); // 16-bit: (255, 128, 0)
        TestImages.WriteOneBitPalettePng(Path.Combine(root, "masks", "deep.png"), Square, (0, 0, 0), (255, 255, 255));
        var dataset = SegmentationDataset.Load(root);

        var mlContext = new MLContext(seed: 0);
        var view = dataset.ToDataView(mlContext);
        foreach (var column in new[] { ColumnNames.ImagePath, ColumnNames.MaskPath, ColumnNames.Name })
            Assert.Equal(TextDataViewType.Instance, view.Schema[column].Type);
        Assert.IsType<ImageDataViewType>(view.Schema[ColumnNames.Image].Type);
        Assert.IsType<ImageDataViewType>(view.Schema[ColumnNames.Mask].Type);

        var names = view.GetColumn<string>(ColumnNames.Name).ToList();
        Assert.Equal(new[] { "deep" }, names);
        // LoadImages disposes each MLImage when the cursor moves on, so read it inside the cursor.
        using var cursor = view.GetRowCursor(new[] { view.Schema[ColumnNames.Image], view.Schema[ColumnNames.Mask] });
        var getImage = cursor.GetGetter<MLImage>(view.Schema[ColumnNames.Image]);
        var getMask = cursor.GetGetter<MLImage>(view.Schema[ColumnNames.Mask]);
        Assert.True(cursor.MoveNext());
        MLImage image = null!, mask = null!;
        getImage(ref image);
        getMask(ref mask);
        Assert.Equal((Width, Height), (image.Width, image.Height));
        var pixel = image.Pixels[..4].ToArray();
        var (r, g, b) = image.PixelFormat == MLPixelFormat.Bgra32 ? (pixel[2], pixel[1], pixel[0]) : (pixel[0], pixel[1], pixel[2]);
        Assert.Equal(((byte)255, (byte)128, (byte)0), (r, g, b));
        Assert.Equal(30, BinaryMask.FromMLImage(mask).ForegroundCount());
    }

    [Theory]
    [InlineData("grey")]
    [InlineData("palette")]
    [InlineData("rgba")]
    public void GreyPaletteAndRgbaImagesLoadAsRgb(string kind)
    {
        var root = TestPaths.NewTempDirectory();
        var imagePath = Path.Combine(root, "images", "x.png");
        switch (kind)
        {
            case "grey": TestImages.WriteGreyMask(imagePath, Square, on: 200); break;
            case "palette": TestImages.WriteOneBitPalettePng(imagePath, Square, (0, 0, 0), (200, 200, 200)); break;
            default:
                using (var bitmap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Unpremul)))
                {
                    bitmap.Erase(SKColors.Black);
                    for (var y = 0; y < Height; y++)
                        for (var x = 0; x < Width; x++)
                            if (Square[y, x]) bitmap.SetPixel(x, y, new SKColor(200, 200, 200, 255));
                    Directory.CreateDirectory(Path.GetDirectoryName(imagePath)!);
                    using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
                    File.WriteAllBytes(imagePath, data.ToArray());
                }
                break;
        }
        TestImages.WriteGreyMask(Path.Combine(root, "masks", "x.png"), Square);

        var view = SegmentationDataset.Load(root).ToDataView(new MLContext(seed: 0));
        using var cursor = view.GetRowCursor(new[] { view.Schema[ColumnNames.Image] });
        var getImage = cursor.GetGetter<MLImage>(view.Schema[ColumnNames.Image]);
        Assert.True(cursor.MoveNext());
        MLImage image = null!;
        getImage(ref image);
        var pixels = image.Pixels;
        for (var y = 0; y < Height; y++)
            for (var x = 0; x < Width; x++)
            {
                var o = 4 * (y * Width + x);
                var expected = Square[y, x] ? (byte)200 : (byte)0;
                Assert.Equal((expected, expected, expected), (pixels[o], pixels[o + 1], pixels[o + 2]));
            }
    }
}
