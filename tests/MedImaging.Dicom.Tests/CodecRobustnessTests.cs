using MedImaging.Dicom.Tests.Peers;

namespace MedImaging.Dicom.Tests;

/// <summary>Truncated and corrupted compressed frames (managed and native decoders alike) end in a
/// <see cref="DicomReadException"/> or a frame of the right size, never another exception or a crashed process.</summary>
public sealed class CodecRobustnessTests
{
    [CodecPeerFact]
    public void TruncatedAndCorruptedFramesFailCleanly()
    {
        var files = new[] { "JPEG-lossy.dcm", "SC_rgb_dcmtk_+eb+cy+np.dcm", "SC_rgb_jpeg_gdcm.dcm", "MR_small_jpeg_ls_lossless.dcm",
            "MR_small_jp2klossless.dcm", "693_J2KI.dcm", "GDCMJ2K_TextGBR.dcm" };
        var random = new Random(9013);
        var outcomes = new Dictionary<string, int>();
        var unexpected = new List<string>();
        foreach (var name in files)
        {
            var file = DicomFile.Open(Corpus.Get(name));
            var original = ((DicomFragmentSequence)file.Dataset.GetElement(DicomTags.PixelData)!).Fragments[0].Buffer.ToArray();
            var variants = new List<(string, byte[])>();
            foreach (var fraction in new[] { 0.0, 0.02, 0.1, 0.5, 0.9, 0.99 })
                variants.Add(($"cut at {fraction:P0}", original[..(int)(original.Length * fraction)]));
            for (var i = 0; i < 25; i++)
            {
                var copy = (byte[])original.Clone();
                // Flip bytes in the header (first 200 bytes) half the time: that is where lengths and sizes live.
                for (var k = 0; k < 4; k++) copy[random.Next(i % 2 == 0 ? Math.Min(200, copy.Length) : copy.Length)] ^= (byte)random.Next(1, 256);
                variants.Add(($"corrupted #{i}", copy));
            }
            foreach (var (label, bytes) in variants)
            {
                var ds = file.Dataset.Clone();
                var seq = new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB);
                seq.Fragments.Add(new DicomElement(new DicomTag(0xFFFEE000), DicomVR.OB, bytes));
                ds.Add(seq);
                var px = DicomPixelData.Create(ds, file.TransferSyntax);
                string outcome;
                try
                {
                    var frame = px.GetFrame(0);
                    outcome = frame.Length == px.FrameLength ? "decoded" : "WRONG SIZE";
                }
                catch (DicomReadException) { outcome = "DicomReadException"; }
                catch (Exception ex) { outcome = ex.GetType().Name; }
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
                if (outcome is not ("decoded" or "DicomReadException")) unexpected.Add($"{name} {label}: {outcome}");
            }
        }
        Assert.True(unexpected.Count == 0, string.Join('\n', unexpected));
        Assert.True(outcomes.GetValueOrDefault("DicomReadException") > 20, string.Join(", ", outcomes));
    }
}
