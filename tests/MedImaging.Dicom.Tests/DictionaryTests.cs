using MedImaging.Dicom.Tests.Peers;

namespace MedImaging.Dicom.Tests;

/// <summary>The generated PS3.6 dictionary.</summary>
public sealed class DictionaryTests
{
    [Fact]
    public void StandardEntriesCarryVrVmKeywordNameAndRetiredFlag()
    {
        var pn = DicomDictionary.Default.Lookup(DicomTags.PatientName)!;
        Assert.Equal((DicomVR.PN, "1", "PatientName", "Patient's Name", false), (pn.VR, pn.VM, pn.Keyword, pn.Name, pn.IsRetired));
        Assert.True(DicomDictionary.Default.Lookup(new DicomTag(0x00080001))!.IsRetired);
        Assert.Equal(new DicomTag(0x0020000D), DicomTag.Parse("StudyInstanceUID"));
        Assert.Equal(new DicomTag(0x0020000D), DicomTag.Parse("(0020,000D)"));
        Assert.Equal([DicomVR.US, DicomVR.SS], DicomDictionary.Default.Lookup(DicomTags.SmallestImagePixelValue)!.AlternateVRs);
        Assert.True(DicomDictionary.Default.Count > 4900);
    }

    [Fact]
    public void RepeatingGroupsResolveForEveryGroupOfTheRange()
    {
        foreach (var group in new ushort[] { 0x6000, 0x6002, 0x601E })
        {
            var overlay = DicomDictionary.Default.Lookup(new DicomTag(group, 0x3000))!;
            Assert.Equal("OverlayData", overlay.Keyword);
            Assert.True(overlay.IsRepeating);
            Assert.Equal(DicomVR.US, DicomDictionary.Default.Lookup(new DicomTag(group, 0x0010))!.VR); // Overlay Rows
        }
        var curve = DicomDictionary.Default.Lookup(new DicomTag(0x5004, 0x3000))!;
        Assert.Equal(("CurveData", true), (curve.Keyword, curve.IsRetired));
        Assert.Null(DicomDictionary.Default.Lookup(new DicomTag(0x6001, 0x3000))); // odd group: private, not an overlay
    }

    [Fact]
    public void ImplicitVRPrivateElementsTakeTheirVRFromTheCreatorsDictionary()
    {
        var ds = new DicomDataset();
        ds.Add(new DicomElement(new DicomTag(0x00190010), DicomVR.LO, "GEMS_ACQU_01"u8.ToArray()));
        ds.Add(new DicomElement(new DicomTag(0x00191060), DicomVR.SS, new byte[] { 0xFE, 0xFF }));
        var ms = new MemoryStream();
        DicomWriter.WriteDataset(ds, ms, DicomTransferSyntax.ImplicitVRLittleEndian);
        var entry = DicomDictionary.Default.LookupPrivate("GEMS_ACQU_01", new DicomTag(0x00191060))!;
        var again = DicomFile.ReadDataset(new MemoryStream(ms.ToArray()), DicomTransferSyntax.ImplicitVRLittleEndian);
        Assert.Equal(entry.VR, again.GetElement(new DicomTag(0x00191060))!.VR);
        Assert.Equal("GEMS_ACQU_01", again.GetPrivateCreator(new DicomTag(0x00191060)));
        // The same element under another creator is unknown: UN, bytes kept.
        Assert.Null(DicomDictionary.Default.LookupPrivate("NOBODY", new DicomTag(0x00191060)));
    }

    [PydicomFact]
    public void PrivateElementsAreKeptWithTheirCreator()
    {
        var ds = DicomFile.Open(Corpus.Get("priv_SQ.dcm")).Dataset;
        var tag = new DicomTag(0x3F031001);
        Assert.Equal("aaabbbccc MEDICAL SYSTEMS", ds.GetPrivateCreator(tag));
        Assert.Equal(DicomVR.UN, ds.GetElement(tag)!.VR); // implicit VR, unknown creator: bytes kept as UN
        var ms = new MemoryStream();
        DicomWriter.Write(DicomFile.Open(Corpus.Get("priv_SQ.dcm")), ms);
        var again = DicomFile.Open(ms.ToArray()).Dataset;
        Assert.Equal("aaabbbccc MEDICAL SYSTEMS", again.GetPrivateCreator(tag));
        Assert.Equal(ds.GetElement(tag)!.Buffer.ToArray(), again.GetElement(tag)!.Buffer.ToArray());
    }
}
