using System.Security.Cryptography;

namespace SamAdapt.Models;

/// <summary>SHA-256 checksums as lowercase hex strings.</summary>
public static class Sha256Hex
{
    /// <summary>True when <paramref name="value"/> is 64 hex digits.</summary>
    public static bool IsValid(string? value) => value is { Length: 64 } && value.All(Uri.IsHexDigit);

    /// <summary>The SHA-256 of the file at <paramref name="path"/>, reporting the bytes read so far to <paramref name="bytesRead"/>.</summary>
    public static string OfFile(string path, Action<long>? bytesRead = null, CancellationToken cancellationToken = default)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        var buffer = new byte[1 << 20];
        long total = 0;
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            hash.AppendData(buffer, 0, read);
            total += read;
            bytesRead?.Invoke(total);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
