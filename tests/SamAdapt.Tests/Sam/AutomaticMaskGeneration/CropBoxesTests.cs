using SamAdapt.Sam.AutomaticMaskGeneration;

namespace SamAdapt.Tests.Sam.AutomaticMaskGeneration;

/// <summary>Crop boxes (generate_crop_boxes) and point grids (build_point_grid, build_all_layer_point_grids).</summary>
public class CropBoxesTests
{
    [Fact]
    public void NoCropLayerIsTheWholeImage()
    {
        var crops = CropBoxes.Generate(530, 500, 0, 512.0 / 1500);
        Assert.Equal((new CropBox(0, 0, 500, 530), 0), Assert.Single(crops));
    }

    // One layer on 530 x 500 (h x w): overlap int(512/1500 * 500 * 2/2) = int(170.67) = 170;
    // crop width ceil((170 + 500) / 2) = 335, height ceil((170 + 530) / 2) = 350; left edges 0, 335 - 170 = 165,
    // top edges 0, 350 - 170 = 180; ordered by left edge, then top edge.
    [Fact]
    public void OneCropLayerOn500x530()
    {
        var crops = CropBoxes.Generate(530, 500, 1, 512.0 / 1500);
        var expected = new[]
        {
            (new CropBox(0, 0, 500, 530), 0),
            (new CropBox(0, 0, 335, 350), 1), (new CropBox(0, 180, 335, 530), 1),
            (new CropBox(165, 0, 500, 350), 1), (new CropBox(165, 180, 500, 530), 1),
        };
        Assert.Equal(expected, crops);
    }

    [SharedFixtureFact(AmgReference.FixtureName)]
    public void OneCropLayerMatchesTheFixturesCropBoxes()
    {
        var reference = new AmgReference(TestPaths.SharedFixture(AmgReference.FixtureName)!);
        var crops = CropBoxes.Generate(reference.Height, reference.Width, 1, reference.Settings["grid8_crops"].Options.CropOverlapRatio);
        Assert.Equal(reference.CropBoxes, crops.Select(c => c.Box));
    }

    [Fact]
    public void TwoCropLayersHaveOnePlusFourPlusSixteenCrops()
    {
        var crops = CropBoxes.Generate(530, 500, 2, 512.0 / 1500);
        Assert.Equal(new[] { 1, 4, 16 }, crops.GroupBy(c => c.Layer).Select(g => g.Count()));
        Assert.All(crops, c => Assert.True(c.Box.X1 <= 500 && c.Box.Y1 <= 530 && c.Box.Width > 0 && c.Box.Height > 0));
    }

    [Fact]
    public void PointGridIsCentredInItsCellsRowByRow()
    {
        Assert.Equal(new[] { (0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75) }, PointGrid.Build(2));
        Assert.Equal(new[] { (0.5, 0.5) }, PointGrid.Build(1));
    }

    [Fact]
    public void LayerGridsShrinkByTheDownscaleFactor()
    {
        var grids = PointGrid.BuildAllLayers(9, 2, 2);
        Assert.Equal(new[] { 81, 16, 4 }, grids.Select(g => g.Count));
    }

    [SharedFixtureFact(AmgReference.FixtureName)]
    public void OfficialPromptPointsLieOnTheGrid()
    {
        var reference = new AmgReference(TestPaths.SharedFixture(AmgReference.FixtureName)!);
        var grid = PointGrid.Build(16).Select(p => (p.X * reference.Width, p.Y * reference.Height)).ToHashSet();
        Assert.All(reference.Settings["grid16"].Records, r => Assert.Contains(r.Point, grid));
    }
}
