namespace SamAdapt.Sam.AutomaticMaskGeneration;

/// <summary>What <see cref="MaskRegions.RemoveSmallRegions"/> removes (the <c>mode</c> of the official remove_small_regions).</summary>
public enum SmallRegionMode
{
    /// <summary>Fills small holes: connected regions of unset pixels smaller than the threshold become set.</summary>
    Holes,
    /// <summary>Clears small islands: connected regions of set pixels smaller than the threshold become unset (the largest stays if all are small).</summary>
    Islands,
}
