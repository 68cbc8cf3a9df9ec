using System.Runtime.InteropServices;
using TorchSharp;

namespace SamAdapt.Onnx;

/// <summary>
/// A constant tensor read from an ONNX file (an initializer or the <c>value</c> of a Constant node):
/// its name, shape, ONNX element type and elements as little-endian bytes in row-major order.
/// </summary>
/// <param name="Name">The tensor's name in the graph (empty for an unnamed attribute tensor).</param>
/// <param name="Dims">The shape; empty for a scalar.</param>
/// <param name="DataType">The ONNX <c>TensorProto.DataType</c> code (1 float, 7 int64, ...).</param>
/// <param name="Data">The elements, fixed-width little-endian, row-major (for element types SamAdapt does not
/// convert, such as strings or float16, whatever raw bytes the file had).</param>
public sealed record OnnxTensorData(string Name, long[] Dims, int DataType, byte[] Data)
{
    /// <summary>ONNX element type code of float32.</summary>
    public const int Float = 1;
    /// <summary>ONNX element type code of uint8.</summary>
    public const int UInt8 = 2;
    /// <summary>ONNX element type code of int8.</summary>
    public const int Int8 = 3;
    /// <summary>ONNX element type code of int32.</summary>
    public const int Int32 = 6;
    /// <summary>ONNX element type code of int64.</summary>
    public const int Int64 = 7;
    /// <summary>ONNX element type code of bool.</summary>
    public const int Bool = 9;
    /// <summary>ONNX element type code of float64.</summary>
    public const int Double = 11;

    /// <summary>The number of elements (1 for a scalar).</summary>
    public long ElementCount => Dims.Aggregate(1L, (count, d) => checked(count * d));

    /// <summary>The elements as float32 values; only for float tensors.</summary>
    /// <exception cref="ModelFormatException">The tensor is not float32.</exception>
    public float[] ToFloats()
    {
        if (DataType != Float) throw new ModelFormatException($"ONNX tensor '{Name}' has element type {DataType}; expected float (1).");
        return MemoryMarshal.Cast<byte, float>(Data).ToArray();
    }

    /// <summary>The elements as int64 values; for int64 and int32 tensors.</summary>
    /// <exception cref="ModelFormatException">The tensor is not an integer tensor.</exception>
    public long[] ToInt64s() => DataType switch
    {
        Int64 => MemoryMarshal.Cast<byte, long>(Data).ToArray(),
        Int32 => MemoryMarshal.Cast<byte, int>(Data).ToArray().Select(v => (long)v).ToArray(),
        _ => throw new ModelFormatException($"ONNX tensor '{Name}' has element type {DataType}; expected int64 (7) or int32 (6)."),
    };

    /// <summary>A new CPU TorchSharp tensor of shape <see cref="Dims"/> holding a copy of the elements.</summary>
    /// <exception cref="ModelFormatException">The element type has no TorchSharp equivalent here.</exception>
    public torch.Tensor ToTensor()
    {
        var tensor = torch.empty(Dims, ScalarType(Name, DataType));
        tensor.bytes = Data;
        return tensor;
    }

    /// <summary>The size in bytes of one element of ONNX type <paramref name="dataType"/>, or 0 when unsupported.</summary>
    internal static int ElementSize(int dataType) => dataType switch
    {
        Float or Int32 => 4,
        Int64 or Double => 8,
        UInt8 or Int8 or Bool => 1,
        _ => 0,
    };

    static torch.ScalarType ScalarType(string name, int dataType) => dataType switch
    {
        Float => torch.ScalarType.Float32,
        Double => torch.ScalarType.Float64,
        Int64 => torch.ScalarType.Int64,
        Int32 => torch.ScalarType.Int32,
        UInt8 => torch.ScalarType.Byte,
        Int8 => torch.ScalarType.Int8,
        Bool => torch.ScalarType.Bool,
        _ => throw new ModelFormatException($"ONNX tensor '{name}' has element type {dataType}, which is not supported (float, double, int64, int32, uint8, int8, bool are)."),
    };
}
