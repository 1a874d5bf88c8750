using System.Security.Cryptography;
using System.Text.Json;
using MedImaging.Dicom.Tests.Peers;

namespace MedImaging.Dicom.Tests;

/// <summary>Native and RLE frames against pydicom's pixel_array; LUTs; unsupported syntaxes reported by UID.</summary>
public sealed class PixelDataTests
{
    [PydicomFact]
    public void NativeAndRleFramesEqualPydicomPixelArrayForEveryCorpusImage()
    {
        var images = RoundTripTests.ReadableCorpus()
            .Where(x => x.File.Dataset.Contains(DicomTags.PixelData) && x.File.Dataset.Contains(DicomTags.Rows)
                && (!x.File.TransferSyntax.IsEncapsulated || x.File.TransferSyntax == DicomTransferSyntax.RleLossless))
            .ToList();
        var script = Path.Combine(AppContext.BaseDirectory, "Peers", "pydicom_pixels.py");
        var (code, stdout, stderr) = Corpus.Run(Corpus.Python, [script], string.Join('\n', images.Select(i => i.Path)));
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var failures = new List<string>();
        var compared = 0;
        foreach (var (path, file) in images)
        {
            var py = doc.RootElement.GetProperty(path);
            if (py.TryGetProperty("error", out _)) continue;
            var pixels = DicomPixelData.Create(file);
            using var all = new MemoryStream();
            for (var f = 0; f < pixels.NumberOfFrames; f++) all.Write(Interleaved(pixels, pixels.GetFrame(f)));
            var sha = Convert.ToHexStringLower(SHA1.HashData(all.ToArray()));
            if (sha != py.GetProperty("sha").GetString()) failures.Add($"{Path.GetFileName(path)} ({file.TransferSyntax.Name}, {pixels.NumberOfFrames} frames) differs from pydicom");
            compared++;
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.True(compared >= 20, $"only {compared} images compared");
        Assert.Contains(images, i => i.File.TransferSyntax == DicomTransferSyntax.RleLossless);
        Assert.Contains(images, i => i.File.Dataset.GetInt32(DicomTags.BitsAllocated) == 1 && doc.RootElement.GetProperty(i.Path).TryGetProperty("sha", out _));
    }

    private static byte[] Interleaved(DicomPixelData px, byte[] frame)
    {
        if (!px.FrameIsPlanar) return frame;
        var bytes = Math.Max(1, px.BitsAllocated / 8);
        var pixels = px.Rows * px.Columns;
        var result = new byte[frame.Length];
        for (var s = 0; s < px.SamplesPerPixel; s++)
            for (var p = 0; p < pixels; p++)
                Array.Copy(frame, (s * pixels + p) * bytes, result, (p * px.SamplesPerPixel + s) * bytes, bytes);
        return result;
    }

    [PydicomFact]
    public void RleFramesEqualTheirUncompressedOriginals()
    {
        foreach (var (rle, native) in new[] { ("MR_small_RLE.dcm", "MR_small.dcm"), ("rtdose_rle.dcm", "rtdose.dcm"), ("rtdose_rle_1frame.dcm", "rtdose_1frame.dcm") })
        {
            var a = DicomPixelData.Create(DicomFile.Open(Corpus.Get(rle)));
            var b = DicomPixelData.Create(DicomFile.Open(Corpus.Get(native)));
            Assert.Equal(b.NumberOfFrames, a.NumberOfFrames);
            for (var f = 0; f < a.NumberOfFrames; f++) Assert.Equal(b.GetStoredValues(f), a.GetStoredValues(f));
        }
    }

    [PydicomFact]
    public void CtFrameValuesAreHounsfieldUnitsAfterRescale()
    {
        var px = DicomPixelData.Create(DicomFile.Open(Corpus.Get("CT_small.dcm")));
        Assert.Equal(1, px.PixelRepresentation);
        var stored = px.GetStoredValues(0);
        var hu = px.GetFrameValues(0);
        Assert.Equal(stored[0] * px.RescaleSlope + px.RescaleIntercept, hu[0]);
        Assert.Equal(-1024, px.RescaleIntercept);
        Assert.Equal(128 * 128, hu.Length);
        var gray = DicomImageRenderer.RenderGray8(px, 0, windowCenter: 40, windowWidth: 400);
        Assert.Equal(hu.Select(v => v <= 40 - 0.5 - 199.5 ? 0 : v > 40 - 0.5 + 199.5 ? 255 : -1).Where(v => v >= 0).Count(),
            gray.Where((g, i) => g is 0 or 255 && (hu[i] <= -160 || hu[i] > 239)).Count());
    }

    [Fact]
    public void LinearVoiWindowMatchesPs3_3_C_11_2_1_2_1()
    {
        Assert.Equal(0, DicomImageRenderer.ApplyWindow(-1000, 40, 400, 0, 255));
        Assert.Equal(255, DicomImageRenderer.ApplyWindow(1000, 40, 400, 0, 255));
        Assert.Equal(127.5, DicomImageRenderer.ApplyWindow(39.5, 40, 400, 0, 255), 6);
    }

    [PydicomFact]
    public void CompressedSyntaxesWithoutACodecAreReportedWithTheirUidNotDecodedIntoGarbage()
    {
        // JPEG, JPEG-LS and JPEG 2000 decode (CodecPeerTests); MPEG and HTJ2K do not: a JPEG 2000 file's fragments
        // presented as those syntaxes must be refused by UID.
        foreach (var (name, uid) in new[] { ("JPEG2000.dcm", "1.2.840.10008.1.2.4.201"), ("JPEG-lossy.dcm", "1.2.840.10008.1.2.4.100"), ("MR_small_jpeg_ls_lossless.dcm", "1.2.840.10008.1.2.4.102") })
        {
            var px = DicomPixelData.Create(DicomFile.Open(Corpus.Get(name)).Dataset, DicomTransferSyntax.Lookup(uid));
            var ex = Assert.Throws<DicomUnsupportedTransferSyntaxException>(() => px.GetFrame(0));
            Assert.Equal(uid, ex.TransferSyntaxUid);
            Assert.Contains(uid, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void SignedTwelveBitValuesAreSignExtendedAndPlanarRgbIsInterleaved()
    {
        var ds = new DicomDataset();
        ds.Add(DicomTags.Rows, DicomVR.US, "1").Add(DicomTags.Columns, DicomVR.US, "2").Add(DicomTags.BitsAllocated, DicomVR.US, "16")
          .Add(DicomTags.BitsStored, DicomVR.US, "12").Add(DicomTags.HighBit, DicomVR.US, "11").Add(DicomTags.PixelRepresentation, DicomVR.US, "1")
          .Add(DicomTags.SamplesPerPixel, DicomVR.US, "1");
        ds.Add(new DicomElement(DicomTags.PixelData, DicomVR.OW, new byte[] { 0xFF, 0x0F, 0x01, 0x00 })); // 0xFFF = -1 in 12 bits
        Assert.Equal([-1, 1], DicomPixelData.Create(ds, DicomTransferSyntax.ExplicitVRLittleEndian).GetStoredValues(0));
        var rgb = new DicomDataset();
        rgb.Add(DicomTags.Rows, DicomVR.US, "1").Add(DicomTags.Columns, DicomVR.US, "2").Add(DicomTags.BitsAllocated, DicomVR.US, "8")
           .Add(DicomTags.SamplesPerPixel, DicomVR.US, "3").Add(DicomTags.PlanarConfiguration, DicomVR.US, "1");
        rgb.Add(new DicomElement(DicomTags.PixelData, DicomVR.OB, new byte[] { 1, 2, 3, 4, 5, 6 })); // RR GG BB
        Assert.Equal([1, 3, 5, 2, 4, 6], DicomPixelData.Create(rgb, DicomTransferSyntax.ExplicitVRLittleEndian).GetStoredValues(0));
    }
}
