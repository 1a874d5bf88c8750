using System.Text.RegularExpressions;
using MedImaging.Dicom.Tests.Peers;

namespace MedImaging.Dicom.Tests;

/// <summary>Transfer syntaxes, raw datasets, every VR, encapsulated pixel data with offset tables.</summary>
public sealed partial class TransferSyntaxAndVRTests
{
    [PydicomFact]
    public void EachTransferSyntaxReadsTheSameImage()
    {
        var reference = DicomFile.Open(Corpus.Get("MR_small.dcm"));
        foreach (var (name, ts) in new[] { ("MR_small_implicit.dcm", DicomTransferSyntax.ImplicitVRLittleEndian), ("MR_small_bigendian.dcm", DicomTransferSyntax.ExplicitVRBigEndian), ("MR_small_expb.dcm", DicomTransferSyntax.ExplicitVRBigEndian) })
        {
            var other = DicomFile.Open(Corpus.Get(name));
            Assert.Equal(ts, other.TransferSyntax);
            Assert.Equal(reference.Dataset.GetString(DicomTags.PatientName), other.Dataset.GetString(DicomTags.PatientName));
            Assert.Equal(DicomPixelData.Create(reference).GetStoredValues(0), DicomPixelData.Create(other).GetStoredValues(0));
        }
        var deflated = DicomFile.Open(Corpus.Get("image_dfl.dcm"));
        Assert.True(deflated.TransferSyntax.IsDeflated);
        Assert.True(deflated.Dataset.GetElement(DicomTags.PixelData)!.Length > 0);
    }

    [PydicomFact]
    public void RawDatasetsWithoutMetaReadWhenTheSyntaxIsGiven()
    {
        using var be = File.OpenRead(Corpus.Get("ExplVR_BigEndNoMeta.dcm"));
        var a = DicomFile.ReadDataset(be, DicomTransferSyntax.ExplicitVRBigEndian);
        using var le = File.OpenRead(Corpus.Get("ExplVR_LitEndNoMeta.dcm"));
        var b = DicomFile.ReadDataset(le, DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.Empty(DatasetAssert.Differences(a, b));
        Assert.True(a.Count > 5);
    }

    [DcmtkFact]
    public void EveryVRIsWrittenReadAndAgreesWithDcmdump()
    {
        var ds = new DicomDataset(DicomCharacterSet.Utf8);
        ds.Add(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");
        ds.Add(DicomTags.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7");
        ds.Add(DicomTags.SOPInstanceUID, DicomVR.UI, "1.2.3.4");
        var samples = new (uint Tag, DicomVR VR, string[] Values)[]
        {
            (0x00080050, DicomVR.SH, ["ACC-1"]), (0x00080054, DicomVR.AE, ["STORE_SCP"]), (0x00101010, DicomVR.AS, ["042Y"]),
            (0x00209165, DicomVR.AT, ["00100010", "7FE00010"]), (0x00080020, DicomVR.DA, ["20240601"]), (0x00281050, DicomVR.DS, ["40", "-1.5e2"]),
            (0x0008002A, DicomVR.DT, ["20240601123000.5+0800"]), (0x00460044, DicomVR.FD, ["3.25"]), (0x00189087, DicomVR.FD, ["1000.5"]),
            (0x00186028, DicomVR.FD, ["2.5"]), (0x00720076, DicomVR.FL, ["0.5", "1.5"]), (0x00200013, DicomVR.IS, ["7"]),
            (0x00080080, DicomVR.LO, ["协和医院"]), (0x00204000, DicomVR.LT, ["line 1\r\nline 2"]), (0x00100010, DicomVR.PN, ["Wang^XiaoDong=王^小东"]),
            (0x00186020, DicomVR.SL, ["-5"]), (0x00280106, DicomVR.SS, ["-2"]), (0x00081030, DicomVR.LO, ["胸部CT"]),
            (0x00324000, DicomVR.LT, ["comment"]), (0x00080030, DicomVR.TM, ["123000.25"]), (0x0040A160, DicomVR.UT, ["长文本 text"]),
            (0x00081190, DicomVR.UR, ["https://pacs.example/wado/studies/1.2.3"]), (0x00186030, DicomVR.UL, ["4000000000"]),
            (0x00280010, DicomVR.US, ["512"]), (0x00189601, DicomVR.UC, ["unlimited characters"]), (0x00720082, DicomVR.SV, ["-9000000000000000000"]),
            (0x00720083, DicomVR.UV, ["18000000000000000000"]), (0x00081160, DicomVR.IS, ["1", "2"]), (0x00080008, DicomVR.CS, ["ORIGINAL", "PRIMARY"]),
            (0x00400610, DicomVR.ST, ["short text"]),
        };
        foreach (var (tag, vr, values) in samples) ds.Add(new DicomTag(tag), vr, values);
        ds.Add(new DicomElement(new DicomTag(0x00660023), DicomVR.OF, new byte[] { 0, 0, 0x80, 0x3F }));
        ds.Add(new DicomElement(new DicomTag(0x00660040), DicomVR.OL, new byte[] { 1, 0, 0, 0 }));
        ds.Add(new DicomElement(new DicomTag(0x00640009), DicomVR.OF, new byte[] { 0, 0, 0, 0 }));
        ds.Add(new DicomElement(new DicomTag(0x7FE00009), DicomVR.OD, BitConverter.GetBytes(1.5)));
        ds.Add(new DicomElement(new DicomTag(0x7FE00001), DicomVR.OV, BitConverter.GetBytes(8UL)));
        ds.Add(new DicomElement(new DicomTag(0x00420011), DicomVR.OB, new byte[] { 1, 2, 3 }));
        ds.Add(new DicomElement(new DicomTag(0x00283006), DicomVR.OW, new byte[] { 1, 2, 3, 4 }));
        ds.Add(new DicomElement(new DicomTag(0x00091001), DicomVR.UN, new byte[] { 9, 9 }));
        ds.Add(new DicomElement(new DicomTag(0x00090010), DicomVR.LO, "ACME 1.0"u8.ToArray()));
        ds.Add(DicomTags.ReferencedImageSequence, new DicomDataset().Add(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, "1.2.3.4.5"));
        var file = new DicomFile(new DicomDataset(), ds, DicomTransferSyntax.ExplicitVRLittleEndian);
        var path = Path.Combine(Path.GetTempPath(), $"allvr-{Environment.ProcessId}.dcm");
        try
        {
            DicomWriter.Write(file, path);
            var again = DicomFile.Open(path).Dataset;
            Assert.Empty(DatasetAssert.Differences(ds, again));
            Assert.Equal("协和医院", again.GetString(DicomTags.InstitutionName));
            Assert.Equal(-9000000000000000000d, again.GetDouble(new DicomTag(0x00720082)));
            Assert.Equal(["00100010", "7FE00010"], again.GetStrings(new DicomTag(0x00209165)));
            var (code, dump, err) = Corpus.Run("/usr/bin/dcmdump", ["-q", "+U8", path]);
            Assert.True(code == 0, err);
            var dcmtkVRs = DumpLine().Matches(dump).ToDictionary(m => m.Groups[1].Value.ToUpperInvariant().Replace(",", "", StringComparison.Ordinal), m => m.Groups[2].Value);
            foreach (var e in again)
                if (!e.Tag.IsPrivate || e.Tag.IsPrivateCreator) Assert.Equal((e.Tag.ToHex(), e.VR.ToString()), (e.Tag.ToHex(), dcmtkVRs[e.Tag.ToHex()]));
            Assert.Contains("[协和医院]", dump, StringComparison.Ordinal);
        }
        finally { File.Delete(path); }
    }

    [GeneratedRegex(@"^\(([0-9a-f]{4},[0-9a-f]{4})\) ([A-Z]{2}) ", RegexOptions.Multiline)]
    private static partial Regex DumpLine();

    [PydicomFact]
    public void EncapsulatedFramesFollowTheExtendedOffsetTable()
    {
        var file = DicomFile.Open(Corpus.Get("SC_rgb_rle_2frame.dcm"));
        var expected = Enumerable.Range(0, 2).Select(DicomPixelData.Create(file).GetFrame).ToList();
        var frags = (DicomFragmentSequence)file.Dataset.GetElement(DicomTags.PixelData)!;
        // Split each frame into two fragments and describe them with an extended offset table (PS3.3 C.7.6.3.1.8).
        var rebuilt = new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB);
        var offsets = new List<ulong>();
        ulong pos = 0;
        foreach (var f in frags.Fragments)
        {
            offsets.Add(pos);
            var bytes = f.Buffer.ToArray();
            var half = bytes.Length / 2 & ~1;
            foreach (var part in new[] { bytes[..half], bytes[half..] })
            {
                rebuilt.Fragments.Add(new DicomElement(new DicomTag(0xFFFEE000), DicomVR.OB, part));
                pos += 8 + (ulong)part.Length;
            }
        }
        var ds = file.Dataset.Clone();
        ds.Add(rebuilt);
        ds.Add(new DicomElement(new DicomTag(0x7FE00001), DicomVR.OV, offsets.SelectMany(BitConverter.GetBytes).ToArray()));
        var px = DicomPixelData.Create(ds, DicomTransferSyntax.RleLossless);
        Assert.Equal(expected[0], px.GetFrame(0));
        Assert.Equal(expected[1], px.GetFrame(1));
        // And with a basic offset table instead.
        rebuilt.OffsetTable = offsets.SelectMany(o => BitConverter.GetBytes((uint)o)).ToArray();
        ds.Remove(new DicomTag(0x7FE00001));
        Assert.Equal(expected[1], DicomPixelData.Create(ds, DicomTransferSyntax.RleLossless).GetFrame(1));
    }

    [PydicomFact]
    public void RegistrationFieldsReadFromAStreamInMetadataOnlyMode()
    {
        using var stream = File.OpenRead(Corpus.Get("CT_small.dcm"));
        var ds = DicomFile.Open(stream, DicomReaderOptions.MetadataOnly).Dataset;
        Assert.Equal("1.2.840.10008.5.1.4.1.1.2", ds.GetString(DicomTags.SOPClassUID));
        Assert.Equal("CT", ds.GetString(DicomTags.Modality));
        Assert.Equal("CompressedSamples^CT1", ds.GetPersonName(DicomTags.PatientName)!.Alphabetic);
        Assert.Equal("1CT1", ds.GetString(DicomTags.PatientID));
        Assert.Equal("20040119", ds.GetString(DicomTags.StudyDate));
        Assert.Equal("GE MEDICAL SYSTEMS", ds.GetString(DicomTags.Manufacturer));
        Assert.False(ds.Contains(DicomTags.PixelData));
        Assert.Contains("\"0020000D\"", DicomJsonWriter.Serialize(ds), StringComparison.Ordinal);
    }
}
