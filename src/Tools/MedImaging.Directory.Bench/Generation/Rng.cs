namespace MedImaging.Directory.Bench.Generation;

/// <summary>
/// SplitMix64: a small generator whose sequence depends on nothing but its seed (not on the runtime version, unlike
/// <see cref="Random"/>'s unseeded or future algorithms), so entry <c>i</c> of seed <c>s</c> is the same on every machine
/// and an entry can be made without making the ones before it.
/// </summary>
public struct Rng(ulong state)
{
    private ulong _state = state;

    /// <summary>The generator of one entry: the seed and the entry's index mixed, so neighbouring entries are unrelated.</summary>
    public static Rng For(int seed, long index) => new(Mix(Mix((ulong)(uint)seed) ^ (ulong)index));

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>0 ≤ x &lt; 1.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>0 ≤ x &lt; <paramref name="n"/>.</summary>
    public int Next(int n) => (int)(NextDouble() * n);

    public int Between(int min, int maxInclusive) => min + Next(maxInclusive - min + 1);

    public bool Chance(double p) => NextDouble() < p;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>An item by weight.</summary>
    public T Pick<T>(IReadOnlyList<(T Item, double Weight)> items)
    {
        var total = 0.0;
        foreach (var (_, w) in items) total += w;
        var x = NextDouble() * total;
        foreach (var (item, w) in items)
        {
            if (x < w) return item;
            x -= w;
        }
        return items[^1].Item;
    }

    /// <summary>
    /// An index 0 ≤ i &lt; n with Zipf-like weight 1/(i+1)^s: the first items are drawn often, the rest make a long tail
    /// (popular keywords). Inverse of the continuous approximation, so no table per n.
    /// </summary>
    public int Zipf(int n, double s = 1.1)
    {
        if (n <= 1) return 0;
        var u = NextDouble();
        var a = 1 - s;
        var max = (Math.Pow(n + 1, a) - 1) / a;
        var x = Math.Pow(u * max * a + 1, 1 / a) - 1;
        return Math.Clamp((int)x, 0, n - 1);
    }

    public Guid NextGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, NextUInt64());
        BitConverter.TryWriteBytes(bytes[8..], NextUInt64());
        return new Guid(bytes);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
