namespace MedImaging.Dicom;

/// <summary>A sequence of items (VR SQ, or UN of undefined length which PS3.5 §6.2.2 reads as implicit VR SQ).</summary>
public sealed class DicomSequence(DicomTag tag, IEnumerable<DicomDataset>? items = null)
    : DicomElement(tag, DicomVR.SQ, ReadOnlyMemory<byte>.Empty)
{
    /// <summary>The items, in order.</summary>
    public List<DicomDataset> Items { get; } = items?.ToList() ?? [];

    /// <summary>Number of bytes the items took in the input (0 when built in memory).</summary>
    public override long Length => 0;

    /// <inheritdoc />
    public override string ToString() => $"{Tag} SQ [{Items.Count} items]";
}

/// <summary>Encapsulated pixel data (PS3.5 §A.4): the basic offset table and the fragments, each possibly lazy.</summary>
public sealed class DicomFragmentSequence(DicomTag tag, DicomVR vr) : DicomElement(tag, vr, ReadOnlyMemory<byte>.Empty)
{
    /// <summary>The basic offset table item's value (often empty).</summary>
    public ReadOnlyMemory<byte> OffsetTable { get; set; } = ReadOnlyMemory<byte>.Empty;

    /// <summary>The fragments; each is an element whose <see cref="DicomElement.Buffer"/> is the fragment bytes.</summary>
    public List<DicomElement> Fragments { get; } = [];

    /// <summary>The basic offset table as 32-bit offsets, relative to the first fragment's item tag.</summary>
    public uint[] GetBasicOffsets() => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(OffsetTable.Span).ToArray();

    /// <summary>Total bytes of the fragments.</summary>
    public override long Length => Fragments.Sum(f => f.Length);

    /// <inheritdoc />
    public override string ToString() => $"{Tag} {VR} [encapsulated, {Fragments.Count} fragments]";
}
