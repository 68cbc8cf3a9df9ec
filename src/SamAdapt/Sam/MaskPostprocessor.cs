using TorchSharp;

namespace SamAdapt.Sam;

/// <summary>
/// SAM's <c>postprocess_masks</c>: low-resolution mask logits are upsampled bilinearly to the input
/// frame, the padding is cropped, and the rest is resized bilinearly to the original image size
/// (computed as one linear map per axis).
/// </summary>
public static class MaskPostprocessor
{
    /// <summary>
    /// [B, K, 4G, 4G] low-res logits -> [B, K, H, W] logits at the original size (bilinear,
    /// align_corners=false at both steps). <paramref name="inputSize"/> is the resized size (h', w')
    /// inside the <paramref name="frame"/> x <paramref name="frame"/> input frame.
    /// </summary>
    public static torch.Tensor Postprocess(torch.Tensor lowResLogits, (int Height, int Width) inputSize, (int Height, int Width) originalSize, long frame)
    {
        ArgumentNullException.ThrowIfNull(lowResLogits);
        if (lowResLogits.ndim != 4)
            throw new ArgumentException($"lowResLogits has shape [{string.Join(", ", lowResLogits.shape)}]; expected [B, K, 4G, 4G].", nameof(lowResLogits));
        if (frame <= 0) throw new ArgumentOutOfRangeException(nameof(frame), $"frame is {frame}; expected the input frame size such as 1024.");
        if (inputSize.Height <= 0 || inputSize.Width <= 0 || inputSize.Height > frame || inputSize.Width > frame)
            throw new ArgumentOutOfRangeException(nameof(inputSize), $"inputSize is {inputSize.Height}x{inputSize.Width}; expected a positive size within the {frame}x{frame} frame.");
        if (originalSize.Height <= 0 || originalSize.Width <= 0)
            throw new ArgumentOutOfRangeException(nameof(originalSize), $"originalSize is {originalSize.Height}x{originalSize.Width}; expected a positive size.");

        using var scope = torch.NewDisposeScope();
        var logits = lowResLogits.is_floating_point() ? lowResLogits : lowResLogits.to(torch.float32);
        long lowRes = logits.shape[2];
        // Both resizes and the crop are linear along each axis, so the three steps are one [H, 4G] matrix on the rows and one
        // [W, 4G] matrix on the columns: the same weights as upsampling to the frame, cropping and resizing, without the
        // [B, K, frame, frame] intermediate (for the automatic mask generator, 192 masks of 1024 x 1024 per batch). Both are
        // banded (BandedRows): the columns first, [B, K, W, 4G] (the low-res rows last), then the rows.
        var columns = BandedRows(AxisMap(lowRes, frame, inputSize.Width, originalSize.Width), originalSize.Width, lowRes, logits.transpose(-1, -2));
        var resized = BandedRows(AxisMap(lowRes, frame, inputSize.Height, originalSize.Height), originalSize.Height, lowRes, columns.transpose(-1, -2));
        return resized.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <paramref name="map"/> [outputs, inputs] (row-major) applied to the rows of x [..., inputs, C] (any strides) -> a contiguous
    /// [..., outputs, C]. A
    /// bilinear map is banded (each output reads a few neighbouring inputs), so the product runs in blocks of output rows, each
    /// over only the window of input rows its weights touch: the same nonzero terms, a small fraction of the multiply-adds.
    /// </summary>
    static torch.Tensor BandedRows(float[] map, int outputs, long inputs, torch.Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        int block = BlockRows(outputs), blocks = (outputs + block - 1) / block;
        var starts = new long[blocks];
        long window = 1;
        for (int b = 0; b < blocks; b++)
        {
            long first = inputs, last = 0;
            for (int o = b * block; o < Math.Min(outputs, (b + 1) * block); o++)
                for (long i = 0; i < inputs; i++)
                {
                    if (map[o * inputs + i] == 0) continue;
                    first = Math.Min(first, i);
                    last = Math.Max(last, i);
                }
            starts[b] = Math.Min(first, last);
            window = Math.Max(window, last - starts[b] + 1);
        }
        // Windows of one length, kept inside the input; rows past the output (padding of the last block) weigh nothing.
        var weights = new float[blocks * block * window];
        var index = new long[blocks * window];
        for (int b = 0; b < blocks; b++)
        {
            starts[b] = Math.Min(starts[b], inputs - window);
            for (long t = 0; t < window; t++) index[b * window + t] = starts[b] + t;
            for (int o = b * block; o < Math.Min(outputs, (b + 1) * block); o++)
                for (long t = 0; t < window; t++)
                    weights[(o * window) + t] = map[o * inputs + starts[b] + t];
        }
        long rowAxis = x.dim() - 2;
        var windows = x.index_select(rowAxis, torch.tensor(index, device: x.device)).unflatten(rowAxis, new[] { (long)blocks, window });
        var blockWeights = torch.tensor(weights, new long[] { blocks, block, window }).to(x.dtype, x.device);
        var product = torch.matmul(blockWeights, windows).flatten(rowAxis, rowAxis + 1); // [..., blocks * block, C]
        var result = blocks * block == outputs ? product : product.narrow(rowAxis, 0, outputs).contiguous();
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>Output rows per block of <see cref="BandedRows"/>: the smallest divisor of <paramref name="outputs"/> from 32 to 128 (no padding to cut off), else 64.</summary>
    static int BlockRows(int outputs)
    {
        for (int rows = 32; rows <= 128; rows++)
            if (outputs % rows == 0) return rows;
        return Math.Min(64, outputs);
    }

    /// <summary>
    /// The linear map [outputSize, lowRes] (row-major) of one axis: bilinear upsampling from <paramref name="lowRes"/> to <paramref name="frame"/>,
    /// keeping the first <paramref name="inputSize"/> samples, then bilinear resizing to <paramref name="outputSize"/>.
    /// </summary>
    static float[] AxisMap(long lowRes, long frame, int inputSize, int outputSize)
    {
        var upsample = BilinearWeights(lowRes, frame, rows: inputSize);
        if (inputSize == outputSize) return upsample;
        var resize = BilinearWeights(inputSize, outputSize, rows: outputSize);
        var combined = new float[outputSize * lowRes];
        for (int i = 0; i < outputSize; i++)
            for (int j = 0; j < inputSize; j++)
            {
                float w = resize[i * inputSize + j];
                if (w == 0) continue;
                for (long k = 0; k < lowRes; k++) combined[i * lowRes + k] += w * upsample[j * lowRes + k];
            }
        return combined;
    }

    /// <summary>
    /// The first <paramref name="rows"/> rows of PyTorch's bilinear resize (align_corners=false, no antialias) from
    /// <paramref name="inputSize"/> to <paramref name="outputSize"/> samples, as a row-major [rows, inputSize] matrix: output i reads
    /// source position (i + 0.5) * inputSize / outputSize - 0.5, clamped at 0, from its two neighbours.
    /// </summary>
    static float[] BilinearWeights(long inputSize, long outputSize, int rows)
    {
        var weights = new float[rows * inputSize];
        float scale = (float)inputSize / outputSize;
        for (int i = 0; i < rows; i++)
        {
            float source = Math.Max(scale * (i + 0.5f) - 0.5f, 0f);
            long low = Math.Min((long)source, inputSize - 1);
            long high = Math.Min(low + 1, inputSize - 1);
            float lambda = source - low;
            weights[i * inputSize + low] += 1 - lambda;
            weights[i * inputSize + high] += lambda;
        }
        return weights;
    }
}
