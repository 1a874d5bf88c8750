using System.Buffers.Binary;

namespace MedImaging.Dicom;

/// <summary>Which fragments make up a frame (PS3.5 §A.4): extended offset table, basic offset table, one per frame, or all.</summary>
internal static class FrameFragments
{
    public static byte[] Collect(DicomFragmentSequence seq, DicomDataset ds, int frame, int frames)
    {
        var fragments = seq.Fragments;
        if (frames == 1) return Concat(fragments);
        // Fragment start positions relative to the first fragment's item tag: each item is 8 header bytes + value.
        var starts = new long[fragments.Count];
        for (long pos = 0, i = 0; i < fragments.Count; i++) { starts[i] = pos; pos += 8 + fragments[(int)i].Length; }
        var extended = ds.GetElement(new DicomTag(0x7FE00001));
        long[] offsets;
        if (extended is not null && extended.Length >= frames * 8)
            offsets = [.. Enumerable.Range(0, frames).Select(i => (long)BinaryPrimitives.ReadUInt64LittleEndian(extended.Buffer.Span[(i * 8)..]))];
        else if (seq.OffsetTable.Length >= frames * 4)
            offsets = [.. seq.GetBasicOffsets().Take(frames).Select(o => (long)o)];
        else if (fragments.Count == frames) return fragments[frame].Buffer.ToArray();
        else return ByStartMarker(fragments, frame, frames);
        var first = Array.IndexOf(starts, offsets[frame]);
        // Some writers' tables are off (GDCM's example 00191113.dcm is off by one byte); with one fragment per frame the
        // fragments themselves say where frames are, as dcmtk and pydicom read such files.
        if (first < 0 && fragments.Count == frames) return fragments[frame].Buffer.ToArray();
        if (first < 0) throw new DicomReadException($"Offset table entry {offsets[frame]} for frame {frame} is not a fragment start.");
        var end = frame + 1 < frames ? offsets[frame + 1] : long.MaxValue;
        var parts = new List<DicomElement>();
        for (var i = first; i < fragments.Count && starts[i] < end; i++) parts.Add(fragments[i]);
        return Concat(parts);
    }

    /// <summary>No offset table and more fragments than frames: a frame starts at each fragment that begins with a
    /// JPEG/JPEG-LS SOI (FFD8) or JPEG 2000 SOC (FF4F) marker, when there is exactly one such fragment per frame (as
    /// pydicom finds frames); anything else cannot be mapped.</summary>
    private static byte[] ByStartMarker(List<DicomElement> fragments, int frame, int frames)
    {
        var firsts = new List<int>();
        for (var i = 0; i < fragments.Count; i++)
            if (fragments[i].Buffer.Span is [0xFF, 0xD8 or 0x4F, ..]) firsts.Add(i);
        if (firsts.Count != frames || firsts[0] != 0)
            throw new DicomReadException($"{fragments.Count} fragments for {frames} frames and no offset table to map them.");
        var end = frame + 1 < frames ? firsts[frame + 1] : fragments.Count;
        return Concat(fragments.GetRange(firsts[frame], end - firsts[frame]));
    }

    private static byte[] Concat(List<DicomElement> parts)
    {
        if (parts.Count == 1) return parts[0].Buffer.ToArray();
        var total = parts.Sum(p => p.Length);
        var result = new byte[total];
        var o = 0;
        foreach (var p in parts) { p.Buffer.Span.CopyTo(result.AsSpan(o)); o += (int)p.Length; }
        return result;
    }
}
