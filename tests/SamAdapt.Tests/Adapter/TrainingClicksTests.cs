using SamAdapt.Adapter;
using static TorchSharp.torch;

namespace SamAdapt.Tests.Adapter;

/// <summary>Training clicks in SAM's low-res frame (64 x 64 here, frame 256: 4 frame pixels per low-res pixel).</summary>
public class TrainingClicksTests
{
    const int LowRes = 64, Frame = 256;

    static Tensor Square(int x0, int y0, int side)
    {
        var mask = zeros(LowRes, LowRes);
        mask[TensorIndex.Slice(y0, y0 + side), TensorIndex.Slice(x0, x0 + side)] = ones(side, side);
        return mask;
    }

    [Fact]
    public void AMissedSquareGetsAPositiveClickAtItsCentreInFramePixels()
    {
        using var scope = NewDisposeScope();
        var target = Square(10, 20, 9);           // low-res pixels 10..18 x 20..28, centre (14, 24)
        var logits = full(LowRes, LowRes, -1f);   // nothing predicted

        var click = TrainingClicks.Next(target, logits, (LowRes, LowRes), Frame);

        // Low-res pixel x covers frame pixels 4x .. 4x + 3, centre 4x + 1.5.
        Assert.Equal(new SamAdapt.Sam.PromptPoint(14 * 4 + 1.5f, 24 * 4 + 1.5f, 1), click);
    }

    [Fact]
    public void TheLargerOfTwoErrorsWinsAndAFalseRegionGetsANegativeClick()
    {
        using var scope = NewDisposeScope();
        var target = Square(0, 0, 5);                      // missed: 25 pixels at the corner
        var logits = Square(30, 30, 11).mul(2).sub(1);     // false: 121 pixels, centre (35, 35)
        var click = TrainingClicks.Next(target, logits, (LowRes, LowRes), Frame);
        Assert.Equal(new SamAdapt.Sam.PromptPoint(35 * 4 + 1.5f, 35 * 4 + 1.5f, 0), click);
    }

    [Fact]
    public void ErrorsInSamsPaddingAreIgnored()
    {
        using var scope = NewDisposeScope();
        var target = Square(4, 4, 10);
        var logits = target.mul(2).sub(1) + Square(40, 50, 10).mul(5); // exact inside the image, false foreground below row 32
        Assert.Null(TrainingClicks.Next(target, logits, (32, LowRes), Frame));
        Assert.NotNull(TrainingClicks.Next(target, logits, (LowRes, LowRes), Frame));
    }

    [Theory]
    [InlineData(500, 1000, 128, 256)] // 512 x 1024 in the 1024 frame: the top half of the 256 low-res frame
    [InlineData(530, 500, 256, 242)]  // 1024 x 966: 241.5 low-res columns, rounded up
    public void TheValidRegionIsTheImagesPartOfTheFrame(int height, int width, int validHeight, int validWidth)
    {
        Assert.Equal((validHeight, validWidth), TrainingClicks.ValidRegion((height, width), 1024, 256));
    }
}
