namespace SamAdapt.Imaging;

/// <summary>
/// PIL's <c>Image.resize(size, BILINEAR)</c> for 8-bit images, reproduced bit for bit: separable,
/// the horizontal pass first, then the vertical pass on the 8-bit result of the first; a triangle
/// filter widened by the scale when shrinking; weights in fixed point with 22 fractional bits.
/// This is what SAM's <c>ResizeLongestSide.apply_image</c> does through torchvision.
/// </summary>
public static class PilBilinearResize
{
    const int PrecisionBits = 32 - 8 - 2;

    /// <summary>Resizes an RGB image to <paramref name="newWidth"/> x <paramref name="newHeight"/>.</summary>
    public static RgbImage Resize(RgbImage image, int newWidth, int newHeight)
    {
        ArgumentNullException.ThrowIfNull(image);
        var pixels = Resize(image.Pixels.Span, image.Width, image.Height, RgbImage.Channels, newWidth, newHeight);
        return RgbImage.Wrap(newWidth, newHeight, pixels);
    }

    /// <summary>
    /// Resizes interleaved 8-bit pixels, [height, width, channels] row-major, to
    /// [newHeight, newWidth, channels].
    /// </summary>
    public static byte[] Resize(ReadOnlySpan<byte> pixels, int width, int height, int channels, int newWidth, int newHeight)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"The image size {width}x{height} must be positive.");
        if (channels <= 0) throw new ArgumentOutOfRangeException(nameof(channels), $"channels is {channels}; expected at least 1.");
        if (newWidth <= 0) throw new ArgumentOutOfRangeException(nameof(newWidth), $"newWidth is {newWidth}; expected at least 1.");
        if (newHeight <= 0) throw new ArgumentOutOfRangeException(nameof(newHeight), $"newHeight is {newHeight}; expected at least 1.");
        if (pixels.Length != (long)width * height * channels)
            throw new ArgumentException($"{pixels.Length} pixel bytes do not make a {width}x{height} image with {channels} channels ({(long)width * height * channels} bytes).", nameof(pixels));

        var source = pixels.ToArray();
        if (newWidth != width)
            source = ResampleHorizontal(source, width, height, channels, newWidth);
        if (newHeight != height)
            source = ResampleVertical(source, newWidth, height, channels, newHeight);
        return source;
    }

    /// <summary>Filter taps of one axis: for output index i, inputs First[i] .. First[i]+Count[i]-1 with Weights[i*KernelSize + k].</summary>
    readonly record struct Coefficients(int[] First, int[] Count, int[] Weights, int KernelSize);

    static Coefficients Precompute(int inSize, int outSize)
    {
        double scale = (double)inSize / outSize;
        double filterScale = Math.Max(scale, 1.0);
        double support = filterScale; // the bilinear filter's support is 1
        int kernelSize = (int)Math.Ceiling(support) * 2 + 1;
        var first = new int[outSize];
        var count = new int[outSize];
        var weights = new int[outSize * kernelSize];
        var real = new double[kernelSize];
        double inverseFilterScale = 1.0 / filterScale; // PIL multiplies by the reciprocal; dividing can differ in the last bit
        for (int i = 0; i < outSize; i++)
        {
            double center = (i + 0.5) * scale;
            int min = Math.Max((int)(center - support + 0.5), 0);
            int max = Math.Min((int)(center + support + 0.5), inSize) - min;
            double total = 0;
            for (int k = 0; k < max; k++)
            {
                double w = Triangle((k + min - center + 0.5) * inverseFilterScale);
                real[k] = w;
                total += w;
            }
            for (int k = 0; k < max; k++)
            {
                double w = total != 0 ? real[k] / total : real[k];
                double fixedPoint = w * (1 << PrecisionBits);
                weights[i * kernelSize + k] = (int)(w < 0 ? fixedPoint - 0.5 : fixedPoint + 0.5);
            }
            first[i] = min;
            count[i] = max;
        }
        return new Coefficients(first, count, weights, kernelSize);
    }

    static double Triangle(double x)
    {
        x = Math.Abs(x);
        return x < 1 ? 1 - x : 0;
    }

    static byte Clip(long sum)
    {
        if (sum <= 0) return 0;
        long value = sum >> PrecisionBits;
        return value >= 255 ? (byte)255 : (byte)value;
    }

    static byte[] ResampleHorizontal(byte[] source, int width, int height, int channels, int newWidth)
    {
        var c = Precompute(width, newWidth);
        var result = new byte[newWidth * height * channels];
        Parallel.For(0, height, y =>
        {
            int inRow = y * width * channels, outRow = y * newWidth * channels;
            for (int x = 0; x < newWidth; x++)
            {
                int first = c.First[x], n = c.Count[x], w0 = x * c.KernelSize;
                for (int ch = 0; ch < channels; ch++)
                {
                    long sum = 1 << (PrecisionBits - 1);
                    int at = inRow + first * channels + ch;
                    for (int k = 0; k < n; k++, at += channels)
                        sum += source[at] * (long)c.Weights[w0 + k];
                    result[outRow + x * channels + ch] = Clip(sum);
                }
            }
        });
        return result;
    }

    static byte[] ResampleVertical(byte[] source, int width, int height, int channels, int newHeight)
    {
        var c = Precompute(height, newHeight);
        int rowLength = width * channels;
        var result = new byte[newHeight * rowLength];
        Parallel.For(0, newHeight, y =>
        {
            int first = c.First[y], n = c.Count[y], w0 = y * c.KernelSize, outRow = y * rowLength;
            for (int i = 0; i < rowLength; i++)
            {
                long sum = 1 << (PrecisionBits - 1);
                int at = first * rowLength + i;
                for (int k = 0; k < n; k++, at += rowLength)
                    sum += source[at] * (long)c.Weights[w0 + k];
                result[outRow + i] = Clip(sum);
            }
        });
        return result;
    }
}
