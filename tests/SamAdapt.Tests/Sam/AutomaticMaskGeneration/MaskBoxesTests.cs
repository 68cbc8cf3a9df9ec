using SamAdapt.Sam.AutomaticMaskGeneration;
using TorchSharp;

namespace SamAdapt.Tests.Sam.AutomaticMaskGeneration;

/// <summary>Boxes around masks, corners inclusive, zeros for an empty mask (batched_mask_to_box).</summary>
public class MaskBoxesTests
{
    [Fact]
    public void BoxesSpanTheFirstAndLastSetRowAndColumn()
    {
        using var scope = torch.NewDisposeScope();
        var masks = torch.zeros(new long[] { 3, 5, 6 }, torch.ScalarType.Bool);
        masks[0, 1, 2] = torch.tensor(true);
        masks[0, 3, 4] = torch.tensor(true);
        masks[1, 4, 0] = torch.tensor(true);
        var boxes = MaskBoxes.FromMasks(masks).data<long>().ToArray();
        Assert.Equal(new long[] { 2, 1, 4, 3, 0, 4, 0, 4, 0, 0, 0, 0 }, boxes);
    }
}
