using MedImaging.Dicom.Tests.Peers;

namespace MedImaging.Dicom.Tests;

/// <summary>Where pydicom 2.3 or dcmtk 3.6.7 depart from PS3.3 in LUTs and colour, we follow the standard; each test
/// names the peer, what it does, and the clause. Each also asserts the peer still behaves so, to tell when it changes.</summary>
public sealed class ImagingPeerDisagreementTests
{
    private static DicomPixelData Pixels(string path) => DicomPixelData.Create(DicomFile.Open(path));

    [ImagingPeersFact]
    public void Pydicom_Fails_OnEightBitLutDataOnePerByte_WhichDcmtkAndWeRead_PS3_3_C_11_1_1_1()
    {
        // C.11.1.1.1: 8-bit entries are stored "equivalent to 8 bits allocated" — one per byte, as dcmmklut writes them.
        var mlut = ImagingPeers.Get("ct_mlut8.dcm");
        var vlut = ImagingPeers.Get("mr_vlut8.dcm");
        var py = ImagingPeers.Pydicom([("modality", mlut), ("voi", vlut)]);
        Assert.True(py[("modality", mlut)].TryGetProperty("error", out var e1), "pydicom now reads 8-bit Modality LUT data one entry per byte");
        Assert.Contains("unpack", e1.GetString(), StringComparison.Ordinal);
        Assert.True(py[("voi", vlut)].TryGetProperty("error", out _), "pydicom now reads 8-bit VOI LUT data one entry per byte");
        // Ours: the same table as the word-aligned copy, which pydicom does read.
        Assert.Equal(Pixels(ImagingPeers.Get("ct_mlut8w.dcm")).GetFrameValues(0), Pixels(mlut).GetFrameValues(0));
        var words = Pixels(ImagingPeers.Get("mr_vlut8w.dcm"));
        var packed = Pixels(vlut);
        Assert.Equal(DicomImageRenderer.RenderGray8(words, 0), DicomImageRenderer.RenderGray8(packed, 0));
    }

    [ImagingPeersFact]
    public void Pydicom_IsWrong_EightBitVoiLutOfMoreThan256Entries_IndexWrapsAt256_PS3_3_C_11_2_1_1()
    {
        // pydicom's apply_voi builds its index array with the entries' dtype (uint8), so input 300 looks up entry 44.
        // C.11.2.1.1: input n + first mapped maps to entry n, inputs past the end to the last entry.
        var path = ImagingPeers.Get("mr_vlut8w.dcm");
        var py = ImagingPeers.Values(ImagingPeers.Pydicom([("voi", path)])[("voi", path)]);
        var px = Pixels(path);
        var lut = DicomVoiTransform.FromDataset(px.Dataset, DicomModalityTransform.FromDataset(px.Dataset))!.Lut!;
        Assert.Equal(1000, lut.EntryCount);
        var stored = px.GetStoredValues(0);
        var ours = stored.Select(v => (double)lut[v]).ToArray();
        var wrong = Enumerable.Range(0, ours.Length).Where(i => py[i] != ours[i]).ToList();
        Assert.True(wrong.Count > 0, "pydicom now indexes 8-bit VOI LUTs of more than 256 entries correctly; move this file to VoiLutSequence_EqualsPydicomApplyVoiLut");
        Assert.All(wrong, i => Assert.True(stored[i] >= 256, $"pixel {i} (stored {stored[i]}) differs below 256"));
        Assert.All(wrong, i => Assert.Equal(py[i], lut[stored[i] % 256]));
    }

    [ImagingPeersFact]
    public void Pydicom_IsWrong_LutDescriptorWrittenAsUs_FirstMappedMustFollowPixelRepresentation_PS3_3_C_11_1_1_1()
    {
        var ss = ImagingPeers.Get("ct_mlut16.dcm");
        var us = ImagingPeers.Get("ct_mlut16_us.dcm");
        var py = ImagingPeers.Pydicom([("modality", ss), ("modality", us)]);
        var pySs = ImagingPeers.Values(py[("modality", ss)]);
        var pyUs = ImagingPeers.Values(py[("modality", us)]);
        Assert.NotEqual(pySs, pyUs); // pydicom reads -2000 as 63536 and maps every pixel to the first entry
        Assert.Single(pyUs.Distinct());
        Assert.Equal(pySs, Pixels(us).GetFrameValues(0));
        // dcmtk, like us, takes the sign from the pixel representation.
        Assert.Equal(ImagingPeers.Dcm2pnm(ss, "+Wm"), ImagingPeers.Dcm2pnm(us, "+Wm"));
    }

    [ImagingPeersTheory]
    [InlineData("spring")]
    [InlineData("summer")]
    [InlineData("fall")]
    [InlineData("winter")]
    public void Dcm2pnm_Fails_OnSegmentedPalettes_WhichWeExpandAsPydicomDoes_PS3_3_C_7_9_2(string name)
    {
        var path = ImagingPeers.Get($"palette_{name}.dcm");
        var ex = Assert.Throws<InvalidOperationException>(() => ImagingPeers.Dcm2pnm(path));
        Assert.Contains("segmented palettes not yet supported", ex.Message, StringComparison.Ordinal);
        // Agreement with pydicom's apply_color_lut is in LutAndColorTests; here the rendering uses the expanded table.
        var px = Pixels(path);
        var lut = DicomPaletteColorLut.FromDataset(px.Dataset);
        Assert.True(lut.Segmented);
        Assert.Equal(256, lut.Red.EntryCount);
        var rgb = DicomImageRenderer.RenderRgb24(px, 0);
        var idx = px.GetStoredValues(0);
        Assert.Equal((byte)lut.Green[idx[1000]], rgb[3 * 1000 + 1]);
    }

    [ImagingPeersFact]
    public void Pydicom_IsWrong_IndirectSegmentOffsetIsInBytes_PS3_3_C_7_9_2_3()
    {
        // C.7.9.2.3 gives the indirect segment's offset in bytes (GDCM's SegmentedPaletteColorLookupTable divides it by
        // the entry size too); pydicom's _expand_segmented_lut uses it as an index of 16-bit words.
        var path = ImagingPeers.Get("palette_indirect.dcm");
        var py = ImagingPeers.Pydicom([("palette", path)])[("palette", path)];
        var px = Pixels(path);
        var lut = DicomPaletteColorLut.FromDataset(px.Dataset);
        Assert.Equal([1000, 2000, 1500, 1000, 500, 0, 5000, 3750, 2500, 1250, 0, 5000], lut.Red.Entries.ToArray());
        // Word 8 is in the middle of a segment: pydicom reads a linear segment of 5000 entries and runs off the data.
        Assert.True(py.TryGetProperty("error", out var error), "pydicom now expands this table; compare it with ours in LutAndColorTests");
        Assert.Contains("IndexError", error.GetString(), StringComparison.Ordinal);
    }

    [ImagingPeersTheory]
    [InlineData("ybr_full.dcm")]
    [InlineData("SC_ybr_full_422_uncompressed.dcm")]
    public void Dcm2pnm_Differs_YbrFullToRgb_ByUpTo2_ChromaCentre127_5AndTruncation_PS3_3_C_7_6_3_1_2(string name)
    {
        // C.7.6.3.1.2 centres Cb and Cr on 128; dcmtk's DiYBRPixelTemplate uses maxvalue/2 = 127.5, 4-digit coefficients
        // and truncates. We round the exact inverse and equal pydicom's convert_color_space (LutAndColorTests).
        var path = name.StartsWith("SC_", StringComparison.Ordinal) ? Corpus.Get(name) : ImagingPeers.Get(name);
        var dcmtk = ImagingPeers.Dcm2pnm(path);
        var px = Pixels(path);
        var ours = DicomImageRenderer.RenderRgb24(px, 0);
        var diffs = ours.Select((v, i) => Math.Abs(v - dcmtk[i])).ToArray();
        Assert.True(diffs.Max() <= 2, $"dcm2pnm differs by {diffs.Max()}");
        Assert.True(diffs.Any(d => d > 0), "dcm2pnm now converts YBR_FULL exactly as PS3.3 C.7.6.3.1.2; this test documents that it did not");
        if (name.StartsWith("SC_", StringComparison.Ordinal))
        {
            // On this file dcm2pnm is exactly dcmtk's formula, which shows where the difference comes from.
            var s = px.GetStoredValues(0);
            for (var i = 0; i < s.Length / 3; i++)
            {
                double y = s[3 * i], cb = s[3 * i + 1], cr = s[3 * i + 2];
                Assert.Equal(Trunc(y + 1.4020 * cr - 0.7010 * 255), dcmtk[3 * i]);
                Assert.Equal(Trunc(y - 0.3441 * cb - 0.7141 * cr + 0.5291 * 255), dcmtk[3 * i + 1]);
                Assert.Equal(Trunc(y + 1.7720 * cb - 0.8859 * 255), dcmtk[3 * i + 2]);
            }
        }
    }

    private static byte Trunc(double v) => (byte)(v < 0 ? 0 : v > 255 ? 255 : (int)v);
}
