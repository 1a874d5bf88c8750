namespace MedImaging.Dicom.Codecs;

/// <summary>A Huffman decoding table from a DHT segment (ITU T.81 §B.2.4.2, decoding procedure §F.2.2.3).</summary>
internal sealed class JpegHuffmanTable
{
    private readonly int[] _maxCode = new int[18];
    private readonly int[] _valPtr = new int[17];
    private readonly int[] _minCode = new int[17];
    private readonly byte[] _values;
    private const int LookupBits = 9;
    private readonly ushort[] _lookup = new ushort[1 << LookupBits]; // (length << 8) | value for codes up to 9 bits

    private JpegHuffmanTable(ReadOnlySpan<byte> counts, byte[] values)
    {
        _values = values;
        int code = 0, k = 0;
        for (var l = 1; l <= 16; l++)
        {
            _valPtr[l] = k;
            _minCode[l] = code;
            code += counts[l - 1];
            k += counts[l - 1];
            _maxCode[l] = counts[l - 1] == 0 ? -1 : code - 1;
            if (l <= LookupBits)
                for (var c = _minCode[l]; c <= _maxCode[l]; c++)
                {
                    var v = _valPtr[l] + c - _minCode[l];
                    if (v >= values.Length) break;
                    var first = c << (LookupBits - l);
                    if (first + (1 << (LookupBits - l)) > _lookup.Length) break; // over-subscribed table: slow path decides
                    _lookup.AsSpan(first, 1 << (LookupBits - l)).Fill((ushort)(l << 8 | values[v]));
                }
            code <<= 1;
        }
        _maxCode[17] = int.MaxValue;
    }

    /// <summary>Reads one table at <paramref name="pos"/> into <paramref name="tables"/> (lossless tables are class 0,
    /// indexed by Th) and returns the position after it.</summary>
    public static int Read(byte[] data, int pos, int end, JpegHuffmanTable?[] tables)
    {
        if (pos + 17 > end) throw new DicomReadException($"JPEG frame: DHT segment truncated at byte {pos}.");
        var tcth = data[pos];
        var counts = data.AsSpan(pos + 1, 16);
        var total = 0;
        foreach (var c in counts) total += c;
        if (pos + 17 + total > end || total > 256) throw new DicomReadException($"JPEG frame: DHT table at byte {pos} claims {total} codes past its segment.");
        var table = new JpegHuffmanTable(counts, data.AsSpan(pos + 17, total).ToArray());
        if (tcth >> 4 == 0) tables[tcth & 3] = table;
        return pos + 17 + total;
    }

    /// <summary>The next Huffman-coded value (§F.2.2.3 DECODE).</summary>
    public int Decode(JpegBitReader reader)
    {
        var hit = _lookup[reader.Peek(LookupBits)];
        if (hit != 0)
        {
            reader.Skip(hit >> 8);
            return hit & 0xFF;
        }
        var code = reader.ReadBit();
        var l = 1;
        while (code > _maxCode[l])
        {
            code = (code << 1) | reader.ReadBit();
            if (++l > 16) throw new DicomReadException("JPEG frame: invalid Huffman code in the entropy-coded data.");
        }
        var index = _valPtr[l] + code - _minCode[l];
        if ((uint)index >= (uint)_values.Length) throw new DicomReadException("JPEG frame: Huffman code outside its table.");
        return _values[index];
    }
}
