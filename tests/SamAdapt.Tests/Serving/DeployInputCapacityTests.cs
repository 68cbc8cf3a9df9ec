using SamAdapt.Deployment;

namespace SamAdapt.Tests.Serving;

/// <summary>An image larger than the exported capacity is refused naming its size and <c>--max-pixels</c>.</summary>
public class DeployInputCapacityTests
{
    [Fact]
    public void AnImageAboveTheCapacityIsRefusedNamingItsSizeAndMaxPixels()
    {
        var error = Assert.Throws<ArgumentException>(() => DeployInputRow.Create(new byte[12 * 10 * 3], 12, 10, 1, 1, capacity: 100));
        Assert.Contains("12 x 10 = 120 pixels", error.Message);
        Assert.Contains("--max-pixels 100", error.Message);
    }

    [Fact]
    public void AnImageAtTheCapacityIsPaddedToIt()
    {
        var row = DeployInputRow.Create(Enumerable.Repeat((byte)7, 10 * 10 * 3).ToArray(), 10, 10, 2, 3, capacity: 120);
        Assert.Equal(360, row.Pixels.Length);
        Assert.All(row.Pixels.Take(300), b => Assert.Equal(7, b));
        Assert.All(row.Pixels.Skip(300), b => Assert.Equal(0, b));
    }
}
