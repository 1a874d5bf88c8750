namespace MedImaging.Dicom;

internal sealed partial class DicomReader
{
    private DicomSequence ReadSequence(DicomTag tag, uint length, DicomCharacterSet charset, int depth, bool implicitInside)
    {
        if (depth + 1 > options.MaxDepth) throw Fail($"Sequences nest deeper than the configured bound {options.MaxDepth}", src.Position);
        var start = src.Position;
        long end = length == Undefined ? -1 : start + length;
        if (end > src.End) throw Fail($"Sequence length {length} exceeds the {src.Remaining} bytes left in the input", start);
        var seq = new DicomSequence(tag);
        var (savedExplicit, savedBig) = (_explicit, _bigEndian);
        if (implicitInside) (_explicit, _bigEndian) = (false, false);
        try
        {
            while (end < 0 || src.Position < end)
            {
                var itemPos = src.Position;
                if (!TryReadItemHeader(out var itemTag, out var itemLength))
                    throw Fail(end < 0 ? "Input ends inside a sequence (missing sequence delimiter)" : "Input ends inside a sequence", itemPos);
                if (itemTag == SeqDelim) break;
                if (itemTag != ItemTag) throw Fail($"Expected an item tag in the sequence, found {itemTag}", itemPos);
                var item = new DicomDataset(charset, 8);
                _path[^1] = (tag, seq.Items.Count);
                if (itemLength == Undefined) ReadDataset(item, -1, untilDelimiter: true, depth + 1);
                else
                {
                    if (itemLength > src.Remaining || (end >= 0 && src.Position + itemLength > end))
                        throw Fail($"Item length {itemLength} runs past its sequence or the input", itemPos);
                    ReadDataset(item, src.Position + itemLength, untilDelimiter: false, depth + 1);
                }
                seq.Items.Add(item);
            }
            if (end >= 0 && src.Position != end) throw Fail("Items overrun the sequence length", src.Position);
        }
        finally
        {
            (_explicit, _bigEndian) = (savedExplicit, savedBig);
            _path[^1] = (tag, -1);
        }
        return seq;
    }

    /// <summary>Encapsulated pixel data (PS3.5 §A.4): an offset table item, then fragment items, then a sequence delimiter.</summary>
    private DicomFragmentSequence ReadFragments(DicomTag tag, DicomVR vr)
    {
        var result = new DicomFragmentSequence(tag, vr);
        var first = true;
        while (true)
        {
            var itemPos = src.Position;
            if (!TryReadItemHeader(out var itemTag, out var length)) throw Fail("Input ends inside encapsulated pixel data", itemPos);
            if (itemTag == SeqDelim) return result;
            if (itemTag != ItemTag) throw Fail($"Expected a fragment item in encapsulated pixel data, found {itemTag}", itemPos);
            if (length == Undefined || length > src.Remaining) throw Fail($"Fragment length {length} exceeds the input", itemPos);
            _path[^1] = (tag, first ? 0 : result.Fragments.Count + 1);
            if (first)
            {
                if (length > options.MaxElementLength) throw Fail("Offset table exceeds the element bound", itemPos);
                result.OffsetTable = src.ReadMemory(length, false) ?? throw Fail("Input ends inside the offset table", itemPos);
                first = false;
                continue;
            }
            if (bulk is not null && options.Mode == DicomReadMode.LazyPixelData && src.CanSeek)
            {
                result.Fragments.Add(new DicomElement(ItemTag, DicomVR.OB, new DicomBulkData(bulk, src.StreamPosition(src.Position), length, 0), DicomCharacterSet.Default));
                src.Skip(length);
                continue;
            }
            if (length > options.MaxElementLength) throw Fail($"Fragment length {length} exceeds the configured element bound", itemPos);
            var bytes = src.ReadMemory(length, false) ?? throw Fail("Input ends inside a fragment", itemPos);
            result.Fragments.Add(new DicomElement(ItemTag, DicomVR.OB, bytes));
        }
    }
}
