using System.Buffers.Binary;

namespace MedImaging.Dicom;

/// <summary>
/// The red, green and blue tables of a PALETTE COLOR image or a Color Palette (PS3.3 C.7.6.3.1.5, C.7.6.3.1.6, C.7.9):
/// descriptors (0028,1101-1103) with (0028,1201-1203) data, or segmented data (0028,1221-1223, C.7.9.2).
/// </summary>
public sealed class DicomPaletteColorLut
{
    private DicomPaletteColorLut(DicomLut red, DicomLut green, DicomLut blue, bool segmented)
    {
        Red = red;
        Green = green;
        Blue = blue;
        Segmented = segmented;
    }

#pragma warning disable CS1591 // the three channels
    public DicomLut Red { get; }
    public DicomLut Green { get; }
    public DicomLut Blue { get; }
#pragma warning restore CS1591

    /// <summary>True when the tables were expanded from segmented data.</summary>
    public bool Segmented { get; }

    /// <summary>
    /// The dataset's palette. The descriptors' first mapped value is signed when (0028,0103) Pixel Representation is 1
    /// (C.7.6.3.1.5). Segmented data is expanded; the expanded table must have the descriptor's number of entries (C.7.9.2).
    /// </summary>
    public static DicomPaletteColorLut FromDataset(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var signed = (dataset.GetInt32(DicomTags.PixelRepresentation) ?? 0) == 1;
        var segmented = !dataset.Contains(DicomTags.RedPaletteColorLookupTableData) && dataset.Contains(new DicomTag(0x00281221));
        return new DicomPaletteColorLut(
            Channel(dataset, signed, 0, "Red", segmented),
            Channel(dataset, signed, 1, "Green", segmented),
            Channel(dataset, signed, 2, "Blue", segmented),
            segmented);
    }

    private static DicomLut Channel(DicomDataset ds, bool signed, uint channel, string name, bool segmented)
    {
        var descriptorTag = new DicomTag(0x00281101 + channel);
        var dataTag = new DicomTag((segmented ? 0x00281221u : 0x00281201u) + channel);
        var what = $"{dataTag} {(segmented ? "Segmented " : "")}{name} Palette Color Lookup Table Data";
        var descriptor = ds.GetElement(descriptorTag) ?? throw new DicomReadException($"PALETTE COLOR needs {descriptorTag} {name} Palette Color Lookup Table Descriptor.");
        var data = ds.GetElement(dataTag) ?? throw new DicomReadException($"PALETTE COLOR needs {what}.");
        var (count, first, bits) = DicomLut.ReadDescriptor(descriptor, signed, $"{descriptorTag} {name} Palette Color Lookup Table Descriptor");
        var entries = segmented ? SegmentedLut.Expand(data.Buffer.Span, count, bits, what) : DicomLut.ReadEntries(data.Buffer.Span, count, bits, what);
        return new DicomLut(first, bits, entries);
    }
}

/// <summary>Expansion of segmented palette data (PS3.3 C.7.9.2): discrete, linear and indirect segments.</summary>
internal static class SegmentedLut
{
    public static ushort[] Expand(ReadOnlySpan<byte> data, int count, int bits, string where)
    {
        // Segment words are as wide as the entries: bytes for 8-bit tables, 16-bit words otherwise.
        var wide = bits > 8;
        var words = new int[wide ? data.Length / 2 : data.Length];
        for (var i = 0; i < words.Length; i++) words[i] = wide ? BinaryPrimitives.ReadUInt16LittleEndian(data[(i * 2)..]) : data[i];
        var output = new List<ushort>(count);
        Run(words, 0, int.MaxValue, output, wide, where, 0);
        if (output.Count != count)
            throw new DicomReadException($"{where} expands to {output.Count} entries; the descriptor says {count} (PS3.3 C.7.9.2).");
        return [.. output];
    }

    private static void Run(int[] w, int start, int maxSegments, List<ushort> output, bool wide, string where, int depth)
    {
        if (depth > 8) throw new DicomReadException($"{where}: indirect segments nest deeper than 8 levels.");
        var p = start;
        // A trailing pad word is not a segment: every segment has at least 3 words.
        for (var n = 0; n < maxSegments && p + 1 < w.Length; n++)
        {
            var (opcode, length) = (w[p], w[p + 1]);
            p += 2;
            switch (opcode)
            {
                case 0: // discrete: the entries follow
                    if (p + length > w.Length) throw Truncated(where, p);
                    for (var i = 0; i < length; i++) output.Add((ushort)w[p + i]);
                    p += length;
                    break;
                case 1: // linear: from the previous segment's last entry to y1 over `length` entries
                    if (output.Count == 0) throw new DicomReadException($"{where}: a linear segment cannot be the first (PS3.3 C.7.9.2.2).");
                    if (p >= w.Length) throw Truncated(where, p);
                    double y0 = output[^1], y1 = w[p++];
                    for (var i = 1; i <= length; i++) output.Add((ushort)Math.Round(y0 + (y1 - y0) * i / length));
                    break;
                case 2: // indirect: `length` segments re-read from a byte offset (two words, least significant first)
                    if (output.Count == 0) throw new DicomReadException($"{where}: an indirect segment cannot be the first (PS3.3 C.7.9.2.3).");
                    if (p + (wide ? 2 : 4) > w.Length) throw Truncated(where, p);
                    var offset = wide ? (uint)w[p] | (uint)w[p + 1] << 16 : (uint)(w[p] | w[p + 1] << 8) | (uint)(w[p + 2] | w[p + 3] << 8) << 16;
                    p += wide ? 2 : 4;
                    var target = offset / (wide ? 2 : 1);
                    if (target >= w.Length) throw new DicomReadException($"{where}: indirect segment offset {offset} is past the data.");
                    Run(w, (int)target, length, output, wide, where, depth + 1);
                    break;
                default:
                    throw new DicomReadException($"{where}: segment opcode {opcode} at word {p - 2} is reserved (PS3.3 Table C.7-24).");
            }
            if (output.Count > 65536) throw new DicomReadException($"{where} expands past 65536 entries.");
        }
    }

    private static DicomReadException Truncated(string where, int word) => new($"{where}: a segment runs past the end of the data at word {word}.");
}
