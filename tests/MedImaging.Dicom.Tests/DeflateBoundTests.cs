using System.Buffers.Binary;
using System.IO.Compression;

namespace MedImaging.Dicom.Tests;

/// <summary>Issue 9, item 6 (part): a deflated dataset inflates to at most MaxInflatedLength (default 1 GiB); beyond it
/// the read fails naming the bound, without holding what was inflated.</summary>
public sealed class DeflateBoundTests
{
    private const int FragmentBytes = 16 << 20;

    [Fact]
    public void ADeflateBombPastTheDefaultBoundFailsNamingItWithoutHoldingTheInflatedBytes()
    {
        Assert.Equal(1L << 30, DicomReaderOptions.Default.MaxInflatedLength);
        // 1.3 GiB of encapsulated pixel data (80 fragments of 16 MiB of zeros) in about 1.3 MB of deflate data.
        var bomb = Bomb(fragments: 80);
        Assert.True(bomb.Length < 2 << 20, $"{bomb.Length} bytes");
        _ = DicomDictionary.Default.Count;
        var before = GC.GetAllocatedBytesForCurrentThread();
        // Metadata-only (what cataloguing uses) walks the fragments without keeping them: only the bound stops it.
        var ex = Assert.Throws<DicomReadException>(() => DicomFile.Open(new NonSeekableStream(bomb), DicomReaderOptions.MetadataOnly));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("bound of 1073741824 bytes (MaxInflatedLength)", ex.Reason, StringComparison.Ordinal);
        Assert.StartsWith("(7FE0,0010)", ex.TagPath, StringComparison.Ordinal);
        Assert.True(allocated < 32 << 20, $"allocated {allocated} bytes");
        // A full read of the same file keeps values: it fails at a lower bound the caller sets, the same way.
        var full = Assert.Throws<DicomReadException>(() => DicomFile.Open(bomb, new DicomReaderOptions { MaxInflatedLength = 100 << 20 }));
        Assert.Contains("bound of 104857600 bytes (MaxInflatedLength)", full.Reason, StringComparison.Ordinal);
        Assert.StartsWith("(7FE0,0010)[", full.TagPath, StringComparison.Ordinal);
        // Under the bound the same construction reads (the bound is what refused it, not the construction).
        var small = DicomFile.Open(Bomb(fragments: 3), DicomReaderOptions.Default);
        Assert.Equal(3, ((DicomFragmentSequence)small.Dataset.GetElement(DicomTags.PixelData)!).Fragments.Count);
    }

    [Fact]
    public void AValueClaimingMoreThanTheInflatedBoundFailsBeforeInflatingIt()
    {
        // A defined length of 1.5 GiB, under the element bound (2 GiB) but over the inflated bound: refused at its header.
        var header = DatasetHeader();
        var pixel = new byte[12];
        BinaryPrimitives.WriteUInt32LittleEndian(pixel, 0x00107FE0);
        pixel[4] = (byte)'O'; pixel[5] = (byte)'B';
        BinaryPrimitives.WriteUInt32LittleEndian(pixel.AsSpan(8), 3u << 29);
        var file = Part10Deflated([Deflate([.. header, .. pixel, .. new byte[1 << 20]], final: true)]);
        _ = DicomDictionary.Default.Count;
        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var options in new[] { DicomReaderOptions.Default, DicomReaderOptions.MetadataOnly })
        {
            var ex = Assert.Throws<DicomReadException>(() => DicomFile.Open(file, options));
            Assert.Equal("The value of (7FE0,0010) (1610612736 bytes) runs past the bound of 1073741824 bytes (MaxInflatedLength)", ex.Reason);
            Assert.Equal("(7FE0,0010)", ex.TagPath);
        }
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 << 20);
    }

    /// <summary>A deflated Part-10 file whose pixel data is <paramref name="fragments"/> fragments of 16 MiB of zeros.
    /// The deflate data is one compressed fragment repeated: each piece is flushed to a byte boundary without ending
    /// the stream, so the pieces concatenate into one valid deflate stream.</summary>
    private static byte[] Bomb(int fragments)
    {
        var item = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(item, 0xE000FFFE);
        BinaryPrimitives.WriteUInt32LittleEndian(item.AsSpan(4), FragmentBytes);
        var start = new byte[12 + 8];
        BinaryPrimitives.WriteUInt32LittleEndian(start, 0x00107FE0);
        start[4] = (byte)'O'; start[5] = (byte)'B';
        BinaryPrimitives.WriteUInt32LittleEndian(start.AsSpan(8), 0xFFFFFFFF);
        BinaryPrimitives.WriteUInt32LittleEndian(start.AsSpan(12), 0xE000FFFE); // empty offset table
        var fragment = Deflate([.. item, .. new byte[FragmentBytes]], final: false);
        var end = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0xE0DDFFFE);
        var pieces = new List<byte[]> { Deflate([.. DatasetHeader(), .. start], final: false) };
        pieces.AddRange(Enumerable.Repeat(fragment, fragments));
        pieces.Add(Deflate(end, final: true));
        return Part10Deflated(pieces);
    }

    private static byte[] DatasetHeader()
    {
        var ds = new DicomDataset()
            .Add(DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7").Add(DicomTags.SOPInstanceUID, "1.2.3.4.5.6.7")
            .Add(DicomTags.Modality, "OT").Add(DicomTags.PatientID, "BOMB");
        var ms = new MemoryStream();
        DicomWriter.WriteDataset(ds, ms, DicomTransferSyntax.ExplicitVRLittleEndian);
        return ms.ToArray();
    }

    private static byte[] Part10Deflated(IEnumerable<byte[]> deflatePieces)
    {
        var plain = new MemoryStream();
        DicomWriter.Write(new DicomFile(new DicomDataset(), new DicomDataset().Add(DicomTags.SOPInstanceUID, "1.2.3.4.5.6.7"), DicomTransferSyntax.ExplicitVRLittleEndian), plain);
        var bytes = plain.ToArray();
        var (file, start) = EverySource.DeflatedVariant(bytes, EverySource.MetaEnd(bytes))!.Value;
        var result = new MemoryStream();
        result.Write(file, 0, start);
        foreach (var piece in deflatePieces) result.Write(piece);
        return result.ToArray();
    }

    private static byte[] Deflate(byte[] data, bool final)
    {
        var ms = new MemoryStream();
        var d = new DeflateStream(ms, CompressionLevel.Optimal, leaveOpen: true);
        d.Write(data);
        d.Flush(); // a sync flush: the output ends on a byte boundary, the stream not ended
        var flushed = ms.ToArray();
        d.Dispose(); // writes the final block
        return final ? ms.ToArray() : flushed;
    }
}
