namespace SamAdapt.Experiments;

/// <summary>Keeps, for one method, the test image with the highest and the one with the lowest IoU, with the predicted masks.</summary>
sealed class ExtremeImages
{
    /// <summary>The best image so far: test index, IoU and predicted mask [H * W]; null before the first.</summary>
    public (int Index, double IoU, bool[] Mask)? Best { get; private set; }

    /// <summary>The worst image so far.</summary>
    public (int Index, double IoU, bool[] Mask)? Worst { get; private set; }

    /// <summary>Offers one image; ties keep the earlier image.</summary>
    public void Add(int index, double iou, bool[] mask)
    {
        if (Best is null || iou > Best.Value.IoU) Best = (index, iou, mask);
        if (Worst is null || iou < Worst.Value.IoU) Worst = (index, iou, mask);
    }
}
