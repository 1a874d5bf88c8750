namespace MedImaging.Dicom;

/// <summary>
/// Owned slabs that small values are copied into when the input is read through a pooled buffer. A value must not
/// alias that buffer (it goes back to the pool, and the next read overwrites it); one slab per few kilobytes of values
/// costs the garbage collector far less than one array per value, and unlike a copy of the whole input it holds
/// only the values, never the pixel data.
/// </summary>
internal sealed class ValueArena
{
    /// <summary>Longer values get an array of their own (a slab would waste its tail on them).</summary>
    public const int MaxValueLength = 4096;

    private const int FirstSlab = 2048, LargestSlab = 64 * 1024;
    private byte[] _slab = [];
    private int _used;
    private int _nextSize = FirstSlab;

    /// <summary>Copies <paramref name="value"/> into the current slab; <paramref name="inputLeft"/> (what the input can
    /// still hold, value included) keeps a slab from outgrowing a small input.</summary>
    public ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> value, long inputLeft)
    {
        if (value.Length > _slab.Length - _used)
        {
            var size = (int)Math.Max(value.Length, Math.Min(_nextSize, inputLeft));
            _slab = GC.AllocateUninitializedArray<byte>(size);
            _used = 0;
            _nextSize = Math.Min(_nextSize * 2, LargestSlab);
        }
        value.CopyTo(_slab.AsSpan(_used));
        var copy = new ReadOnlyMemory<byte>(_slab, _used, value.Length);
        _used += value.Length;
        return copy;
    }
}
