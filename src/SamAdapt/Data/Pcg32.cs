namespace SamAdapt.Data;

/// <summary>
/// A small seeded random generator (PCG32, XSH-RR). Its sequence depends only on the seed and stream,
/// never on the runtime version, so splits and synthetic data are reproducible everywhere.
/// </summary>
internal sealed class Pcg32
{
    private const ulong Multiplier = 6364136223846793005UL;
    private ulong _state;
    private readonly ulong _increment;

    /// <summary>Starts the sequence chosen by <paramref name="seed"/> and <paramref name="stream"/>.</summary>
    public Pcg32(long seed, long stream = 0)
    {
        _increment = ((ulong)stream << 1) | 1UL;
        _state = 0;
        NextUInt();
        _state += (ulong)seed;
        NextUInt();
    }

    /// <summary>The next 32 random bits.</summary>
    public uint NextUInt()
    {
        var old = _state;
        _state = unchecked(old * Multiplier + _increment);
        var xorShifted = (uint)(((old >> 18) ^ old) >> 27);
        var rotation = (int)(old >> 59);
        return (xorShifted >> rotation) | (xorShifted << (-rotation & 31));
    }

    /// <summary>A uniform integer in [0, <paramref name="bound"/>), without modulo bias.</summary>
    public int NextInt(int bound)
    {
        if (bound <= 0) throw new ArgumentOutOfRangeException(nameof(bound), bound, "The bound must be positive.");
        var threshold = (uint)((0x1_0000_0000L - bound) % bound);
        while (true)
        {
            var r = NextUInt();
            if (r >= threshold) return (int)(r % (uint)bound);
        }
    }

    /// <summary>A uniform double in [0, 1).</summary>
    public double NextDouble() => NextUInt() / 4294967296.0;

    /// <summary>A uniform double in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double Range(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>A standard normal value (Box-Muller).</summary>
    public double NextGaussian()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher-Yates).</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A stable 64-bit hash of <paramref name="text"/> (FNV-1a), to derive per-row seeds from names.</summary>
    public static long StableHash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash ^= c;
            hash = unchecked(hash * 1099511628211UL);
        }
        return (long)hash;
    }
}
