using System.Text.Json;
using MedImaging.Dicom.Tests.Peers;

namespace MedImaging.Dicom.Tests;

/// <summary>DICOM JSON (PS3.18 Annex F) against dcmtk's dcm2json, and the model's own round trip.</summary>
public sealed class JsonModelTests
{
    [DcmtkFact]
    public void JsonOfEveryCorpusFileEqualsDcm2json()
    {
        var diffs = new List<string>();
        int compared = 0, dcmtkFailed = 0;
        foreach (var (path, file) in RoundTripTests.ReadableCorpus())
        {
            var (code, stdout, _) = Corpus.Run("/usr/bin/dcm2json", ["-q", path]);
            if (code != 0) { dcmtkFailed++; continue; } // encapsulated pixel data and IR 87: see PeerDisagreementTests
            if (PeerDisagreementTests.Dcm2jsonWrong.ContainsKey(Path.GetFileName(path))) continue;
            using var theirs = JsonDocument.Parse(stdout);
            using var ours = JsonDocument.Parse(DicomJsonWriter.Serialize(file.Dataset));
            JsonTreeComparer.Compare(theirs.RootElement, ours.RootElement, Path.GetFileName(path), diffs);
            compared++;
        }
        Assert.True(diffs.Count == 0, $"{diffs.Count} differences with dcm2json:\n" + string.Join('\n', diffs.Take(60)));
        Assert.True(compared > 100, $"only {compared} compared, dcm2json failed on {dcmtkFailed}");
    }

    [PydicomFact]
    public void JsonRoundTripKeepsEveryCorpusDataset()
    {
        var diffs = new List<string>();
        foreach (var (path, file) in RoundTripTests.ReadableCorpus())
        {
            var json = DicomJsonWriter.Serialize(file.Dataset);
            var back = DicomJsonReader.Parse(json);
            var again = DicomJsonWriter.Serialize(back);
            using var a = JsonDocument.Parse(json);
            using var b = JsonDocument.Parse(again);
            JsonTreeComparer.Compare(a.RootElement, b.RootElement, Path.GetFileName(path), diffs);
        }
        Assert.True(diffs.Count == 0, string.Join('\n', diffs.Take(40)));
    }

    [PydicomFact]
    public void PydicomsPersonNameJsonReadsAllThreeGroups()
    {
        var ds = DicomJsonReader.Parse(File.ReadAllText(Path.Combine(Corpus.TestFiles, "test_PN.json")));
        Assert.Equal("Prostate^Volunteer", ds.GetPersonName(DicomTags.PatientName)!.Alphabetic);
        var json = DicomJsonWriter.Serialize(ds);
        Assert.Contains("\"Alphabetic\":\"Prostate^Volunteer\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void PersonNameGroupsBulkDataUriAndInlineBinaryRoundTrip()
    {
        const string json = """
        {"00100010":{"vr":"PN","Value":[{"Alphabetic":"Wang^XiaoDong","Ideographic":"王^小东","Phonetic":"ワン^シャオドン"}]},
         "00280010":{"vr":"US","Value":[512]},
         "00281052":{"vr":"DS","Value":[-1024.5]},
         "00200032":{"vr":"DS","Value":[0.1,null,3]},
         "00091010":{"vr":"OB","InlineBinary":"AQID"},
         "7FE00010":{"vr":"OW","BulkDataURI":"https://pacs.example/studies/1/bulk/7FE00010"},
         "0040A730":{"vr":"SQ","Value":[{"0040A160":{"vr":"UT","Value":["some text"]}},{}]}}
        """;
        var ds = DicomJsonReader.Parse(json);
        var pn = ds.GetPersonName(DicomTags.PatientName)!;
        Assert.Equal(("Wang", "王^小东", "ワン^シャオドン"), (pn.FamilyName, pn.Ideographic, pn.Phonetic));
        Assert.Equal(512, ds.GetInt32(DicomTags.Rows));
        Assert.Equal(-1024.5, ds.GetDouble(DicomTags.RescaleIntercept));
        Assert.Equal(["0.1", "", "3"], ds.GetStrings(DicomTags.ImagePositionPatient));
        Assert.Equal(new byte[] { 1, 2, 3, 0 }, ds.GetElement(new DicomTag(0x00091010))!.Buffer.ToArray());
        Assert.Equal("https://pacs.example/studies/1/bulk/7FE00010", ds.GetElement(DicomTags.PixelData)!.BulkDataUri);
        Assert.Equal("some text", ds.GetSequence(DicomTags.ContentSequence)[0].GetString(DicomTags.TextValue));
        using var again = JsonDocument.Parse(DicomJsonWriter.Serialize(ds));
        var root = again.RootElement;
        Assert.Equal("王^小东", root.GetProperty("00100010").GetProperty("Value")[0].GetProperty("Ideographic").GetString());
        Assert.Equal("https://pacs.example/studies/1/bulk/7FE00010", root.GetProperty("7FE00010").GetProperty("BulkDataURI").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("00200032").GetProperty("Value")[1].ValueKind);
        Assert.Equal(2, root.GetProperty("0040A730").GetProperty("Value").GetArrayLength());
    }

    [Fact]
    public void BulkDataUriFactoryReplacesInlineBinary()
    {
        var ds = new DicomDataset();
        ds.Add(new DicomElement(DicomTags.PixelData, DicomVR.OW, new byte[] { 1, 0, 2, 0 }));
        ds.Add(new DicomElement(DicomTags.EncapsulatedDocument, DicomVR.OB, new byte[] { 7, 7 }));
        var json = DicomJsonWriter.Serialize(ds, new DicomJsonWriterOptions { BulkDataUri = e => e.Tag == DicomTags.PixelData ? "bulk/7FE00010" : null });
        using var doc = JsonDocument.Parse(json);
        Assert.Equal("bulk/7FE00010", doc.RootElement.GetProperty("7FE00010").GetProperty("BulkDataURI").GetString());
        Assert.Equal("Bwc=", doc.RootElement.GetProperty("00420011").GetProperty("InlineBinary").GetString());
    }

    [PydicomFact]
    public void XmlNativeModelCarriesPersonNameComponentsAndSequences()
    {
        var file = DicomFile.Open(Corpus.Get("chrX2.dcm"));
        var xml = System.Xml.Linq.XDocument.Parse(DicomXmlWriter.Serialize(file.Dataset));
        System.Xml.Linq.XNamespace ns = "http://dicom.nema.org/PS3.19/models/NativeDICOM";
        var pn = xml.Root!.Elements(ns + "DicomAttribute").Single(e => (string?)e.Attribute("tag") == "00100010");
        Assert.Equal("PatientName", (string?)pn.Attribute("keyword"));
        Assert.Equal("王", pn.Element(ns + "PersonName")!.Element(ns + "Ideographic")!.Element(ns + "FamilyName")!.Value);
        var sr = System.Xml.Linq.XDocument.Parse(DicomXmlWriter.Serialize(DicomFile.Open(Corpus.Get("test-SR.dcm")).Dataset));
        Assert.NotEmpty(sr.Descendants(ns + "Item"));
    }
}
