using System.Security.Cryptography;
using System.Text;
using SamAdapt.Models;

namespace SamAdapt.ML;

/// <summary>
/// A model's identity for caches: the SHA-256 of the files that determine its image embeddings
/// (the weight file of a checkpoint; in a model folder, config.json and the weights or encoder.onnx).
/// </summary>
public static class ModelIdentity
{
    /// <summary>The folder files that fix the image encoder, in the order they are hashed.</summary>
    static readonly string[] EncoderFiles = ["config.json", "sam.safetensors", "sam.pth", "encoder.onnx"];

    /// <summary>The identity (64 hex digits) of the checkpoint file or model folder at <paramref name="modelPath"/>.</summary>
    /// <exception cref="SamAdaptException">The path does not exist or the folder holds none of the encoder files.</exception>
    public static string Of(string modelPath, string? modelType = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        var parts = new StringBuilder();
        if (File.Exists(modelPath))
            parts.Append($"file:{Sha256Hex.OfFile(modelPath)};type:{modelType}");
        else if (Directory.Exists(modelPath))
        {
            foreach (var name in EncoderFiles.Where(n => File.Exists(Path.Combine(modelPath, n))))
                parts.Append($"{name}:{Sha256Hex.OfFile(Path.Combine(modelPath, name))};");
            if (parts.Length == 0)
                throw new SamAdaptException($"{modelPath}: no model file found to identify the model; expected one of {string.Join(", ", EncoderFiles)}.");
        }
        else throw new SamAdaptException($"{modelPath}: the model file or folder does not exist.");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(parts.ToString())));
    }
}
