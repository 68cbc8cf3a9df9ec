using System.Buffers.Binary;
using System.Text;

namespace SamAdapt.Torch;

/// <summary>
/// Reads and edits the symbol version requirements (<c>.gnu.version_r</c>) of a 64-bit little-endian ELF shared
/// library: the one edit is setting <c>VER_FLG_WEAK</c> on a named requirement, which makes the dynamic loader accept
/// the library where the dependency lacks that version (a warning for a symbol bound to it, not a load failure).
/// </summary>
public static class ElfVersionRequirement
{
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    /// <summary>
    /// Sets <c>VER_FLG_WEAK</c> on the requirement named <paramref name="version"/> in <paramref name="elf"/>, in place.
    /// </summary>
    /// <returns>What was found: only <see cref="ElfPatchOutcome.Patched"/> changed the bytes.</returns>
    public static ElfPatchOutcome Weaken(byte[] elf, string version) => Visit(elf, version, patch: true);

    /// <summary>What <see cref="Weaken"/> would do to <paramref name="elf"/>, without changing it.</summary>
    public static ElfPatchOutcome Inspect(byte[] elf, string version) => Visit(elf, version, patch: false);

    static ElfPatchOutcome Visit(byte[] elf, string version, bool patch)
    {
        ArgumentNullException.ThrowIfNull(elf);
        ArgumentException.ThrowIfNullOrEmpty(version);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            return ElfPatchOutcome.NotElf;
        if (elf[4] != 2 || elf[5] != 1) return ElfPatchOutcome.Unsupported;
        try
        {
            var bytes = elf.AsSpan();
            long sectionHeaders = checked((long)BinaryPrimitives.ReadUInt64LittleEndian(bytes[0x28..]));
            int headerSize = BinaryPrimitives.ReadUInt16LittleEndian(bytes[0x3A..]);
            int sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(bytes[0x3C..]);
            for (int s = 0; s < sectionCount; s++)
            {
                var header = bytes[checked((int)(sectionHeaders + (long)s * headerSize))..];
                if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != ShtGnuVerneed) continue;

                long offset = checked((long)BinaryPrimitives.ReadUInt64LittleEndian(header[24..]));
                int stringSection = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(header[40..]));
                int needCount = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(header[44..]));
                var stringHeader = bytes[checked((int)(sectionHeaders + (long)stringSection * headerSize))..];
                long strings = checked((long)BinaryPrimitives.ReadUInt64LittleEndian(stringHeader[24..]));

                long need = offset;
                for (int n = 0; n < needCount; n++)
                {
                    int auxCount = BinaryPrimitives.ReadUInt16LittleEndian(bytes[checked((int)need + 2)..]);
                    long aux = need + BinaryPrimitives.ReadUInt32LittleEndian(bytes[checked((int)need + 8)..]);
                    for (int a = 0; a < auxCount; a++)
                    {
                        var entry = bytes[checked((int)aux)..];
                        if (CString(bytes, strings + BinaryPrimitives.ReadUInt32LittleEndian(entry[8..])) == version)
                        {
                            ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(entry[4..]);
                            if ((flags & VerFlgWeak) != 0) return ElfPatchOutcome.AlreadyWeak;
                            if (patch) BinaryPrimitives.WriteUInt16LittleEndian(entry[4..], (ushort)(flags | VerFlgWeak));
                            return ElfPatchOutcome.Patched;
                        }
                        uint nextAux = BinaryPrimitives.ReadUInt32LittleEndian(entry[12..]);
                        if (nextAux == 0) break;
                        aux += nextAux;
                    }
                    uint nextNeed = BinaryPrimitives.ReadUInt32LittleEndian(bytes[checked((int)need + 12)..]);
                    if (nextNeed == 0) break;
                    need += nextNeed;
                }
                return ElfPatchOutcome.NoSuchRequirement;
            }
            return ElfPatchOutcome.NoSuchRequirement;
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
        {
            return ElfPatchOutcome.Malformed;
        }
    }

    static string CString(ReadOnlySpan<byte> bytes, long start)
    {
        var rest = bytes[checked((int)start)..];
        int end = rest.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? rest : rest[..end]);
    }
}
