using MedImaging.Dicom.Tests.Peers;

namespace MedImaging.Dicom.Tests;

/// <summary>Acceptance: read, write, read again gives the same dataset; written files validate no worse than originals.</summary>
public sealed class RoundTripTests
{
    internal static IEnumerable<(string Path, DicomFile File)> ReadableCorpus()
    {
        foreach (var path in Corpus.Files)
        {
            DicomFile file;
            try { file = DicomFile.Open(path, Corpus.AsPydicomForce); }
            catch (DicomReadException) { continue; }
            yield return (path, file);
        }
    }

    [PydicomFact]
    public void EveryCorpusFileSurvivesWriteAndReadAgainInExplicitVRLittleEndian()
    {
        var diffs = new List<string>();
        var count = 0;
        foreach (var (path, file) in ReadableCorpus())
        {
            var ms = new MemoryStream();
            DicomWriter.Write(file, ms);
            var again = DicomFile.Open(ms.ToArray());
            diffs.AddRange(DatasetAssert.Differences(file.Dataset, again.Dataset, Path.GetFileName(path)));
            Assert.Equal(0, ms.Length % 2);
            count++;
        }
        Assert.True(diffs.Count == 0, string.Join('\n', diffs.Take(50)));
        Assert.True(count > 150, $"only {count} files");
    }

    [PydicomFact]
    public void EveryNativeCorpusFileSurvivesWriteAndReadAgainInImplicitVRLittleEndian()
    {
        var diffs = new List<string>();
        foreach (var (path, file) in ReadableCorpus())
        {
            if (file.TransferSyntax.IsEncapsulated) continue; // compressed pixel data needs an explicit VR syntax
            var ms = new MemoryStream();
            DicomWriter.Write(file, ms, DicomTransferSyntax.ImplicitVRLittleEndian);
            var again = DicomFile.Open(ms.ToArray());
            Assert.Equal(DicomTransferSyntax.ImplicitVRLittleEndian, again.TransferSyntax);
            diffs.AddRange(DatasetAssert.Differences(file.Dataset, again.Dataset, Path.GetFileName(path), vrMayBecomeUN: true));
        }
        Assert.True(diffs.Count == 0, string.Join('\n', diffs.Take(50)));
    }

    [Dicom3ToolsFact]
    public void WrittenFilesPassDciodvfyNoWorseThanTheirOriginals()
    {
        var dir = Directory.CreateTempSubdirectory("dcm-rt-");
        try
        {
            var worse = new List<string>();
            var checkedFiles = 0;
            foreach (var (path, file) in ReadableCorpus())
            {
                if (!file.HasPreamble) continue;
                var written = Path.Combine(dir.FullName, Path.GetFileName(path) + ".dcm");
                DicomWriter.Write(file, written);
                int before = Errors(path), after = Errors(written);
                if (after > before) worse.Add($"{Path.GetFileName(path)}: {before} -> {after} dciodvfy errors\n{Corpus.Run("/usr/bin/dciodvfy", [written]).Stderr}");
                checkedFiles++;
            }
            Assert.True(worse.Count == 0, string.Join('\n', worse.Take(10)));
            Assert.True(checkedFiles > 60, $"only {checkedFiles} files validated");
        }
        finally { dir.Delete(true); }
    }

    private static int Errors(string path)
    {
        var (_, stdout, stderr) = Corpus.Run("/usr/bin/dciodvfy", [path]);
        return (stdout + stderr).Split('\n').Count(l => l.StartsWith("Error", StringComparison.Ordinal));
    }

    [Fact]
    public void WrittenFileMetaHasCorrectGroupLengthAndEvenPadding()
    {
        var ds = new DicomDataset();
        ds.Add(DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7");
        ds.Add(DicomTags.SOPInstanceUID, "1.2.3.4.5"); // 9 chars: padded with NUL
        ds.Add(DicomTags.PatientName, "Doe^Jon");      // 7 chars: padded with space
        ds.Add(new DicomElement(DicomTags.RedPaletteColorLookupTableData, DicomVR.OW, new byte[] { 1, 2 }));
        var ms = new MemoryStream();
        DicomWriter.Write(new DicomFile(new DicomDataset(), ds, DicomTransferSyntax.ExplicitVRLittleEndian), ms);
        var bytes = ms.ToArray();
        Assert.Equal("DICM"u8.ToArray(), bytes[128..132]);
        // (0002,0000) UL 4 at 132: its value is the byte count from the next element to the end of group 0002.
        var groupLength = BitConverter.ToUInt32(bytes, 140);
        var reread = DicomFile.Open(bytes);
        var firstDatasetElement = 144 + (int)groupLength;
        Assert.Equal(0x0008, BitConverter.ToUInt16(bytes, firstDatasetElement));
        Assert.Equal("1.2.3.4.5\0"u8.ToArray(), reread.Dataset.GetElement(DicomTags.SOPInstanceUID)!.Buffer.ToArray());
        Assert.Equal("Doe^Jon "u8.ToArray(), reread.Dataset.GetElement(DicomTags.PatientName)!.Buffer.ToArray());
        Assert.Equal("1.2.3.4.5", reread.FileMetaInformation.GetString(DicomTags.MediaStorageSOPInstanceUID));
        Assert.Equal(DicomWriter.ImplementationClassUid, reread.FileMetaInformation.GetString(DicomTags.ImplementationClassUID));
    }
}
