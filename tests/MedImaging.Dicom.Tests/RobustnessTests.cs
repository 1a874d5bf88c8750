using System.Buffers.Binary;
using MedImaging.Dicom.Tests.Peers;

namespace MedImaging.Dicom.Tests;

/// <summary>Bad input ends in DicomReadException with offset and tag path; limits are the caller's.</summary>
public sealed class RobustnessTests
{
    [PydicomFact]
    public void TruncatedFileReportsOffsetAndTagPath()
    {
        var bytes = File.ReadAllBytes(Corpus.Get("rtplan.dcm"));
        var cut = bytes[..(bytes.Length - 300)];
        var ex = Assert.Throws<DicomReadException>(() => DicomFile.Open(cut));
        Assert.InRange(ex.Offset, 0, cut.Length);
        // Reported where the input ends (what every source can see), not where a defined length first points past it:
        // Beam Sequence item 0, Control Point Sequence item 1, Referenced Dose Reference Sequence item 1, its last value.
        Assert.Equal("(300A,00B0)[0]/(300A,0111)[1]/(300C,0050)[1]/(300A,010C)", ex.TagPath);
        Assert.Contains(ex.TagPath, ex.Message, StringComparison.Ordinal);
        // Re-encoded with undefined lengths, the cut lands inside an item: the path names the item.
        var ms = new MemoryStream();
        DicomWriter.Write(DicomFile.Open(bytes), ms);
        var written = ms.ToArray();
        var inner = Assert.Throws<DicomReadException>(() => DicomFile.Open(written[..(written.Length - 300)]));
        Assert.Equal("(300A,0180)[0]/(0018,5100)", inner.TagPath); // Patient Setup Sequence item 0, Patient Position
    }

    [Fact]
    public void LyingLengthDoesNotAllocateBeyondTheInput()
    {
        var ms = new MemoryStream();
        var header = new byte[12];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0x00107FE0);
        header[4] = (byte)'O'; header[5] = (byte)'B';
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), 0xFFFFFFF0);
        ms.Write(header);
        ms.Write(new byte[100]);
        _ = DicomDictionary.Default.Count; // the dictionary loads once per process; not part of what is measured
        var before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<DicomReadException>(() => DicomFile.ReadDataset(new MemoryStream(ms.ToArray()), DicomTransferSyntax.ExplicitVRLittleEndian));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1024 * 1024);
        Assert.Equal(12, ex.Offset);
        Assert.Equal("(7FE0,0010)", ex.TagPath);
        // A stream of unknown length: the value is read in chunks as it arrives, so a lie still allocates little.
        before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<DicomReadException>(() => DicomFile.ReadDataset(new NonSeekableStream(ms.ToArray()), DicomTransferSyntax.ExplicitVRLittleEndian));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 4 * 1024 * 1024);
    }

    [PydicomFact]
    public void ElementAndFileBoundsAreTheCallers()
    {
        var path = Corpus.Get("CT_small.dcm");
        var ex = Assert.Throws<DicomReadException>(() => DicomFile.Open(path, new DicomReaderOptions { MaxElementLength = 4096 }));
        Assert.Equal("(7FE0,0010)", ex.TagPath);
        Assert.Contains("element bound", ex.Reason, StringComparison.Ordinal);
        Assert.Throws<DicomReadException>(() => DicomFile.Open(path, new DicomReaderOptions { MaxFileLength = 10_000 }));
        Assert.NotNull(DicomFile.Open(path, new DicomReaderOptions { MaxElementLength = 40_000 }).Dataset.GetElement(DicomTags.PixelData));
    }

    [Fact]
    public void DeeplyNestedUndefinedLengthItemsStopAtTheDepthBound()
    {
        // 10,000 nested sequences of undefined length: the reader must refuse at MaxDepth, not recurse or loop.
        var ms = new MemoryStream();
        var w = new BinaryWriter(ms);
        for (var i = 0; i < 10_000; i++)
        {
            w.Write((ushort)0x0040); w.Write((ushort)0xA730); w.Write("SQ"u8); w.Write((ushort)0); w.Write(0xFFFFFFFFu);
            w.Write((ushort)0xFFFE); w.Write((ushort)0xE000); w.Write(0xFFFFFFFFu);
        }
        var ex = Assert.Throws<DicomReadException>(() => DicomFile.ReadDataset(new MemoryStream(ms.ToArray()), DicomTransferSyntax.ExplicitVRLittleEndian));
        Assert.Contains("nest deeper", ex.Reason, StringComparison.Ordinal);
        Assert.StartsWith("(0040,A730)[0]/(0040,A730)[0]", ex.TagPath, StringComparison.Ordinal);
        var shallow = DicomReaderOptions.Default with { MaxDepth = 3 };
        Assert.Throws<DicomReadException>(() => DicomFile.ReadDataset(new MemoryStream(ms.ToArray()), DicomTransferSyntax.ExplicitVRLittleEndian, shallow));
    }

    [Fact]
    public void ItemThatClaimsToContainItselfCannotLoop()
    {
        // A defined-length item whose length points back over its own header: the reader must move forward or fail.
        var ms = new MemoryStream();
        var w = new BinaryWriter(ms);
        w.Write((ushort)0x0040); w.Write((ushort)0xA730); w.Write("SQ"u8); w.Write((ushort)0); w.Write(16u);
        w.Write((ushort)0xFFFE); w.Write((ushort)0xE000); w.Write(0xFFFFFFF8u);
        w.Write(0UL);
        Assert.Throws<DicomReadException>(() => DicomFile.ReadDataset(new MemoryStream(ms.ToArray()), DicomTransferSyntax.ExplicitVRLittleEndian));
    }

    private sealed class NonSeekableStream(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data);
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
