using System.Text;
using MedImaging.Dicom.Tests.Peers;

namespace MedImaging.Dicom.Tests;

/// <summary>Where dcmtk or pydicom is wrong, we follow PS3.5; each test names the peer and the clause.</summary>
public sealed class PeerDisagreementTests
{
    internal static readonly Dictionary<string, string> Dcm2jsonWrong = new(StringComparer.Ordinal)
    {
        ["chrSQEncoding.dcm"] = "dcm2json ignores the item's own (0008,0005) [ISO 2022 IR 13, ISO 2022 IR 87] inside a sequence",
    };

    [DcmtkFact]
    public void Dcm2json_IsWrong_ItemSpecificCharacterSetAppliesInsideSequence_PS3_5_6_1_2_5()
    {
        var (code, stdout, _) = Corpus.Run("/usr/bin/dcm2json", ["-q", Corpus.Get("chrSQEncoding.dcm")]);
        var ours = DicomFile.Open(Corpus.Get("chrSQEncoding.dcm")).Dataset.GetSequence(new DicomTag(0x00321064))[0]
            .GetPersonName(DicomTags.PatientName)!;
        Assert.Equal("山田^太郎", ours.Ideographic);
        Assert.Equal("やまだ^たろう", ours.Phonetic);
        Assert.Equal("ﾔﾏﾀﾞ^ﾀﾛｳ", ours.Alphabetic);
        Assert.True(code != 0 || stdout.Contains("\\u001b$B", StringComparison.Ordinal),
            "dcm2json (wrong by PS3.5 §6.1.2.5, PS3.3 C.12.1.1.2) now decodes the item's ISO 2022 IR 87 name; remove it from Dcm2jsonWrong");
    }

    [DcmtkFact]
    public void Dcm2json_Fails_OnIso2022Ir87_WhileWeDecodeJapaneseNames_PS3_5_6_1_2_5()
    {
        var (code, _, stderr) = Corpus.Run("/usr/bin/dcm2json", [Corpus.Get("chrH31.dcm")]);
        Assert.True(code != 0, "dcm2json now converts ISO 2022 IR 87 (PS3.5 §6.1.2.5); this test documents that it could not");
        Assert.Contains("ISO 2022 IR 87", stderr, StringComparison.Ordinal);
        var pn = DicomFile.Open(Corpus.Get("chrH31.dcm")).Dataset.GetPersonName(DicomTags.PatientName)!;
        Assert.Equal("Yamada^Tarou=山田^太郎=やまだ^たろう", pn.Value);
    }

    [DcmtkFact]
    public void Dcm2json_CannotEmitEncapsulatedPixelData_WhileWeWriteItAsInlineBinaryItems_PS3_18_F_2_7()
    {
        var path = Corpus.Get("JPEG2000.dcm");
        var (code, _, stderr) = Corpus.Run("/usr/bin/dcm2json", [path]);
        Assert.True(code != 0, "dcm2json now emits encapsulated pixel data (PS3.5 §A.4, PS3.18 F.2.7); this test documents that it could not");
        Assert.Contains("compressed pixel data", stderr, StringComparison.Ordinal);
        var file = DicomFile.Open(path);
        var json = System.Text.Json.JsonDocument.Parse(DicomJsonWriter.Serialize(file.Dataset));
        var inline = json.RootElement.GetProperty("7FE00010").GetProperty("InlineBinary").GetBytesFromBase64();
        var again = DicomJsonReader.Parse(json.RootElement.GetRawText());
        Assert.Equal(inline, again.GetElement(DicomTags.PixelData)!.Buffer.ToArray());
        Assert.Equal(0xFFFE, BitConverter.ToUInt16(inline, 0)); // starts with the offset table item
    }

    /// <summary>PS3.5 Annex K.2 example: "Zhang^XiaoDong=张^小东=" in [ISO 2022 IR 58] with escape sequences.</summary>
    internal static byte[] Ir58Name => [.. "Zhang^XiaoDong="u8, 0x1B, 0x24, 0x29, 0x41, 0xD5, 0xC5, (byte)'^', 0x1B, 0x24, 0x29, 0x41, 0xD0, 0xA1, 0xB6, 0xAB, (byte)'=', (byte)' '];

    internal static DicomFile Ir58File()
    {
        var ds = new DicomDataset();
        ds.Add(DicomTags.SpecificCharacterSet, DicomVR.CS, "", "ISO 2022 IR 58");
        ds.Add(DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7");
        ds.Add(DicomTags.SOPInstanceUID, "1.2.826.0.1.3680043.2.1143.58");
        ds.Add(new DicomElement(DicomTags.PatientName, DicomVR.PN, Ir58Name, ds.CharacterSet));
        return new DicomFile(new DicomDataset(), ds, DicomTransferSyntax.ExplicitVRLittleEndian);
    }

    [PydicomFact]
    public void Pydicom_IsWrong_Iso2022Ir58EscapeSequencesAreNotPartOfTheName_PS3_5_6_1_2_5_and_Annex_K()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ir58-{Environment.ProcessId}.dcm");
        DicomWriter.Write(Ir58File(), path);
        try
        {
            var ours = DicomFile.Open(path).Dataset.GetPersonName(DicomTags.PatientName)!;
            Assert.True(ours.Ideographic == "张^小东", $"PS3.5 §6.1.2.5/Annex K: ideographic group must be 张^小东, we got {ours.Ideographic}");
            Assert.Equal("Zhang", ours.FamilyName);
            var script = "import pydicom,sys; ds=pydicom.dcmread(sys.argv[1]); sys.stdout.buffer.write(str(ds.PatientName).encode('utf-8', 'backslashreplace'))";
            var (code, stdout, stderr) = Corpus.Run(Corpus.Python, ["-c", script, path]);
            Assert.True(code == 0, stderr);
            Assert.True(stdout.Contains('\u001b', StringComparison.Ordinal) || stdout != "Zhang^XiaoDong=张^小东",
                $"pydicom now decodes ISO 2022 IR 58 as PS3.5 §6.1.2.5 and Annex K require ({stdout}); this test documents that it did not");
        }
        finally { File.Delete(path); }
    }

    [PydicomFact]
    public void Pydicom_IsWrong_TruncatedValuesAreAcceptedSilently_PS3_5_7_1_1()
    {
        foreach (var name in new[] { "MR_truncated.dcm", "rtplan_truncated.dcm" })
        {
            Assert.False(PydicomView.Full[Corpus.Get(name)].TryGetProperty("error", out _), $"pydicom now rejects {name} as PS3.5 §7.1.1 requires; this test documents that it did not");
            var ex = Assert.Throws<DicomReadException>(() => DicomFile.Open(Corpus.Get(name)));
            Assert.True(ex.Offset > 0, ex.Message);
        }
    }

    [PydicomFact]
    public void Pydicom_IsWrong_NonDicomInputIsReadAsGarbageWithForce_PS3_10_7_1()
    {
        foreach (var name in new[] { "no_meta.dcm", "README" })
        {
            var path = Corpus.Files.First(f => Path.GetFileName(f) == name);
            var ex = Assert.Throws<DicomReadException>(() => DicomFile.Open(path, Corpus.AsPydicomForce));
            Assert.Contains("truncated", ex.Reason, StringComparison.Ordinal);
            var py = PydicomView.Full[path];
            Assert.False(py.TryGetProperty("error", out _), "pydicom (force=True) now rejects non-DICOM input as PS3.10 §7.1 requires; this test documents that it did not");
        }
        Assert.Equal(Encoding.ASCII.GetBytes("Zhang"), Ir58Name[..5]);
    }
}
