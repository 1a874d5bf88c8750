using MedImaging.Dicom.Tests.Peers;

namespace MedImaging.Dicom.Tests;

/// <summary>Acceptance: for every corpus file, our element tree (tags, VRs, decoded values) equals pydicom's.</summary>
public sealed class CorpusAgreementTests
{
    // Files where a peer is wrong by PS3.5; each has its own test saying why (see PeerDisagreementTests).
    internal static readonly Dictionary<string, string> KnownPeerErrors = new(StringComparer.Ordinal)
    {
        ["MR_truncated.dcm"] = "pydicom accepts a pixel data value shorter than its length (PS3.5 §7.1.1: the length is the value's size)",
        ["rtplan_truncated.dcm"] = "pydicom accepts a truncated sequence (PS3.5 §7.5)",
        ["no_meta.dcm"] = "pydicom (force=True) returns one bogus element (0820,0500) of length 173228800 in a 38871-byte file; dcmdump rejects it too (PS3.5 §7.1.1)",
        ["README"] = "a text file: pydicom (force=True) returns a bogus element (2222,5422); dcmdump rejects it too (PS3.10 §7.1)",
        ["DICOMDIR-nooffset"] = "the last directory record item declares 248 bytes but the file ends inside it; pydicom and dcmdump return a partial item (PS3.5 §7.5.1)",
    };

    [PydicomFact]
    public void EveryCorpusFileReadsToThePydicomElementTree()
    {
        var report = new List<string>();
        var compared = 0;
        foreach (var file in Corpus.Files)
        {
            var name = Path.GetFileName(file);
            var py = PydicomView.Full[file];
            DicomFile ours;
            try { ours = DicomFile.Open(file, Corpus.AsPydicomForce); }
            catch (DicomReadException ex)
            {
                if (!KnownPeerErrors.ContainsKey(name)) report.Add($"{name}: we reject ({ex.Message}), pydicom reads it");
                continue;
            }
            if (py.TryGetProperty("error", out var err)) { report.Add($"{name}: pydicom rejects ({err}), we read it"); continue; }
            report.AddRange(PydicomComparer.Compare(py.GetProperty("meta"), ours.FileMetaInformation, name + ":meta"));
            report.AddRange(PydicomComparer.Compare(py.GetProperty("ds"), ours.Dataset, name));
            compared++;
        }
        Assert.True(report.Count == 0, $"{report.Count} differences with pydicom:\n" + string.Join('\n', report.Take(80)));
        Assert.True(compared >= 150, $"only {compared} files compared");
    }
}
