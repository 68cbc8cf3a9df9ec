namespace SamAdapt.Weights;

/// <summary>Loads a weight file in whichever format its content shows: a PyTorch checkpoint (zip) or safetensors.</summary>
public static class WeightFile
{
    /// <summary>
    /// Reads the tensors of <paramref name="path"/> onto the CPU: with <see cref="PyTorchCheckpoint.Load"/> when it
    /// starts like a zip archive (or a legacy pickle, which that reader explains), with <see cref="SafeTensors.Load"/>
    /// when it starts with an 8-byte header length followed by <c>{</c>.
    /// </summary>
    /// <exception cref="ModelFormatException">The file is neither format, or is malformed; the message names the file.</exception>
    public static StateDict Load(string path)
    {
        var head = new byte[9];
        int n;
        using (var stream = SafeTensors.OpenRead(path))
        {
            try { n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false); }
            catch (IOException e) { throw new ModelFormatException($"{path}: cannot read the file ({e.Message}).", e); }
        }
        if (n >= 2 && (head[0] == (byte)'P' && head[1] == (byte)'K' || head[0] == 0x80 && head[1] <= 5))
            return PyTorchCheckpoint.Load(path);
        if (n == head.Length && head[8] == (byte)'{')
            return SafeTensors.Load(path);
        throw new ModelFormatException(
            $"{path} is neither a PyTorch checkpoint (a zip archive written by torch.save) nor a safetensors file " +
            $"(an 8-byte header length, then a JSON object); it starts with bytes {(n == 0 ? "(none: the file is empty)" : Convert.ToHexString(head, 0, n))}.");
    }
}
