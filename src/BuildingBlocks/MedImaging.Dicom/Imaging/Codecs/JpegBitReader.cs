namespace MedImaging.Dicom.Codecs;

/// <summary>Entropy-coded bits of a JPEG scan: byte stuffing (FF00), restart markers, and zeros past the end, as
/// libjpeg does (a truncated scan decodes to a wrong image the caller can see, never out-of-range reads).</summary>
internal sealed class JpegBitReader(byte[] data, int start)
{
    private int _pos = start;
    private ulong _acc; // unread bits, most significant first
    private int _bits;
    private bool _atMarker;

    /// <summary>The next <paramref name="n"/> (≤ 32) bits without consuming them.</summary>
    public int Peek(int n)
    {
        while (_bits <= 56)
        {
            _acc |= (ulong)NextByte() << (56 - _bits);
            _bits += 8;
        }
        return (int)(_acc >> (64 - n));
    }

    public void Skip(int n)
    {
        _acc <<= n;
        _bits -= n;
    }

    public int ReadBit()
    {
        var b = Peek(1);
        Skip(1);
        return b;
    }

    public int ReadBits(int n)
    {
        var v = Peek(n);
        Skip(n);
        return v;
    }

    /// <summary>A lossless difference (§H.1.2.2 and Table H.2): SSSS from the table, then SSSS extra bits; 16 means 32768.</summary>
    public int ReadDifference(JpegHuffmanTable table)
    {
        var t = table.Decode(this);
        if (t == 0) return 0;
        if (t >= 16) return 32768;
        var v = ReadBits(t);
        return v < 1 << (t - 1) ? v - (1 << t) + 1 : v;
    }

    private int NextByte()
    {
        if (_atMarker || _pos >= data.Length) return 0;
        var b = data[_pos];
        if (b != 0xFF) { _pos++; return b; }
        if (_pos + 1 < data.Length && data[_pos + 1] == 0x00) { _pos += 2; return 0xFF; }
        _atMarker = true;
        return 0;
    }

    /// <summary>Skips the RSTn marker that ends a restart interval and starts the next with empty bits.</summary>
    public void Restart()
    {
        // Look-ahead never reads past a marker (NextByte stops there), so dropping the buffered bits loses nothing.
        _acc = 0;
        _bits = 0;
        _atMarker = false;
        while (_pos < data.Length && data[_pos] != 0xFF) _pos++; // padding bits already consumed; stray bytes skipped
        while (_pos + 1 < data.Length && data[_pos + 1] == 0xFF) _pos++;
        if (_pos + 1 >= data.Length || data[_pos + 1] is < 0xD0 or > 0xD7)
            throw new DicomReadException($"JPEG frame: expected a restart marker at byte {_pos}.");
        _pos += 2;
    }

    /// <summary>Where the next marker after the scan begins (its FF byte).</summary>
    public int NextMarker()
    {
        var p = _pos;
        while (p + 1 < data.Length && !(data[p] == 0xFF && data[p + 1] is not (0x00 or 0xFF) and not (>= 0xD0 and <= 0xD7))) p++;
        return p + 1 < data.Length ? p : data.Length;
    }
}
