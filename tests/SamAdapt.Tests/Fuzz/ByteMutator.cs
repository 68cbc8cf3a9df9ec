namespace SamAdapt.Tests.Fuzz;

/// <summary>
/// Deterministic mutations of a file's bytes for fuzzing: byte flips, "interesting" integers written over
/// length fields, truncations, insertions, deletions and duplicated chunks. Case <c>i</c> of seed <c>s</c>
/// always gives the same bytes, so a failing case is reproduced from the two numbers alone. Half of the
/// positions fall into the file's structural regions (headers, tables), where mutations change the parse
/// rather than only tensor or pixel values.
/// </summary>
public sealed class ByteMutator(byte[] original, IReadOnlyList<(int Start, int Length)> structure)
{
    static readonly uint[] InterestingIntegers = { 0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xc350, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff };

    /// <summary>The bytes of case <paramref name="caseIndex"/> and a description of what was changed.</summary>
    public (byte[] Bytes, string Description) Mutate(int seed, int caseIndex)
    {
        var random = new Random(unchecked(seed * 1_000_003 + caseIndex));
        var bytes = new List<byte>(original);
        var steps = new List<string>();
        int count = random.Next(1, 4);
        for (int i = 0; i < count && bytes.Count > 0; i++)
            steps.Add(MutateOnce(bytes, random));
        return (bytes.ToArray(), string.Join("; ", steps));
    }

    string MutateOnce(List<byte> bytes, Random random)
    {
        int at = Position(bytes.Count, random);
        switch (random.Next(7))
        {
            case 0:
            {
                int flips = random.Next(1, 9);
                for (int i = 0; i < flips; i++)
                {
                    int p = Math.Min(bytes.Count - 1, at + random.Next(16));
                    bytes[p] ^= (byte)random.Next(1, 256);
                }
                return $"flip {flips} byte(s) near {at}";
            }
            case 1:
            {
                uint value = InterestingIntegers[random.Next(InterestingIntegers.Length)];
                int width = random.Next(3) switch { 0 => 2, 1 => 4, _ => 8 };
                bool bigEndian = random.Next(2) == 0; // PNG and JPEG headers are big-endian, zip and safetensors little-endian
                for (int i = 0; i < width && at + i < bytes.Count; i++)
                {
                    int significance = bigEndian ? width - 1 - i : i;
                    bytes[at + i] = significance < 4 ? (byte)(value >> (8 * significance)) : (byte)(value >= 0x80000000 ? 0xff : 0);
                }
                return $"write {value:x} ({width} bytes, {(bigEndian ? "big" : "little")}-endian) at {at}";
            }
            case 2:
                bytes.RemoveRange(at, bytes.Count - at);
                return $"truncate to {at}";
            case 3:
            {
                int length = random.Next(1, 65);
                var inserted = new byte[length];
                random.NextBytes(inserted);
                bytes.InsertRange(at, inserted);
                return $"insert {length} random byte(s) at {at}";
            }
            case 4:
            {
                int length = Math.Min(random.Next(1, 65), bytes.Count - at);
                bytes.RemoveRange(at, length);
                return $"delete {length} byte(s) at {at}";
            }
            case 5:
            {
                int length = Math.Min(random.Next(1, 257), bytes.Count - at);
                var chunk = bytes.GetRange(at, length);
                int to = random.Next(bytes.Count + 1);
                bytes.InsertRange(to, chunk);
                return $"duplicate {length} byte(s) from {at} to {to}";
            }
            default:
                bytes[at] = (byte)random.Next(256);
                return $"set byte {at}";
        }
    }

    int Position(int length, Random random)
    {
        if (structure.Count > 0 && random.Next(2) == 0)
        {
            var (start, regionLength) = structure[random.Next(structure.Count)];
            int position = start + random.Next(Math.Max(1, regionLength));
            if (position < length) return position;
        }
        return random.Next(length);
    }
}
