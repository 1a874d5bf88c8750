using MedImaging.Dicom;

namespace MedImaging.Registration.Ingest;

/// <summary>What "same content" means: every element but the file meta group and the pixel data (which is not kept).</summary>
public static class ContentHash
{
    /// <summary>The DICOM JSON bytes the content hash is taken over (unchanged since the first release: stored hashes still match).</summary>
    public static byte[] Canonical(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        // A shallow top-level copy: serialising only reads, so sequences need no deep clone.
        var kept = new DicomDataset(dataset.CharacterSet, dataset.Count);
        foreach (var e in dataset)
            if (e.Tag.Group is not (0x0002 or 0x7FE0) && !e.Tag.IsGroupLength) kept.Add(e);
        using var buffer = new MemoryStream(4096);
        DicomJsonWriter.Write(buffer, kept);
        return buffer.ToArray();
    }
}
