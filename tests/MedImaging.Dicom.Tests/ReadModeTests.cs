using MedImaging.Dicom.Tests.Peers;

namespace MedImaging.Dicom.Tests;

/// <summary>Metadata-only and lazy pixel data modes; a 2 GiB multi-frame file read with bounded memory.</summary>
public sealed class ReadModeTests
{
    [Fact]
    public void MetadataOnlyStopsBeforePixelDataWithoutReadingIt()
    {
        using var stream = new GeneratedDicomStream();
        var file = DicomFile.Open(stream, DicomReaderOptions.MetadataOnly);
        Assert.True(file.StoppedBeforePixelData);
        Assert.Equal(stream.PixelStart - 12, file.PixelDataPosition);
        Assert.False(file.Dataset.Contains(DicomTags.PixelData));
        Assert.Equal("Big^Multiframe", file.Dataset.GetPersonName(DicomTags.PatientName)!.Value);
        Assert.True(stream.BytesRead < 128 * 1024, $"read {stream.BytesRead} bytes of a {stream.Length}-byte file");
    }

    [Fact]
    public void TwoGigabyteMultiFrameStreamIsReadLazilyWithBoundedMemory()
    {
        using var stream = new GeneratedDicomStream();
        Assert.True(stream.Length > 2L * 1024 * 1024 * 1024);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var file = DicomFile.Open(stream, DicomReaderOptions.Lazy);
        var pixels = DicomPixelData.Create(file);
        Assert.Equal(GeneratedDicomStream.Frames, pixels.NumberOfFrames);
        var pixelElement = file.Dataset.GetElement(DicomTags.PixelData)!;
        Assert.NotNull(pixelElement.BulkData);
        Assert.Equal(GeneratedDicomStream.FrameBytes * GeneratedDicomStream.Frames, pixelElement.Length);
        foreach (var f in new[] { 0, 700, GeneratedDicomStream.Frames - 1 })
        {
            var frame = pixels.GetFrame(f);
            var start = f * GeneratedDicomStream.FrameBytes;
            Assert.Equal(GeneratedDicomStream.PixelByte(start), frame[0]);
            Assert.Equal(GeneratedDicomStream.PixelByte(start + frame.Length - 1), frame[^1]);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // Three 2 MiB frames plus parsing; the 2 GiB value itself is never materialised.
        Assert.True(allocated < 16 * 1024 * 1024, $"allocated {allocated} bytes");
        Assert.True(stream.BytesRead < 16 * 1024 * 1024, $"read {stream.BytesRead} bytes");
    }

    [Fact]
    public void TwoGigabyteSparseFileOnDiskIsReadLazilyAndRejectedWhenReadWhole()
    {
        var path = Path.Combine(Path.GetTempPath(), $"big-{Environment.ProcessId}.dcm");
        try
        {
            using (var fs = new FileStream(path, FileMode.Create))
            {
                fs.Write(GeneratedDicomStream.BuildHeader());
                fs.SetLength(fs.Length + GeneratedDicomStream.FrameBytes * GeneratedDicomStream.Frames); // sparse: no disk used
            }
            var before = GC.GetAllocatedBytesForCurrentThread();
            var lazy = DicomFile.Open(path, DicomReaderOptions.Lazy);
            var last = DicomPixelData.Create(lazy).GetStoredValues(GeneratedDicomStream.Frames - 1);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(last.All(v => v == 0));
            Assert.True(allocated < 32 * 1024 * 1024, $"allocated {allocated} bytes");
            var meta = DicomFile.Open(path, DicomReaderOptions.MetadataOnly);
            Assert.Equal("OT", meta.Dataset.GetString(DicomTags.Modality));
            var ex = Assert.Throws<DicomReadException>(() => DicomFile.Open(path));
            Assert.Contains("element bound", ex.Reason, StringComparison.Ordinal);
            Assert.Equal("(7FE0,0010)", ex.TagPath);
        }
        finally { File.Delete(path); }
    }

    [PydicomFact]
    public void MetadataOnlyReadEqualsPydicomStopBeforePixelsForEveryCorpusFile()
    {
        var report = new List<string>();
        foreach (var file in Corpus.Files)
        {
            if (CorpusAgreementTests.KnownPeerErrors.ContainsKey(Path.GetFileName(file))) continue;
            DicomFile ours;
            try { ours = DicomFile.Open(file, Corpus.AsPydicomForce with { Mode = DicomReadMode.MetadataOnly }); }
            catch (DicomReadException ex) { report.Add($"{file}: {ex.Message}"); continue; }
            report.AddRange(PydicomComparer.Compare(PydicomView.MetadataOnly[file].GetProperty("ds"), ours.Dataset, Path.GetFileName(file)));
        }
        Assert.True(report.Count == 0, string.Join('\n', report.Take(40)));
    }

    [PydicomFact]
    public void LazyPixelDataFromAPathEqualsTheFullRead()
    {
        foreach (var name in new[] { "rtdose.dcm", "MR_small.dcm", "SC_rgb_rle_2frame.dcm", "ExplVR_BigEnd.dcm" })
        {
            var full = DicomPixelData.Create(DicomFile.Open(Corpus.Get(name)));
            var lazyFile = DicomFile.Open(Corpus.Get(name), DicomReaderOptions.Lazy);
            var lazy = DicomPixelData.Create(lazyFile);
            for (var f = 0; f < full.NumberOfFrames; f++) Assert.Equal(full.GetFrame(f), lazy.GetFrame(f));
            var ms = new MemoryStream();
            DicomWriter.Write(lazyFile, ms); // lazy values are copied through when written
            Assert.Equal(full.GetFrame(0), DicomPixelData.Create(DicomFile.Open(ms.ToArray())).GetFrame(0));
        }
    }
}
