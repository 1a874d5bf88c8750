namespace MedImaging.Dicom;

internal sealed partial class DicomReader
{
    /// <summary>An open container: a dataset (the top level or an item) or a sequence.</summary>
    private struct Frame
    {
        public DicomDataset? Dataset;       // dataset frames
        public DicomSequence? Sequence;     // sequence frames
        public long End;                    // where a defined length ends; -1 for undefined length
        public bool UntilDelimiter;         // an item of undefined length
        public long HeaderPos;              // sequence frames: where the sequence element's header starts
        public bool SavedExplicit, SavedBig; // sequence frames: the encoding outside (UN sequences are implicit inside)
        public DicomCharacterSet? Charset;  // sequence frames: what its items inherit
    }

    private Frame[] _frames = new Frame[8];
    private int _count;
    private DicomDataset? _discard;

    private void Run(DicomDataset top)
    {
        Push(new Frame { Dataset = top, End = -1 });
        while (_count > 0)
        {
            ref var f = ref _frames[_count - 1];
            if (f.Dataset is not null) StepDataset(ref f);
            else StepSequence(ref f);
        }
    }

    // Callers must not use a Frame reference after Push (the array may grow) or Pop (the slot is cleared).
    private void Push(Frame frame)
    {
        if (_count == _frames.Length) Array.Resize(ref _frames, _count * 2);
        _frames[_count++] = frame;
    }

    private void Pop() => _frames[--_count] = default;

    private void OpenSequence(ref Frame parent, DicomTag tag, uint length, long headerPos, bool implicitInside)
    {
        var depth = (_count - 1) / 2 + 1; // frames alternate dataset, sequence, dataset…
        if (depth > options.MaxDepth) throw Fail($"Sequences nest deeper than the configured bound {options.MaxDepth}", src.Position);
        var end = length == Undefined ? -1 : src.Position + length;
        // Checked against the enclosing item only (known from what was read), never against the input's end.
        if (end >= 0 && parent.End >= 0 && end > parent.End) throw Fail("Element runs past the end of its item", headerPos);
        var seq = new DicomSequence(tag);
        parent.Dataset!.Add(seq);
        var frame = new Frame
        {
            Sequence = seq, End = end, HeaderPos = headerPos, SavedExplicit = _explicit, SavedBig = _bigEndian,
            Charset = parent.Dataset.CharacterSet,
        };
        if (implicitInside) (_explicit, _bigEndian) = (false, false);
        Push(frame);
    }

    /// <summary>One item header (opening the item) or the end of the sequence.</summary>
    private void StepSequence(ref Frame f)
    {
        var seq = f.Sequence!;
        if (f.End >= 0 && src.Position >= f.End)
        {
            CloseSequence(ref f);
            return;
        }
        var itemPos = src.Position;
        if (!TryReadItemHeader(out var itemTag, out var itemLength))
            throw Fail(f.End < 0 ? "Input is truncated: it ends inside a sequence (missing sequence delimiter)" : "Input is truncated: it ends inside a sequence", itemPos);
        if (itemTag == SeqDelim)
        {
            CloseSequence(ref f);
            return;
        }
        if (itemTag != ItemTag) throw Fail($"Expected an item tag in the sequence, found {itemTag}", itemPos);
        var item = new DicomDataset(f.Charset!, 8);
        _path[^1] = (seq.Tag, seq.Items.Count);
        seq.Items.Add(item);
        if (itemLength == Undefined)
        {
            Push(new Frame { Dataset = item, End = -1, UntilDelimiter = true });
            return;
        }
        if (f.End >= 0 && src.Position + itemLength > f.End)
            throw Fail($"Item length {itemLength} runs past its sequence", itemPos);
        Push(new Frame { Dataset = item, End = src.Position + itemLength });
    }

    private void CloseSequence(ref Frame f)
    {
        if (f.End >= 0 && src.Position != f.End) throw Fail("Items overrun the sequence length", src.Position);
        (_explicit, _bigEndian) = (f.SavedExplicit, f.SavedBig);
        var headerPos = f.HeaderPos;
        Pop();
        _path.RemoveAt(_path.Count - 1);
        var parentEnd = _frames[_count - 1].End;
        if (parentEnd >= 0 && src.Position > parentEnd) throw Fail("Element runs past the end of its item", headerPos);
    }

    /// <summary>
    /// Metadata-only mode at top-level pixel data: the dataset the caller gets ends here. The pixel data and whatever
    /// follows are still walked (skipped: seeking where the input allows, never kept) so that a truncated value, a
    /// broken fragment list or trailing garbage fails as it does in a full read.
    /// </summary>
    private void SkipPixelData(ref Frame f, DicomTag tag, DicomVR vr, uint length, long headerPos)
    {
        if (!StoppedBeforePixelData)
        {
            StoppedBeforePixelData = true;
            PixelDataPosition = headerPos;
            // What follows is only walked to find the end of the input: a seekable one seeks over values and reads
            // just the item headers of encapsulated data, never a read-ahead chunk of pixels. (A non-seekable one has
            // to read through them, into the pooled buffer, to know the input ends where it should.)
            if (src.CanSeek) src.ReadAhead = 0;
        }
        f.Dataset = _discard ??= new DicomDataset();
        if (vr == DicomVR.SQ)
        {
            OpenSequence(ref f, tag, length, headerPos, implicitInside: false);
            return;
        }
        var pos = src.Position;
        if (length == Undefined) ReadFragments(tag, DicomVR.OB, keep: false);
        else if (!src.Skip(length)) throw PastEnd($"the value of {tag}", length, pos);
        _path.RemoveAt(_path.Count - 1);
    }

    /// <summary>Encapsulated pixel data (PS3.5 §A.4): an offset table item, then fragment items, then a sequence
    /// delimiter. Without <paramref name="keep"/> the items are only checked and skipped.</summary>
    private DicomFragmentSequence ReadFragments(DicomTag tag, DicomVR vr, bool keep = true)
    {
        var result = new DicomFragmentSequence(tag, vr);
        var first = true;
        var count = 0;
        while (true)
        {
            var itemPos = src.Position;
            if (!TryReadItemHeader(out var itemTag, out var length)) throw Fail("Input is truncated: it ends inside encapsulated pixel data", itemPos);
            if (itemTag == SeqDelim) return result;
            if (itemTag != ItemTag) throw Fail($"Expected a fragment item in encapsulated pixel data, found {itemTag}", itemPos);
            if (length == Undefined) throw Fail("Undefined length for a fragment of encapsulated pixel data", itemPos);
            _path[^1] = (tag, count++);
            var valueStart = src.Position;
            if (!keep || (bulk is not null && options.Mode == DicomReadMode.LazyPixelData && src.CanSeek && !first))
            {
                var at = src.StreamPosition(src.Position);
                if (!src.Skip(length)) throw PastEnd(first ? "the offset table" : "a fragment", length, itemPos, valueStart);
                if (keep) result.Fragments.Add(new DicomElement(ItemTag, DicomVR.OB, new DicomBulkData(bulk!, at, length, 0), DicomCharacterSet.Default));
                first = false;
                continue;
            }
            if (length > Math.Min(options.MaxElementLength, Array.MaxLength))
                throw Fail($"{(first ? "Offset table" : "Fragment")} length {length} exceeds the configured element bound {options.MaxElementLength}", itemPos);
            var bytes = src.ReadMemory(length, false) ?? throw PastEnd(first ? "the offset table" : "a fragment", length, itemPos, valueStart);
            if (first) result.OffsetTable = bytes;
            else result.Fragments.Add(new DicomElement(ItemTag, DicomVR.OB, bytes));
            first = false;
        }
    }
}
