using System.Buffers.Binary;

namespace MedImaging.Dicom;

/// <summary>
/// Parses a dataset from a <see cref="ByteSource"/> in one transfer syntax (PS3.5 §7). Nesting is kept on an explicit
/// stack of frames, not the call stack, so the depth bound, not the thread's stack size, limits it. The outcome depends
/// only on the bytes in order: what the input holds past the current position is never used to fail early, so every
/// source (memory, seekable or not, deflated) fails at the same offset and tag path with the same reason.
/// </summary>
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

    /// <summary>What the read accepted but the caller may want to know (trailing zero padding).</summary>
    public IReadOnlyList<string> Warnings => _warnings ?? (IReadOnlyList<string>)[];

    private List<string>? _warnings;

    public void ReadTopLevel(DicomDataset ds, bool explicitVR, bool bigEndian)
    {
        _explicit = explicitVR;
        _bigEndian = bigEndian;
        try
        {
            Run(ds);
        }
        catch (InputBoundException ex)
        {
            throw Fail(ex.Message, ex.Offset);
        }
        catch (InvalidDataException ex)
        {
            // The inflater found corrupt or truncated deflate data: report where the dataset had got to.
            throw Fail($"Deflated data is corrupt or truncated: {ex.Message}", src.Position);
        }
    }

    /// <summary>One element (or the pixel data in metadata-only mode) of the dataset on top of the stack.</summary>
    private void StepDataset(ref Frame f)
    {
        var ds = f.Dataset!;
        if (f.End >= 0 ? src.Position >= f.End : !f.UntilDelimiter && src.AtEnd)
        {
            Pop();
            return;
        }
        var headerPos = src.Position;
        if (_count == 1 && IsZeroPadding(headerPos)) return;
        var (tag, vr, length) = ReadHeader(f.UntilDelimiter, ds);
        if (tag == ItemDelim)
        {
            if (f.UntilDelimiter) Pop();
            return; // outside an undefined-length item a stray delimiter carries nothing; dcmtk and pydicom skip it too
        }
        if (tag == ItemTag || tag == SeqDelim) throw Fail($"Unexpected {(tag == ItemTag ? "item" : "sequence delimiter")} tag in a dataset", headerPos);
        _path.Add((tag, -1));
        if (_count == 1 && options.Mode == DicomReadMode.MetadataOnly && IsPixelData(tag))
        {
            SkipPixelData(ref f, tag, vr, length, headerPos);
            return;
        }
        if (vr == DicomVR.SQ || (length == Undefined && vr == DicomVR.UN && !IsPixelData(tag)))
        {
            // PS3.5 §6.2.2 note: UN of undefined length is an implicit VR little endian sequence.
            OpenSequence(ref f, tag, length, headerPos, implicitInside: vr == DicomVR.UN);
            return;
        }
        var element = ReadValue(tag, vr, length, ds.CharacterSet, _count == 1);
        _path.RemoveAt(_path.Count - 1);
        if (tag == DicomTags.SpecificCharacterSet)
            ds.CharacterSet = DicomCharacterSet.FromElementValue(DicomCharacterSet.DecodeAscii(element.Buffer.Span).TrimEnd(' ', '\0'));
        else if (tag.Value == 0x00280103 && element.Length >= 2)
            _pixelRepresentation = BinaryPrimitives.ReadUInt16LittleEndian(element.Buffer.Span);
        ds.Add(element);
        if (f.End >= 0 && src.Position > f.End) throw Fail("Element runs past the end of its item", headerPos);
    }

    /// <summary>
    /// At the top level, zero bytes where an element should start: padding some archives append after the dataset
    /// (dcmtk, pydicom and Orthanc read past it). Accepted, with a warning, only when nothing but zeros follows.
    /// </summary>
    private bool IsZeroPadding(long headerPos)
    {
        if (!src.TryPeek(1, out var first) || first[0] != 0) return false;
        if (src.TryPeek(4, out var tag) && BinaryPrimitives.ReadUInt32LittleEndian(tag) != 0) return false;
        var other = src.SkipZeros();
        if (other >= 0)
            throw Fail($"Unexpected data after the dataset: zero bytes from offset {headerPos}, then a non-zero byte at offset {other}", headerPos);
        (_warnings ??= []).Add($"{src.Position - headerPos} bytes of zero padding after the dataset (from offset {headerPos}) were ignored");
        Pop();
        return true;
    }

    private static bool IsPixelData(DicomTag tag) => tag.Value is 0x7FE00010 or 0x7FE00008 or 0x7FE00009;

    private (DicomTag Tag, DicomVR VR, uint Length) ReadHeader(bool insideItem, DicomDataset ds)
    {
        var pos = src.Position;
        if (!src.TryPeek(8, out var h))
            throw Fail(insideItem ? "Input is truncated: it ends inside an item (missing item delimiter)" : "Input is truncated: it ends inside an element header", pos);
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
        if (!src.TryRead(12, out var h12)) throw Fail("Input is truncated: it ends inside an element header", pos);
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

    /// <summary>A value that is not a sequence: in memory, or left in a seekable input in lazy mode.</summary>
    private DicomElement ReadValue(DicomTag tag, DicomVR vr, uint length, DicomCharacterSet charset, bool topLevel)
    {
        var pos = src.Position;
        if (length == Undefined)
        {
            if (IsPixelData(tag)) return ReadFragments(tag, _explicit && vr != DicomVR.UN ? vr : DicomVR.OB);
            throw Fail($"Undefined length is not allowed for VR {vr}", pos);
        }
        var swap = _bigEndian && vr.IsBinaryNumeric ? (vr == DicomVR.AT ? 2 : vr.ValueSize) : 0;
        if (bulk is not null && options.Mode == DicomReadMode.LazyPixelData && src.CanSeek
            && (IsPixelData(tag) && topLevel || length >= options.LazyThreshold))
        {
            if (!src.Skip(length)) throw PastEnd($"the value of {tag}", length, pos);
            return new DicomElement(tag, vr, new DicomBulkData(bulk, src.StreamPosition(pos), length, swap), charset);
        }
        // The element bound is known from the header alone, so it is checked before the input's end is.
        if (length > Math.Min(options.MaxElementLength, Array.MaxLength))
            throw Fail($"Value length {length} exceeds the configured element bound {options.MaxElementLength}", pos);
        var bytes = src.ReadMemory(length, writable: swap > 1) ?? throw PastEnd($"the value of {tag}", length, pos);
        if (swap > 1) ByteSwap.InPlace(System.Runtime.InteropServices.MemoryMarshal.AsMemory(bytes).Span, swap);
        return new DicomElement(tag, vr, bytes, charset);
    }

    /// <summary>A value longer than what is left: the input is truncated, or (input of unknown length) the value
    /// runs past the configured bound — the same reason whether the source knows its length or finds the end.</summary>
    private DicomReadException PastEnd(string what, long length, long pos, long valueStart = -1)
        => src.EndIsBound && length > src.End - (valueStart < 0 ? pos : valueStart)
            ? Fail($"{char.ToUpperInvariant(what[0])}{what[1..]} ({length} bytes) runs past the bound of {src.Bound} bytes ({src.BoundName})", pos)
            : Fail($"Input is truncated: it ends inside {what} ({length} bytes)", pos);

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
        try
        {
            var (tag, vr, length) = ReadHeader(false, ds);
            _path.Add((tag, -1));
            if (length == Undefined || vr == DicomVR.SQ) throw Fail("Sequence or undefined length in file meta information", pos);
            ds.Add(ReadValue(tag, vr, length, ds.CharacterSet, false));
            _path.RemoveAt(_path.Count - 1);
        }
        catch (InputBoundException ex)
        {
            throw Fail(ex.Message, ex.Offset);
        }
    }
}
