using SamAdapt.Imaging;
using SamAdapt.Reporting;

namespace SamAdapt.Tests.Reporting;

public class OverlayFigureTests
{
    const int W = 40, H = 30;

    static RgbImage Source() => new(W, H, Enumerable.Range(0, W * H)
        .SelectMany(i => new[] { (byte)(100 + i % W), (byte)(105 + i / W), (byte)(115 - i % 7) }).ToArray());

    static bool InRect(int x, int y, int left, int top, int right, int bottom) => x >= left && x < right && y >= top && y < bottom;

    static bool[] Mask(int left, int top, int right, int bottom) =>
        Enumerable.Range(0, W * H).Select(i => InRect(i % W, i / W, left, top, right, bottom)).ToArray();

    /// <summary>The figure's pixel at the centre of source pixel (x, y) in panel <paramref name="panel"/>.</summary>
    static (byte R, byte G, byte B) At(RgbImage figure, OverlayLayout layout, int panel, int x, int y) =>
        figure[layout.PanelLefts[panel] + (int)((x + 0.5) * layout.PanelWidth / W), layout.PanelTop + (int)((y + 0.5) * layout.PanelHeight / H)];

    [Fact]
    public void PanelsShowTheImageAndTintTruthGreenAndPredictionMagenta()
    {
        var image = Source();
        var truth = Mask(5, 5, 25, 20);
        var predicted = Mask(15, 10, 35, 26);
        var path = Path.Combine(TestPaths.NewTempDirectory(), "figures", "overlay.png");

        OverlayFigure.Save(image, truth, predicted, "adapted (oracle) - plant017 - IoU 0.912", path);

        var figure = RgbImage.Load(path);
        var layout = OverlayLayout.For(W, H);
        Assert.Equal((layout.Width, layout.Height), (figure.Width, figure.Height));
        Assert.True(layout.PanelWidth >= 3 * W && figure.Width >= 3 * layout.PanelWidth, $"{figure.Width}x{figure.Height}");
        int tintedGreen = 0, tintedMagenta = 0;
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
            {
                var source = image[x, y];
                Assert.Equal(source, At(figure, layout, 0, x, y));
                var withTruth = At(figure, layout, 1, x, y);
                var withPrediction = At(figure, layout, 2, x, y);
                if (InRect(x, y, 6, 6, 24, 19))
                {
                    Assert.True(withTruth.G >= source.G + 15 && withTruth.R + 15 <= source.R, $"truth at ({x},{y}): {withTruth} vs {source}");
                    tintedGreen++;
                }
                else if (!InRect(x, y, 4, 4, 26, 21))
                    Assert.Equal(source, withTruth);
                if (InRect(x, y, 16, 11, 34, 25) && !InRect(x, y, 4, 4, 26, 21))
                {
                    Assert.True(withPrediction.R >= source.R + 15 && withPrediction.B >= source.B + 15 && withPrediction.G + 15 <= source.G,
                        $"prediction at ({x},{y}): {withPrediction} vs {source}");
                    tintedMagenta++;
                }
                else if (!InRect(x, y, 14, 9, 36, 27) && !InRect(x, y, 4, 4, 26, 21))
                    Assert.Equal(source, withPrediction);
            }
        Assert.True(tintedGreen > 200 && tintedMagenta > 100, $"{tintedGreen} green, {tintedMagenta} magenta pixels checked");
    }

    [Fact]
    public void LargeImagesAreShrunkToABoundedPanelWithTheMaskInPlace()
    {
        const int width = 700, height = 350;
        var image = new RgbImage(width, height, new byte[width * height * 3]);
        var leftHalf = Enumerable.Range(0, width * height).Select(i => i % width < width / 2).ToArray();
        var path = Path.Combine(TestPaths.NewTempDirectory(), "large.png");

        OverlayFigure.Save(image, leftHalf, new bool[width * height], "large", path);

        var figure = RgbImage.Load(path);
        Assert.InRange(figure.Width, 900, 1100);
        Assert.InRange(figure.Height, 160 + 50, 160 + 150);
        var layout = OverlayLayout.For(width, height);
        Assert.Equal((320, 160), (layout.PanelWidth, layout.PanelHeight));
        var insideTruth = figure[layout.PanelLefts[1] + layout.PanelWidth / 4, layout.PanelTop + layout.PanelHeight / 2];
        var outsideTruth = figure[layout.PanelLefts[1] + 3 * layout.PanelWidth / 4, layout.PanelTop + layout.PanelHeight / 2];
        Assert.True(insideTruth.G > 40 && insideTruth.G > insideTruth.R + 40, $"inside the truth: {insideTruth}");
        Assert.Equal(((byte)0, (byte)0, (byte)0), outsideTruth);
    }

    [Fact]
    public void NonAsciiAndOverlongTitlesAreDrawn()
    {
        var image = Source();
        var truth = Mask(5, 5, 25, 20);
        var directory = TestPaths.NewTempDirectory();

        OverlayFigure.Save(image, truth, truth, "Überprüfung – 植物 017 – IoU 0.912 ✓ ½ 🌱", Path.Combine(directory, "unicode.png"));
        OverlayFigure.Save(image, truth, truth, string.Concat(Enumerable.Repeat("very long title ", 40)), Path.Combine(directory, "long.png"));
        OverlayFigure.Save(image, truth, truth, string.Concat(Enumerable.Repeat("🌱é", 300)), Path.Combine(directory, "emoji.png"));

        Assert.Equal(OverlayLayout.For(W, H).Width, RgbImage.Load(Path.Combine(directory, "unicode.png")).Width);
        Assert.Equal(OverlayLayout.For(W, H).Width, RgbImage.Load(Path.Combine(directory, "long.png")).Width);
        Assert.Equal(OverlayLayout.For(W, H).Width, RgbImage.Load(Path.Combine(directory, "emoji.png")).Width);
    }

    [Theory]
    [InlineData(W * H - 1, W * H, "truth")]
    [InlineData(W * H, W * H + 1, "predicted")]
    [InlineData(H, W * H, "truth")]
    public void MasksOfTheWrongLengthAreRejected(int truthLength, int predictedLength, string named)
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "bad.png");

        var error = Assert.Throws<ArgumentException>(() =>
            OverlayFigure.Save(Source(), new bool[truthLength], new bool[predictedLength], "bad", path));

        Assert.Equal(named, error.ParamName);
        Assert.Contains($"{W} x {H}", error.Message);
        Assert.False(File.Exists(path));
    }
}
