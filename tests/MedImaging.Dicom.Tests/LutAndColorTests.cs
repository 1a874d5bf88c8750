using MedImaging.Dicom.Tests.Peers;

namespace MedImaging.Dicom.Tests;

/// <summary>
/// The greyscale pipeline (Modality LUT, VOI LUT, windows, MONOCHROME1) and colour rendering (PALETTE COLOR incl.
/// segmented, YBR_FULL, YBR_FULL_422) against pydicom's pixel utilities and dcmtk's dcm2pnm on real images
/// (see <see cref="ImagingPeers"/>). Integer results are compared exactly; dcm2pnm's 8-bit output within 1 unit of
/// rounding (it rounds or truncates at different points than we do), as stated per test.
/// </summary>
public sealed class LutAndColorTests
{
    private static DicomPixelData Pixels(string path) => DicomPixelData.Create(DicomFile.Open(path));

    internal const string CtWithRescaleAndWindow = "dicomdirtests/98892001/CT5N/2062";
    internal const string CrMonochrome1 = "dicomdirtests/77654033/CR1/6154";

    /// <summary>A pydicom corpus file (name with a directory, or MR_small.dcm) or one the fixture built.</summary>
    internal static string CorpusOrBuilt(string name)
        => name.Contains('/', StringComparison.Ordinal) ? Path.Combine(Corpus.TestFiles, name)
            : name == "MR_small.dcm" ? Corpus.Get(name) : ImagingPeers.Get(name);

    [ImagingPeersTheory]
    [InlineData("ct_mlut16.dcm")]      // 4096 shuffled 16-bit entries, first mapped -2000
    [InlineData("ct_mlut8w.dcm")]      // 8-bit entries, each in a 16-bit word
    [InlineData("ct_mlut65536.dcm")]   // descriptor's first value 0 = 65536 entries
    public void ModalityLutSequence_EqualsPydicomApplyModalityLut(string name)
    {
        var path = ImagingPeers.Get(name);
        var py = ImagingPeers.Values(ImagingPeers.Pydicom([("modality", path)])[("modality", path)]);
        var px = Pixels(path);
        var ours = px.GetFrameValues(0);
        Assert.NotNull(DicomModalityTransform.FromDataset(px.Dataset).Lut);
        Assert.Equal(py, ours);
        // Not the identity and not the old rescale: the table really mapped the values.
        Assert.NotEqual(px.GetStoredValues(0).Select(v => (double)v), ours);
    }

    [ImagingPeersFact]
    public void ModalityLut_EightBitEntriesOnePerByte_ReadByValueLength_PS3_3_C_11_1_1_1()
    {
        // dcmmklut's default for 8-bit tables: 2048 entries in 2048 bytes. The same table in 16-bit words (ct_mlut8w,
        // which pydicom reads) must give the same values.
        var packed = Pixels(ImagingPeers.Get("ct_mlut8.dcm"));
        var words = ImagingPeers.Get("ct_mlut8w.dcm");
        var py = ImagingPeers.Values(ImagingPeers.Pydicom([("modality", words)])[("modality", words)]);
        Assert.Equal(2048, packed.Dataset.GetSequence(DicomTags.ModalityLUTSequence)[0].GetElement(DicomTags.LUTData)!.Length);
        Assert.Equal(py, packed.GetFrameValues(0));
        Assert.Equal(255, DicomModalityTransform.FromDataset(packed.Dataset).OutputMax);
    }

    [ImagingPeersFact]
    public void ModalityLutDescriptorWrittenAsUs_FirstMappedIsSignedByPixelRepresentation_PS3_3_C_11_1_1_1()
    {
        var ss = ImagingPeers.Get("ct_mlut16.dcm");
        var py = ImagingPeers.Values(ImagingPeers.Pydicom([("modality", ss)])[("modality", ss)]);
        var us = Pixels(ImagingPeers.Get("ct_mlut16_us.dcm"));
        Assert.Equal(DicomVR.US, us.Dataset.GetSequence(DicomTags.ModalityLUTSequence)[0].GetElement(DicomTags.LUTDescriptor)!.VR);
        Assert.Equal(-2000, DicomModalityTransform.FromDataset(us.Dataset).Lut!.FirstMapped);
        Assert.Equal(py, us.GetFrameValues(0));
    }

    [ImagingPeersTheory]
    [InlineData("mr_vlut16.dcm")]   // signed pixels, no modality transform: first mapped -200 is signed
    [InlineData("ct_vlut16.dcm")]   // after rescale (intercept -1024) the input may be negative: first mapped -1024 signed
    public void VoiLutSequence_EqualsPydicomApplyVoiLut(string name)
    {
        var path = ImagingPeers.Get(name);
        var py = ImagingPeers.Values(ImagingPeers.Pydicom([("voi", path)])[("voi", path)]);
        var px = Pixels(path);
        var modality = DicomModalityTransform.FromDataset(px.Dataset);
        var voi = DicomVoiTransform.FromDataset(px.Dataset, modality)!;
        Assert.NotNull(voi.Lut);
        Assert.True(voi.Lut!.FirstMapped < 0);
        var ours = px.GetFrameValues(0).Select(v => (double)voi.Lut.Lookup(v)).ToArray();
        Assert.Equal(py, ours);
    }

    [ImagingPeersTheory]
    [InlineData("MR_small.dcm", DicomVoiLutFunction.Linear)]
    [InlineData("mr_linear_exact.dcm", DicomVoiLutFunction.LinearExact)]
    [InlineData("mr_sigmoid.dcm", DicomVoiLutFunction.Sigmoid)]
    [InlineData(CtWithRescaleAndWindow, DicomVoiLutFunction.Linear)] // window on rescaled (HU) input
    public void WindowFunctions_EqualPydicomApplyWindowing_PS3_3_C_11_2_1_2_and_C_11_2_1_3(string name, DicomVoiLutFunction function)
    {
        var path = CorpusOrBuilt(name);
        var py = ImagingPeers.Values(ImagingPeers.Pydicom([("window", path)])[("window", path)]);
        var px = Pixels(path);
        var modality = DicomModalityTransform.FromDataset(px.Dataset);
        var voi = DicomVoiTransform.FromDataset(px.Dataset, modality, preferLut: false)!;
        Assert.Null(voi.Lut);
        Assert.Equal(function, voi.Function);
        // pydicom's output range: the stored range (after rescale when there is one); PS3.3 leaves the range to the caller.
        var (yMin, yMax) = (modality.OutputMin, modality.OutputMax);
        var ours = px.GetFrameValues(0).Select(v => voi.Apply(v, yMin, yMax)).ToArray();
        Assert.Equal(py.Length, ours.Length);
        for (var i = 0; i < ours.Length; i++) Assert.True(Math.Abs(py[i] - ours[i]) <= 1e-9 * (yMax - yMin), $"pixel {i}: pydicom {py[i]}, ours {ours[i]}");
    }

    [ImagingPeersTheory]
    [InlineData("mr_vlut16.dcm", "+Wl", "1")]
    [InlineData("mr_vlut8.dcm", "+Wl", "1")]      // 8-bit VOI LUT one entry per byte (pydicom cannot read it)
    [InlineData("ct_vlut16.dcm", "+Wl", "1")]
    [InlineData("MR_small.dcm", "+Wi", "1")]
    [InlineData("mr_sigmoid.dcm", "+Wi", "1")]
    [InlineData("mr_linear_exact.dcm", "+Wi", "1")]
    [InlineData("mr_vlut8w.dcm", "+Wl", "1")]
    [InlineData("ct_mlut16.dcm", "+Wm", "")]        // Modality LUT, then the min-max window
    [InlineData(CtWithRescaleAndWindow, "+Wi", "1")]
    [InlineData(CrMonochrome1, "+Wi", "1")]         // MONOCHROME1: inverted
    public void RenderGray8_MatchesDcm2pnm_WithinOneUnit(string name, string option, string index)
    {
        var path = CorpusOrBuilt(name);
        var dcmtk = index.Length == 0 ? ImagingPeers.Dcm2pnm(path, option) : ImagingPeers.Dcm2pnm(path, option, index);
        var px = Pixels(path);
        var modality = DicomModalityTransform.FromDataset(px.Dataset);
        var voi = option == "+Wm" ? null : DicomVoiTransform.FromDataset(px.Dataset, modality, preferLut: option == "+Wl");
        var ours = DicomImageRenderer.RenderGray8(px, 0, modality, voi);
        Assert.Equal(dcmtk.Length, ours.Length);
        var worst = ours.Select((v, i) => Math.Abs(v - dcmtk[i])).Max();
        Assert.True(worst <= 1, $"differs from dcm2pnm by up to {worst}");
        Assert.True(ours.Distinct().Count() > 16, "the rendering is not flat");
        if (option == "+Wl") Assert.Equal(ours, DicomImageRenderer.RenderGray8(px, 0)); // the default picks the VOI LUT
        if (voi?.Function == DicomVoiLutFunction.Sigmoid)
        {
            // dcm2pnm applied the SIGMOID too: a LINEAR window with the same centre and width is far from its output.
            var linear = DicomImageRenderer.RenderGray8(px, 0, modality, DicomVoiTransform.Window(voi.WindowCenter, voi.WindowWidth));
            Assert.True(linear.Select((v, i) => Math.Abs(v - dcmtk[i])).Max() > 10);
        }
    }

    [ImagingPeersTheory]
    [MemberData(nameof(PaletteNames))]
    public void PaletteColor_EqualsPydicomApplyColorLut_IncludingSegmentedPalettes_PS3_3_C_7_9_2(string name)
    {
        var path = ImagingPeers.Get($"palette_{name}.dcm");
        var py = ImagingPeers.Values(ImagingPeers.Pydicom([("palette", path)])[("palette", path)]);
        var px = Pixels(path);
        var lut = DicomPaletteColorLut.FromDataset(px.Dataset);
        var idx = px.GetStoredValues(0);
        var ours = idx.SelectMany(i => new double[] { lut.Red[i], lut.Green[i], lut.Blue[i] }).ToArray();
        Assert.Equal(py, ours);
        Assert.Equal(name is "spring" or "summer" or "fall" or "winter", lut.Segmented);
    }

    public static TheoryData<string> PaletteNames() => [.. ImagingPeers.Palettes, "hotiron_words", "ct16"];

    /// <summary>dcm2pnm does not expand segmented palettes (see ImagingPeerDisagreementTests).</summary>
    public static TheoryData<string> UnsegmentedPaletteNames() => [.. ImagingPeers.Palettes.Except(["spring", "summer", "fall", "winter"]), "hotiron_words", "ct16"];

    [ImagingPeersTheory]
    [MemberData(nameof(UnsegmentedPaletteNames))]
    public void PaletteColor_RenderRgb24_EqualsDcm2pnm(string name)
    {
        var path = ImagingPeers.Get($"palette_{name}.dcm");
        var dcmtk = ImagingPeers.Dcm2pnm(path);
        var ours = DicomImageRenderer.RenderRgb24(Pixels(path), 0);
        Assert.Equal(dcmtk.Length, ours.Length);
        var worst = ours.Select((v, i) => Math.Abs(v - dcmtk[i])).Max();
        Assert.True(worst <= 1, $"differs from dcm2pnm by up to {worst}");
    }

    [ImagingPeersTheory]
    [InlineData("ybr_full.dcm")]                       // YBR_FULL JPEG left native by dcmdjpeg +cn
    [InlineData("ybr_full_odd.dcm")]                   // odd rows and columns
    [InlineData("SC_ybr_full_422_uncompressed.dcm")]   // native YBR_FULL_422: two Y per Cb/Cr pair
    public void YbrFullAndYbrFull422_ToRgb_EqualPydicomConvertColorSpace_PS3_3_C_7_6_3_1_2(string name)
    {
        var path = name.StartsWith("SC_", StringComparison.Ordinal) ? Corpus.Get(name) : ImagingPeers.Get(name);
        var py = ImagingPeers.Values(ImagingPeers.Pydicom([("ybr", path)])[("ybr", path)]);
        var px = Pixels(path);
        Assert.StartsWith("YBR_FULL", px.PhotometricInterpretation, StringComparison.Ordinal);
        var ours = DicomImageRenderer.RenderRgb24(px, 0);
        Assert.Equal(py, ours.Select(b => (double)b));
        // Not the YCbCr samples passed through.
        Assert.NotEqual(px.GetStoredValues(0).Select(v => (byte)v), ours);
    }

    [ImagingPeersFact]
    public void LutsInExplicitBigEndian_ReadAsInLittleEndian_AsDcm2pnmDoes_PS3_5_8_2()
    {
        // dcmconv +tb wrote these; the reader swaps OW per 16-bit word, which restores 8-bit tables packed two to a word.
        var (le, be) = (ImagingPeers.Get("ct_mlut8.dcm"), ImagingPeers.Get("ct_mlut8_be.dcm"));
        Assert.Equal(DicomTransferSyntax.ExplicitVRBigEndian, DicomFile.Open(be).TransferSyntax);
        Assert.Equal(Pixels(le).GetFrameValues(0), Pixels(be).GetFrameValues(0));
        Assert.Equal(ImagingPeers.Dcm2pnm(le, "+Wm"), ImagingPeers.Dcm2pnm(be, "+Wm"));
        var (ple, pbe) = (ImagingPeers.Get("palette_hotiron.dcm"), ImagingPeers.Get("palette_hotiron_be.dcm"));
        Assert.Equal(ImagingPeers.Dcm2pnm(pbe), DicomImageRenderer.RenderRgb24(Pixels(pbe), 0));
        Assert.Equal(DicomImageRenderer.RenderRgb24(Pixels(ple), 0), DicomImageRenderer.RenderRgb24(Pixels(pbe), 0));
    }

    [ImagingPeersTheory]
    [InlineData("SC_rgb_small_odd.dcm")]       // 8-bit, interleaved
    [InlineData("ExplVR_BigEnd.dcm")]          // 8-bit, planar, big endian
    [InlineData("SC_rgb_rle_16bit.dcm")]       // 16-bit samples: the top 8 bits
    [InlineData("SC_rgb_rle_2frame.dcm")]
    public void Rgb_RenderRgb24_EqualsDcm2pnm(string name)
    {
        var path = Corpus.Get(name);
        var px = Pixels(path);
        var last = px.NumberOfFrames - 1; // the last frame (dcm2pnm counts from 1)
        var dcmtk = ImagingPeers.Dcm2pnm(path, "+F", (last + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var ours = DicomImageRenderer.RenderRgb24(px, last);
        Assert.Equal(dcmtk.Length, ours.Length);
        var worst = ours.Select((v, i) => Math.Abs(v - dcmtk[i])).Max();
        Assert.True(worst == 0, $"differs from dcm2pnm by up to {worst}");
    }

    [Fact]
    public void YbrFullToRgb_InvertsTheEquationsOfPs3_3_C_7_6_3_1_2()
    {
        // Forward equations of C.7.6.3.1.2 on a few colours, then back: within rounding of the forward step.
        foreach (var (r, g, b) in new[] { (255, 0, 0), (0, 255, 0), (0, 0, 255), (128, 128, 128), (12, 200, 99), (255, 255, 255), (0, 0, 0) })
        {
            var y = (int)Math.Round(0.2990 * r + 0.5870 * g + 0.1140 * b);
            var cb = (int)Math.Round(-0.1687 * r - 0.3313 * g + 0.5000 * b + 128);
            var cr = (int)Math.Round(0.5000 * r - 0.4187 * g - 0.0813 * b + 128);
            var back = DicomColor.YbrFullToRgb(Math.Clamp(y, 0, 255), Math.Clamp(cb, 0, 255), Math.Clamp(cr, 0, 255));
            Assert.InRange(back.R, r - 2, r + 2);
            Assert.InRange(back.G, g - 2, g + 2);
            Assert.InRange(back.B, b - 2, b + 2);
        }
        Assert.Equal((128, 128, 128), DicomColor.YbrFullToRgb(128, 128, 128));
    }

    [Fact]
    public void LutDescriptorAndDataErrorsNameTheElement()
    {
        var item = new DicomDataset();
        item.Add(new DicomElement(DicomTags.LUTDescriptor, DicomVR.US, new byte[] { 0, 1, 0, 0, 16, 0 })); // 256\0\16
        item.Add(new DicomElement(DicomTags.LUTData, DicomVR.OW, new byte[100]));
        var ex = Assert.Throws<DicomReadException>(() => DicomLut.FromItem(item, false, "(0028,3010) VOI LUT Sequence item 1"));
        Assert.Contains("(0028,3006) LUT Data holds 100 bytes", ex.Message, StringComparison.Ordinal);
        item.Add(new DicomElement(DicomTags.LUTDescriptor, DicomVR.US, new byte[] { 0, 1, 0, 0 }));
        ex = Assert.Throws<DicomReadException>(() => DicomLut.FromItem(item, false, "(0028,3000) Modality LUT Sequence item 1"));
        Assert.Contains("(0028,3002) LUT Descriptor has 2 values", ex.Message, StringComparison.Ordinal);
        var unknownFunction = Assert.Throws<DicomReadException>(() => DicomVoiTransform.ParseFunction("GAMMA"));
        Assert.Contains("(0028,1056)", unknownFunction.Message, StringComparison.Ordinal);
        var window = new DicomDataset();
        window.Add(DicomTags.WindowCenter, DicomVR.DS, "40").Add(DicomTags.WindowWidth, DicomVR.DS, "0");
        var identity = DicomModalityTransform.FromDataset(window);
        Assert.Contains("(0028,1051) Window Width", Assert.Throws<DicomReadException>(() => DicomVoiTransform.FromDataset(window, identity)).Message, StringComparison.Ordinal);
        window.Add(new DicomElement(DicomTags.WindowWidth, DicomVR.DS, "4x0"u8.ToArray()));
        Assert.Contains("(0028,1051) Window Width is not a number", Assert.Throws<DicomReadException>(() => DicomVoiTransform.FromDataset(window, identity)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LutClampsBelowFirstMappedAndPastTheEnd_PS3_3_C_11_1_1_1()
    {
        var lut = new DicomLut(-2, 16, [10, 20, 30]);
        Assert.Equal([10, 10, 10, 20, 30, 30, 30], new[] { -100, -3, -2, -1, 0, 1, 1000 }.Select(i => lut[i]));
        Assert.Equal(20, lut.Lookup(-0.5)); // fractional (rescaled) inputs are floored: -0.5 -> -1
    }

    [Fact]
    public void SegmentedPaletteOpcodesAndIndirectSegments_PS3_3_C_7_9_2()
    {
        // 16-bit segments: discrete [0 2 | 100 200], linear [1 4 | 0] (200 -> 0 over 4), indirect [2 1 | offset 0 0]
        // re-reading the first segment at byte offset 0 (the discrete one: 100 200).
        ushort[] words = [0, 2, 100, 200, 1, 4, 0, 2, 1, 0, 0];
        var ds = PaletteDataset(words, entries: 8, bits: 16);
        var lut = DicomPaletteColorLut.FromDataset(ds);
        Assert.True(lut.Segmented);
        Assert.Equal([100, 200, 150, 100, 50, 0, 100, 200], lut.Red.Entries.ToArray());
        var reserved = PaletteDataset([0, 1, 7, 3, 1, 0], entries: 1, bits: 16);
        var ex = Assert.Throws<DicomReadException>(() => DicomPaletteColorLut.FromDataset(reserved));
        Assert.Contains("(0028,1221) Segmented Red Palette Color Lookup Table Data", ex.Message, StringComparison.Ordinal);
        Assert.Contains("opcode 3", ex.Message, StringComparison.Ordinal);
        var wrongCount = PaletteDataset([0, 2, 1, 2], entries: 3, bits: 16);
        Assert.Contains("expands to 2 entries; the descriptor says 3", Assert.Throws<DicomReadException>(() => DicomPaletteColorLut.FromDataset(wrongCount)).Message, StringComparison.Ordinal);
    }

    private static DicomDataset PaletteDataset(ushort[] words, int entries, int bits)
    {
        var ds = new DicomDataset();
        var bytes = words.SelectMany(w => BitConverter.GetBytes(w)).ToArray();
        for (uint c = 0; c < 3; c++)
        {
            ds.Add(new DicomElement(new DicomTag(0x00281101 + c), DicomVR.US, new byte[] { (byte)entries, (byte)(entries >> 8), 0, 0, (byte)bits, 0 }));
            ds.Add(new DicomElement(new DicomTag(0x00281221 + c), DicomVR.OW, bytes));
        }
        return ds;
    }
}
