using System.Globalization;

namespace MedImaging.Dicom.Tests;

/// <summary>
/// Metadata-only reads of real-size instances stop at the pixel data header: from a path or a seekable stream they
/// read at most the header plus one read-ahead chunk (the pixel data is seeked over), and from any input they never
/// copy the pixel data. Values are copied out of the reader's pooled buffer, so a later read cannot change an earlier
/// dataset.
/// </summary>
public sealed class MetadataOnlyIoTests
{
    private const int Size = 512; // a CT slice: 512×512×16-bit = 512 KiB of pixel data

    public enum Input { Path, SeekableStream, NonSeekableStream }

    [Theory]
    [InlineData(Input.Path)]
    [InlineData(Input.SeekableStream)]
    public void MetadataOnlyReadsTheHeaderAndNoPixelBytes(Input input)
    {
        var bytes = Slice(1, "Header^Only");
        var pixelValueStart = bytes.Length - Size * Size * 2;
        var path = TempFile(bytes);
        try
        {
            _ = DicomDictionary.Default.Count; // loaded once per process; not part of what is measured
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            long read;
            DicomFile file;
            if (input == Input.Path)
            {
                // The kernel's count of bytes this thread read: FileStream reads synchronously on the calling thread.
                var before = ThreadBytesRead();
                file = DicomFile.Open(path, DicomReaderOptions.MetadataOnly);
                read = ThreadBytesRead() - before;
            }
            else
            {
                using var stream = new CountingStream(bytes, seekable: input == Input.SeekableStream);
                file = DicomFile.Open(stream, DicomReaderOptions.MetadataOnly);
                read = stream.BytesRead;
            }
            var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

            Assert.True(file.StoppedBeforePixelData);
            Assert.Equal(pixelValueStart - 12, file.PixelDataPosition);
            Assert.Equal("Header^Only", file.Dataset.GetString(DicomTags.PatientName));
            Assert.Equal(120, file.Dataset.Count(e => e.Tag.Group == 0x0045));
            // Reads grow from 8192 by doubling, so they end less than the header plus one
            // read-ahead past it; reading the pixel data (or a whole-buffer chunk of it) would go far beyond.
            var bound = 2L * pixelValueStart + DicomFile.MetadataReadAhead;
            Assert.True(read <= bound, $"{input}: read {read} bytes; the header is {pixelValueStart}, the bound {bound}");
            Assert.True(allocated < Size * Size, $"{input}: allocated {allocated} bytes for a {bytes.Length}-byte file");
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void ANonSeekableStreamIsReadToItsEndButThePixelDataIsNotCopied()
    {
        // Only reading on can show that the input ends where the pixel data does (truncation and trailing data are
        // errors from every source); the bytes pass through the pooled buffer and are not kept.
        var bytes = Slice(1, "Header^Only");
        using var stream = new CountingStream(bytes, seekable: false);
        _ = DicomDictionary.Default.Count;
        var before = GC.GetAllocatedBytesForCurrentThread();
        var file = DicomFile.Open(stream, DicomReaderOptions.MetadataOnly);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(file.StoppedBeforePixelData);
        Assert.False(file.Dataset.Contains(DicomTags.PixelData));
        Assert.Equal(bytes.Length, stream.BytesRead);
        Assert.True(allocated < Size * Size, $"allocated {allocated} bytes for a {bytes.Length}-byte stream");
        var cut = new CountingStream(bytes[..^1], seekable: false);
        Assert.Throws<DicomReadException>(() => DicomFile.Open(cut, DicomReaderOptions.MetadataOnly));
    }

    [Theory]
    [InlineData(Input.Path)]
    [InlineData(Input.SeekableStream)]
    [InlineData(Input.NonSeekableStream)]
    public void ValuesOfOneReadSurviveTheNextReadThroughThePooledBuffer(Input input)
    {
        // Same layout, different values: were a value a slice of the pooled read buffer, reading the second file
        // into that buffer would change the first dataset.
        var first = Slice(1, "First^Patient");
        var second = Slice(2, "Other^Patient");
        var expected = DicomJsonWriter.Serialize(DicomFile.Open(first, DicomReaderOptions.MetadataOnly).Dataset);
        var paths = new[] { TempFile(first), TempFile(second) };
        try
        {
            DicomFile Read(int i) => input switch
            {
                Input.Path => DicomFile.Open(paths[i], DicomReaderOptions.MetadataOnly),
                _ => DicomFile.Open(new CountingStream(i == 0 ? first : second, input == Input.SeekableStream), DicomReaderOptions.MetadataOnly),
            };
            var a = Read(0);
            var b = Read(1);
            Assert.Equal(expected, DicomJsonWriter.Serialize(a.Dataset));
            Assert.Equal("First^Patient", a.Dataset.GetString(DicomTags.PatientName));
            Assert.Equal("Other^Patient", b.Dataset.GetString(DicomTags.PatientName));
            Assert.NotEqual(DicomJsonWriter.Serialize(a.Dataset), DicomJsonWriter.Serialize(b.Dataset));
        }
        finally { foreach (var p in paths) File.Delete(p); }
    }

    /// <summary>A CT slice: patient and study data, a long private block, 512×512 16-bit pixels. Files made with the same
    /// <paramref name="patient"/> length have the same layout.</summary>
    private static byte[] Slice(int index, string patient)
    {
        var ds = new DicomDataset();
        ds.Add(DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.2");
        ds.Add(DicomTags.SOPInstanceUID, $"1.2.826.0.1.3680043.2.1143.77.{index}");
        ds.Add(DicomTags.StudyInstanceUID, $"1.2.826.0.1.3680043.2.1143.78.{index}");
        ds.Add(DicomTags.Modality, "CT");
        ds.Add(DicomTags.PatientName, patient);
        ds.Add(DicomTags.PatientID, $"PID{index:D6}");
        ds.Add(DicomTags.ImagePositionPatient, DicomVR.DS, "-170", "-170", $"-{index % 10}.5");
        ds.Add(new DicomElement(new DicomTag(0x0045, 0x0010), DicomVR.LO, "ACME CT PARAMS  "u8.ToArray()));
        for (var e = 0; e < 119; e++)
            ds.Add(new DicomTag(0x0045, (ushort)(0x1000 + e)), DicomVR.LO, $"P{index}_{e:D3}_{new string('x', 50)}");
        ds.Add(DicomTags.SamplesPerPixel, DicomVR.US, "1").Add(DicomTags.PhotometricInterpretation, "MONOCHROME2");
        ds.Add(DicomTags.Rows, DicomVR.US, "512").Add(DicomTags.Columns, DicomVR.US, "512");
        ds.Add(DicomTags.BitsAllocated, DicomVR.US, "16").Add(DicomTags.BitsStored, DicomVR.US, "12").Add(DicomTags.HighBit, DicomVR.US, "11")
          .Add(DicomTags.PixelRepresentation, DicomVR.US, "0");
        var pixels = new byte[Size * Size * 2];
        Array.Fill(pixels, (byte)index);
        ds.Add(new DicomElement(DicomTags.PixelData, DicomVR.OW, pixels));
        var ms = new MemoryStream();
        DicomWriter.Write(new DicomFile(new DicomDataset(), ds, DicomTransferSyntax.ExplicitVRLittleEndian), ms);
        return ms.ToArray();
    }

    private static string TempFile(byte[] bytes)
    {
        var path = Path.Combine(Path.GetTempPath(), $"medimaging-mdo-{Guid.NewGuid():N}.dcm");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static long ThreadBytesRead()
    {
        // rchar: bytes this thread passed through read(2)/pread(2), page cache included (proc(5)).
        var line = File.ReadLines("/proc/thread-self/io").First(l => l.StartsWith("rchar:", StringComparison.Ordinal));
        return long.Parse(line.AsSpan(6).Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>A stream over bytes that counts what is read from it; non-seekable on request, like a network body.</summary>
    private sealed class CountingStream(byte[] bytes, bool seekable) : Stream
    {
        private readonly MemoryStream _inner = new(bytes, writable: false);

        public long BytesRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = _inner.Read(buffer);
            BytesRead += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => seekable;
        public override bool CanWrite => false;
        public override long Length => seekable ? _inner.Length : throw new NotSupportedException();
        public override long Position
        {
            get => seekable ? _inner.Position : throw new NotSupportedException();
            set { if (!seekable) throw new NotSupportedException(); _inner.Position = value; }
        }
        public override long Seek(long offset, SeekOrigin origin) => seekable ? _inner.Seek(offset, origin) : throw new NotSupportedException();
        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
