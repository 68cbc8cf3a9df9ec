using Google.Protobuf;

namespace SamAdapt.Tests.Onnx;

/// <summary>Tiny ONNX files written field by field in protobuf wire format, for reader edge cases.</summary>
public static class HandWrittenOnnx
{
    /// <summary>
    /// Writes <c>hand.onnx</c> in a fresh folder: a ModelProto whose graph (field 7) holds one initializer
    /// (GraphProto field 5) with the TensorProto fields <paramref name="writeTensor"/> writes.
    /// </summary>
    public static string WithOneInitializer(Action<CodedOutputStream> writeTensor)
    {
        var tensor = Message(writeTensor);
        var graph = Message(o => { o.WriteTag(5, WireFormat.WireType.LengthDelimited); o.WriteBytes(ByteString.CopyFrom(tensor)); });
        var model = Message(o => { o.WriteTag(7, WireFormat.WireType.LengthDelimited); o.WriteBytes(ByteString.CopyFrom(graph)); });
        var path = Path.Combine(TestPaths.NewTempDirectory(), "hand.onnx");
        File.WriteAllBytes(path, model);
        return path;
    }

    /// <summary>
    /// Writes <paramref name="name"/> in a fresh folder: the bytes of <paramref name="baseModel"/> followed by a
    /// ModelProto whose graph holds one more initializer; protobuf merges the two graphs into one.
    /// </summary>
    public static string AppendInitializer(string baseModel, string name, Action<CodedOutputStream> writeTensor)
    {
        var extra = File.ReadAllBytes(WithOneInitializer(writeTensor));
        var path = Path.Combine(TestPaths.NewTempDirectory(), name);
        File.WriteAllBytes(path, File.ReadAllBytes(baseModel).Concat(extra).ToArray());
        return path;
    }

    static byte[] Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        write(output);
        output.Flush();
        return buffer.ToArray();
    }
}
