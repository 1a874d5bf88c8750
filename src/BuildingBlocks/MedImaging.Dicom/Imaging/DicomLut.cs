using System.Buffers.Binary;

namespace MedImaging.Dicom;

/// <summary>
/// A lookup table as PS3.3 describes it for the Modality LUT (C.11.1.1.1), the VOI LUT (C.11.2.1.1) and the palette
/// colour tables (C.7.6.3.1.5/6): a three-value descriptor (number of entries, 0 meaning 65536; first input value mapped;
/// bits per entry) and the entries. Inputs below the first mapped value take the first entry, inputs past the end the last.
/// </summary>
public sealed class DicomLut
{
    private readonly ushort[] _entries;

    /// <summary>Creates a table from decoded values.</summary>
    public DicomLut(int firstMapped, int bitsPerEntry, ushort[] entries, string? explanation = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Length is < 1 or > 65536) throw new ArgumentOutOfRangeException(nameof(entries), "A LUT has 1 to 65536 entries.");
        if (bitsPerEntry is < 1 or > 16) throw new ArgumentOutOfRangeException(nameof(bitsPerEntry), "A LUT entry has 1 to 16 bits.");
        FirstMapped = firstMapped;
        BitsPerEntry = bitsPerEntry;
        _entries = entries;
        Explanation = explanation;
    }

    /// <summary>The input value mapped to the first entry (descriptor value 2).</summary>
    public int FirstMapped { get; }

    /// <summary>Bits of each entry (descriptor value 3); the output range is 0 … 2^bits − 1.</summary>
    public int BitsPerEntry { get; }

    /// <summary>Number of entries (descriptor value 1, where 0 stands for 65536).</summary>
    public int EntryCount => _entries.Length;

    /// <summary>(0028,3003) LUT Explanation, when the table came from a sequence item that has one.</summary>
    public string? Explanation { get; }

    /// <summary>The entries.</summary>
    public ReadOnlySpan<ushort> Entries => _entries;

    /// <summary>The largest value an entry can hold, 2^bits − 1.</summary>
    public int MaxOutput => (1 << BitsPerEntry) - 1;

    /// <summary>The entry for an input value (clamped to the first and last entries).</summary>
    public int this[long input]
    {
        get
        {
            var index = input - FirstMapped;
            return _entries[index <= 0 ? 0 : index >= _entries.Length ? _entries.Length - 1 : (int)index];
        }
    }

    /// <summary>The entry for a (possibly fractional, e.g. rescaled) input: the table holds integer inputs only, so the
    /// input is floored first.</summary>
    public int Lookup(double input) => double.IsNaN(input) ? _entries[0] : this[(long)Math.Clamp(Math.Floor(input), long.MinValue / 2, long.MaxValue / 2)];

    /// <summary>
    /// Reads a Modality or VOI LUT Sequence item: (0028,3002) LUT Descriptor, (0028,3006) LUT Data, (0028,3003) LUT
    /// Explanation. <paramref name="firstMappedSigned"/> says whether the second descriptor value is two's complement:
    /// the descriptor's explicit VR (US or SS) cannot be trusted for that, PS3.3 ties it to the pixel data (C.11.1.1.1)
    /// or to the modality transform's output (C.11.2.1.1).
    /// </summary>
    public static DicomLut FromItem(DicomDataset item, bool firstMappedSigned, string where)
    {
        ArgumentNullException.ThrowIfNull(item);
        var descriptor = item.GetElement(DicomTags.LUTDescriptor) ?? throw new DicomReadException($"{where} has no (0028,3002) LUT Descriptor.");
        var data = item.GetElement(DicomTags.LUTData) ?? throw new DicomReadException($"{where} has no (0028,3006) LUT Data.");
        var (count, first, bits) = ReadDescriptor(descriptor, firstMappedSigned, $"{where} (0028,3002) LUT Descriptor");
        var entries = ReadEntries(data.Buffer.Span, count, bits, $"{where} (0028,3006) LUT Data");
        return new DicomLut(first, bits, entries, item.GetString(DicomTags.LUTExplanation));
    }

    /// <summary>Reads the three descriptor values: entries (0 = 65536), first mapped (signed when asked), bits per entry.</summary>
    internal static (int Count, int FirstMapped, int Bits) ReadDescriptor(DicomElement descriptor, bool firstMappedSigned, string where)
    {
        var raw = descriptor.Buffer.Span;
        if (raw.Length < 6) throw new DicomReadException($"{where} has {raw.Length / 2} values; PS3.3 requires 3.");
        // All three are 16-bit; only the second may be negative (C.11.1.1.1), so the VR as written is not used.
        int count = BinaryPrimitives.ReadUInt16LittleEndian(raw);
        int first = firstMappedSigned ? BinaryPrimitives.ReadInt16LittleEndian(raw[2..]) : BinaryPrimitives.ReadUInt16LittleEndian(raw[2..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(raw[4..]);
        // PS3.3 allows 8 or 16 (8 to 16 in presentation states); narrower old tables are still read.
        if (bits is < 1 or > 16) throw new DicomReadException($"{where} gives {bits} bits per entry; a LUT entry has at most 16.");
        return (count == 0 ? 65536 : count, first, bits);
    }

    /// <summary>
    /// Decodes the entries. 16-bit entries are 16-bit words. 8-bit entries are packed one per byte ("equivalent to 8 bits
    /// allocated", C.11.1.1.1), but PS3.3 notes that some writers put each 8-bit entry in a 16-bit word; the two are told
    /// apart by the value length, as the standard's note says (length = entries → bytes, 2 × entries → words).
    /// </summary>
    internal static ushort[] ReadEntries(ReadOnlySpan<byte> data, int count, int bits, string where)
    {
        var entries = new ushort[count];
        if (bits <= 8 && (data.Length == count || data.Length == count + 1))
        {
            for (var i = 0; i < count; i++) entries[i] = data[i];
            return entries;
        }
        if (data.Length < count * 2)
            throw new DicomReadException($"{where} holds {data.Length} bytes; the descriptor's {count} entries of {bits} bits need {(bits <= 8 ? count : count * 2)}.");
        // 8-bit entries padded to 16 bits keep their value in the low bits; the padding is dropped.
        var mask = bits <= 8 ? 0xFF : 0xFFFF;
        for (var i = 0; i < count; i++) entries[i] = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(data[(i * 2)..]) & mask);
        return entries;
    }
}
