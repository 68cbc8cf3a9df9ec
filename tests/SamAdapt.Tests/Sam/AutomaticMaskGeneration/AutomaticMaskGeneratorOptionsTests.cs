using SamAdapt.Sam.AutomaticMaskGeneration;

namespace SamAdapt.Tests.Sam.AutomaticMaskGeneration;

/// <summary>The generator's options: the official defaults, and validation messages naming the parameter and its range.</summary>
public class AutomaticMaskGeneratorOptionsTests
{
    [Fact]
    public void DefaultsAreTheOfficialOnes()
    {
        var options = new AutomaticMaskGeneratorOptions();
        Assert.Equal(32, options.PointsPerSide);
        Assert.Null(options.PointGrids);
        Assert.Equal(64, options.PointsPerBatch);
        Assert.Equal(0.88, options.PredIouThresh);
        Assert.Equal(0.95, options.StabilityScoreThresh);
        Assert.Equal(1.0, options.StabilityScoreOffset);
        Assert.Equal(0.7, options.BoxNmsThresh);
        Assert.Equal(0, options.CropNLayers);
        Assert.Equal(0.7, options.CropNmsThresh);
        Assert.Equal(512.0 / 1500, options.CropOverlapRatio);
        Assert.Equal(1, options.CropNPointsDownscaleFactor);
        Assert.Equal(0, options.MinMaskRegionArea);
        options.Validate();
    }

    public static TheoryData<AutomaticMaskGeneratorOptions, string, string> Invalid() => new()
    {
        { new() { PointsPerSide = 0 }, "PointsPerSide", "1 or more" },
        { new() { PointsPerBatch = 0 }, "PointsPerBatch", "1 or more" },
        { new() { PredIouThresh = 1.5 }, "PredIouThresh", "0 <= value <= 1" },
        { new() { StabilityScoreThresh = -0.1 }, "StabilityScoreThresh", "0 <= value <= 1" },
        { new() { StabilityScoreOffset = double.NaN }, "StabilityScoreOffset", "0 or more" },
        { new() { BoxNmsThresh = 2 }, "BoxNmsThresh", "0 <= value <= 1" },
        { new() { CropNLayers = -1 }, "CropNLayers", "0 to 6" },
        { new() { CropNmsThresh = double.NaN }, "CropNmsThresh", "0 <= value <= 1" },
        { new() { CropOverlapRatio = 1 }, "CropOverlapRatio", "0 <= value < 1" },
        { new() { CropNPointsDownscaleFactor = 0 }, "CropNPointsDownscaleFactor", "1 or more" },
        { new() { MinMaskRegionArea = -5 }, "MinMaskRegionArea", "0 or more" },
        { new() { PointsPerSide = 4, CropNLayers = 3, CropNPointsDownscaleFactor = 2 }, "CropNPointsDownscaleFactor", "at least 1 point per side" },
        { new() { PointsPerSide = null }, "PointGrids", "Exactly one" },
        { new() { PointGrids = new[] { new[] { (0.5, 0.5) } } }, "PointGrids", "Exactly one" },
        { new() { PointsPerSide = null, CropNLayers = 1, PointGrids = new[] { new[] { (0.5, 0.5) } } }, "PointGrids", "one per crop layer, 2" },
        { new() { PointsPerSide = null, PointGrids = new[] { new[] { (0.5, 1.5) } } }, "PointGrids[0]", "in [0, 1]" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void ValidationNamesTheParameterAndItsRange(AutomaticMaskGeneratorOptions options, string parameter, string range)
    {
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains(parameter, error.Message);
        Assert.Contains(range, error.Message);
    }

    [Fact]
    public void ExplicitGridsServeTheirLayers()
    {
        var grids = new[] { new[] { (0.5, 0.5) }, new[] { (0.25, 0.25), (0.75, 0.75) } };
        var options = new AutomaticMaskGeneratorOptions { PointsPerSide = null, PointGrids = grids, CropNLayers = 1 };
        Assert.Same(grids, options.LayerPointGrids());
    }
}
