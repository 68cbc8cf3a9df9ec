using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace SamAdapt.DeployTests;

/// <summary>The two file formats the tests exchange with the CLI, written and read by hand (this project has no image library).</summary>
public static class TestFiles
{
    /// <summary>Writes RGB bytes (row by row) as a 24-bit BMP: BITMAPINFOHEADER, bottom-up rows of BGR padded to 4 bytes.</summary>
    public static void WriteBmp(string path, byte[] rgb, int width, int height)
    {
        int stride = (width * 3 + 3) / 4 * 4;
        var file = new byte[54 + stride * height];
        file[0] = (byte)'B';
        file[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(2), file.Length);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(28), 24);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(34), stride * height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int source = (y * width + x) * 3, target = 54 + (height - 1 - y) * stride + x * 3;
                file[target] = rgb[source + 2];
                file[target + 1] = rgb[source + 1];
                file[target + 2] = rgb[source];
            }
        File.WriteAllBytes(path, file);
    }

    /// <summary>Reads the float32 tensor <paramref name="name"/> of a safetensors file: its shape and its values, row by row.</summary>
    public static (long[] Shape, float[] Values) ReadSafetensor(string path, string name)
    {
        var bytes = File.ReadAllBytes(path);
        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        using var header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, (int)headerLength));
        var entry = header.RootElement.GetProperty(name);
        Assert.Equal("F32", entry.GetProperty("dtype").GetString());
        var shape = entry.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
        var offsets = entry.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt32()).ToArray();
        var values = new float[(offsets[1] - offsets[0]) / 4];
        Buffer.BlockCopy(bytes, 8 + (int)headerLength + offsets[0], values, 0, offsets[1] - offsets[0]);
        return (shape, values);
    }
}
