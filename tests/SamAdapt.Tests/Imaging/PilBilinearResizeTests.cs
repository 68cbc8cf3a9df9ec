using SamAdapt.Imaging;

namespace SamAdapt.Tests.Imaging;

public class PilBilinearResizeTests
{
    static byte[] Row(params byte[] values) => values;

    [Fact]
    public void UpscalingARowFollowsPilsTapsAndRounding()
    {
        // 2 -> 4: centres 0.25, 0.75, 1.25, 1.75 in input pixels; the outer outputs see one tap each,
        // the inner ones weights (0.75, 0.25) and (0.25, 0.75). 0.5 rounds up, 1.5 rounds up.
        Assert.Equal(Row(0, 50, 150, 200), PilBilinearResize.Resize(Row(0, 200), 2, 1, 1, 4, 1));
        Assert.Equal(Row(0, 1, 2, 2), PilBilinearResize.Resize(Row(0, 2), 2, 1, 1, 4, 1));
    }

    [Fact]
    public void DownscalingARowWidensTheFilter()
    {
        // 4 -> 2: filter scale 2, support 2; output 0 (centre 1) takes inputs 0..2 with weights 3:3:1,
        // output 1 (centre 3) inputs 1..3 with 1:3:3. (300 + 200) / 7 = 71.4, (100 + 600 + 750) / 7 = 207.1.
        Assert.Equal(Row(71, 207), PilBilinearResize.Resize(Row(0, 100, 200, 250), 4, 1, 1, 2, 1));
    }

    [Fact]
    public void TheVerticalPassUsesTheSameFilter()
    {
        // A column image [4, 1] behaves like the row above, per channel.
        var column = new byte[] { 0, 10, 100, 20, 200, 30, 250, 40 }; // 4 rows x 1 column x 2 channels
        var resized = PilBilinearResize.Resize(column, 1, 4, 2, 1, 2);
        Assert.Equal(new byte[] { 71, 17, 207, 33 }, resized); // (30+60+30)/7 = 17.1, (20+90+120)/7 = 32.9
    }

    [Theory]
    [InlineData(7, 5, 3, 11)]
    [InlineData(13, 9, 13, 4)]
    [InlineData(200, 150, 37, 29)]
    [InlineData(3, 3, 1, 1)]
    public void AConstantImageStaysConstantAtAnySize(int width, int height, int newWidth, int newHeight)
    {
        var pixels = Enumerable.Range(0, width * height).SelectMany(_ => new byte[] { 255, 0, 77 }).ToArray();
        var resized = PilBilinearResize.Resize(new RgbImage(width, height, pixels), newWidth, newHeight);
        Assert.Equal((newWidth, newHeight), (resized.Width, resized.Height));
        for (int y = 0; y < newHeight; y++)
            for (int x = 0; x < newWidth; x++)
                Assert.Equal(((byte)255, (byte)0, (byte)77), resized[x, y]);
    }

    [Fact]
    public void TheSameSizeIsTheIdentity()
    {
        var random = new Random(7);
        var pixels = new byte[9 * 5 * 3];
        random.NextBytes(pixels);
        var image = new RgbImage(9, 5, pixels);
        var resized = PilBilinearResize.Resize(image, 9, 5);
        Assert.Equal(pixels, resized.Pixels.ToArray());
    }

    [Fact]
    public void ARampStaysOrderedWhenShrunkToAnOddSize()
    {
        var ramp = Enumerable.Range(0, 101).Select(i => (byte)(i * 2)).ToArray();
        var resized = PilBilinearResize.Resize(ramp, 101, 1, 1, 33, 1);
        Assert.Equal(33, resized.Length);
        for (int i = 1; i < resized.Length; i++) Assert.True(resized[i] >= resized[i - 1], $"output {i} decreases");
        Assert.True(resized[0] < 10 && resized[^1] > 190, "the ends keep their values roughly");
    }

    [Fact]
    public void BadSizesAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PilBilinearResize.Resize(new byte[3], 1, 1, 3, 0, 1));
        var error = Assert.Throws<ArgumentException>(() => PilBilinearResize.Resize(new byte[5], 2, 1, 3, 1, 1));
        Assert.Contains("2x1", error.Message);
    }
}
