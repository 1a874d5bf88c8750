using System.Buffers.Binary;

namespace MedImaging.Dicom;

/// <summary>Parses a dataset from a <see cref="ByteSource"/> in one transfer syntax (PS3.5 §7).</summary>
internal sealed partial class DicomReader(ByteSource src, DicomReaderOptions options, BulkDataSource? bulk)
{
    private const uint Undefined = 0xFFFFFFFF;
    private static readonly DicomTag ItemTag = new(0xFFFEE000), ItemDelim = new(0xFFFEE00D), SeqDelim = new(0xFFFEE0DD);
    private readonly List<(DicomTag Tag, int Item)> _path = [];
    private readonly DicomDictionary _dict = DicomDictionary.Default;
    private bool _explicit, _bigEndian;
    private int _pixelRepresentation;
    private string? _blockCreator;
    private Dictionary<uint, DicomDictionaryEntry>? _block;

    /// <summary>True when the read stopped at pixel data (metadata-only mode).</summary>
    public bool StoppedBeforePixelData { get; private set; }

    /// <summary>Position of the pixel data element header when metadata-only reading stopped there.</summary>
    public long PixelDataPosition { get; private set; } = -1;

    public void ReadTopLevel(DicomDataset ds, bool explicitVR, bool bigEndian)
    {
        _explicit = explicitVR;
        _bigEndian = bigEndian;
        ReadDataset(ds, -1, untilDelimiter: false, depth: 0);
    }

    /// <summary>Reads elements until <paramref name="end"/>, an item delimiter, or the end of input.</summary>
    private void ReadDataset(DicomDataset ds, long end, bool untilDelimiter, int depth)
    {
        var charset = ds.CharacterSet;
        while (true)
        {
            if (end >= 0 ? src.Position >= end : !untilDelimiter && src.AtEnd) return;
            var headerPos = src.Position;
            var (tag, vr, length) = ReadHeader(untilDelimiter, ds);
            if (tag == ItemDelim)
            {
                if (untilDelimiter) return;
                continue; // a stray delimiter carries nothing; dcmtk and pydicom skip it too
            }
            if (tag == ItemTag || tag == SeqDelim) throw Fail($"Unexpected {(tag == ItemTag ? "item" : "sequence delimiter")} tag in a dataset", headerPos);
            if (depth == 0 && options.Mode == DicomReadMode.MetadataOnly && IsPixelData(tag))
            {
                StoppedBeforePixelData = true;
                PixelDataPosition = headerPos;
                // A seekable input is left at its end (a seek reads nothing); a non-seekable one is not drained,
                // since that would read every pixel byte.
                if (src.CanSeek) src.Skip(src.Remaining);
                return;
            }
            _path.Add((tag, -1));
            var element = ReadValue(tag, vr, length, charset, depth);
            _path.RemoveAt(_path.Count - 1);
            if (tag == DicomTags.SpecificCharacterSet)
            {
                ds.CharacterSet = charset = DicomCharacterSet.FromElementValue(DicomCharacterSet.DecodeAscii(element.Buffer.Span).TrimEnd(' ', '\0'));
            }
            else if (tag.Value == 0x00280103 && element.Length >= 2)
                _pixelRepresentation = BinaryPrimitives.ReadUInt16LittleEndian(element.Buffer.Span);
            ds.Add(element);
            if (end >= 0 && src.Position > end) throw Fail("Element runs past the end of its item", headerPos);
        }
    }

    private static bool IsPixelData(DicomTag tag) => tag.Value is 0x7FE00010 or 0x7FE00008 or 0x7FE00009;

    private (DicomTag Tag, DicomVR VR, uint Length) ReadHeader(bool insideItem, DicomDataset ds)
    {
        var pos = src.Position;
        if (!src.TryPeek(8, out var h))
            throw Fail(insideItem ? "Input ends inside an item (missing item delimiter)" : "Input ends inside an element header", pos);
        var tag = new DicomTag(U16(h), U16(h[2..]));
        if (tag.Group == 0xFFFE || !_explicit)
        {
            var len = U32(h[4..]);
            src.Skip(8);
            return (tag, tag.Group == 0xFFFE ? DicomVR.None : ImplicitVR(tag, ds), len);
        }
        var vr = new DicomVR((ushort)(h[4] << 8 | h[5]));
        if (!vr.IsKnown)
        {
            // PS3.5 §6.2: an unknown VR is read as UN. Without a known VR the length size is a guess: take 2 bytes
            // when it is two letters (a newer 2-byte VR), otherwise the bytes are garbage.
            if (!(char.IsAsciiLetterUpper((char)h[4]) && char.IsAsciiLetterUpper((char)h[5])))
                throw Fail($"Invalid VR bytes 0x{h[4]:X2}{h[5]:X2} for {tag}", pos + 4);
            src.Skip(8);
            return (tag, DicomVR.UN, U16(h[6..]));
        }
        if (!vr.HasLongLength)
        {
            src.Skip(8);
            return (tag, vr, U16(h[6..]));
        }
        if (!src.TryRead(12, out var h12)) throw Fail("Input ends inside an element header", pos);
        return (tag, vr, U32(h12[8..]));
    }

    private DicomVR ImplicitVR(DicomTag tag, DicomDataset ds)
    {
        // Private elements: the VR their creator's dictionary gives, as dcmtk and pydicom do; else UN.
        var entry = tag.IsPrivate && !tag.IsPrivateCreator ? PrivateEntry(tag, ds) : _dict.Lookup(tag);
        if (entry is null) return DicomVR.UN;
        if (entry.AlternateVRs.Count == 1) return entry.VR;
        // Ambiguous PS3.6 VRs in implicit VR (PS3.5 Annex A.1): OW for pixel-like data, US/SS by Pixel Representation.
        if (entry.AlternateVRs.Contains(DicomVR.SS)) return _pixelRepresentation == 1 ? DicomVR.SS : DicomVR.US;
        if (entry.AlternateVRs.Contains(DicomVR.OW)) return DicomVR.OW;
        return entry.VR;
    }

    private DicomDictionaryEntry? PrivateEntry(DicomTag tag, DicomDataset ds)
    {
        if (tag.Element < 0x1000 || ds.GetElement(tag.PrivateCreatorTag) is not { } creator) return null;
        // A block's elements follow each other: its creator's entries are looked up once, not per element.
        var name = creator.GetString();
        if (!ReferenceEquals(name, _blockCreator)) (_blockCreator, _block) = (name, _dict.PrivateBlock(name));
        return _block?.GetValueOrDefault((uint)tag.Group << 8 | (byte)tag.Element);
    }

    private DicomElement ReadValue(DicomTag tag, DicomVR vr, uint length, DicomCharacterSet charset, int depth)
    {
        var pos = src.Position;
        if (length == Undefined)
        {
            if (IsPixelData(tag) && vr != DicomVR.SQ) return ReadFragments(tag, _explicit && vr != DicomVR.UN ? vr : DicomVR.OB);
            if (vr == DicomVR.SQ) return ReadSequence(tag, length, charset, depth, implicitInside: false);
            if (vr == DicomVR.UN) return ReadSequence(tag, length, charset, depth, implicitInside: true); // PS3.5 §6.2.2 note
            throw Fail($"Undefined length is not allowed for VR {vr}", pos);
        }
        if (vr == DicomVR.SQ) return ReadSequence(tag, length, charset, depth, implicitInside: false);
        if (length > src.Remaining) throw Fail($"Value length {length} exceeds the {src.Remaining} bytes left in the input", pos);
        var swap = _bigEndian && vr.IsBinaryNumeric ? (vr == DicomVR.AT ? 2 : vr.ValueSize) : 0;
        if (bulk is not null && options.Mode == DicomReadMode.LazyPixelData && src.CanSeek
            && (IsPixelData(tag) && depth == 0 || length >= options.LazyThreshold))
        {
            var lazy = new DicomBulkData(bulk, src.StreamPosition(pos), length, swap);
            src.Skip(length);
            return new DicomElement(tag, vr, lazy, charset);
        }
        if (length > options.MaxElementLength)
            throw Fail($"Value length {length} exceeds the configured element bound {options.MaxElementLength}", pos);
        var bytes = src.ReadMemory(length, writable: swap > 1) ?? throw Fail($"Input ends inside the value of {tag} ({length} bytes)", pos);
        if (swap > 1) ByteSwap.InPlace(System.Runtime.InteropServices.MemoryMarshal.AsMemory(bytes).Span, swap);
        return new DicomElement(tag, vr, bytes, charset);
    }

    private bool TryReadItemHeader(out DicomTag tag, out uint length)
    {
        if (!src.TryRead(8, out var h)) { tag = default; length = 0; return false; }
        tag = new DicomTag(U16(h), U16(h[2..]));
        length = U32(h[4..]);
        return true;
    }

    private ushort U16(ReadOnlySpan<byte> b) => _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);

    private uint U32(ReadOnlySpan<byte> b) => _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);

    private DicomReadException Fail(string message, long offset)
        => new(message, offset, string.Join('/', _path.Select(p => p.Item >= 0 ? $"{p.Tag}[{p.Item}]" : p.Tag.ToString())));
}

internal sealed partial class DicomReader
{
    /// <summary>Reads one little-endian element (file meta information).</summary>
    public void ReadOneElement(DicomDataset ds, bool isExplicit)
    {
        _explicit = isExplicit;
        _bigEndian = false;
        var pos = src.Position;
        var (tag, vr, length) = ReadHeader(false, ds);
        _path.Add((tag, -1));
        if (length == Undefined && vr != DicomVR.SQ) throw Fail("Undefined length in file meta information", pos);
        ds.Add(ReadValue(tag, vr, length, ds.CharacterSet, 0));
        _path.RemoveAt(_path.Count - 1);
    }
}
