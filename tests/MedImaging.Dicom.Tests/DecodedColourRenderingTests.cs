using MedImaging.Dicom.Tests.Peers;

namespace MedImaging.Dicom.Tests;

/// <summary>Rendering follows what a decoded frame holds (<see cref="DicomPixelData.FramePhotometricInterpretation"/>),
/// not what the dataset says: a YBR JPEG frame is RGB once decoded and must not be colour-converted a second time.</summary>
public sealed class DecodedColourRenderingTests
{
    [CodecPeerFact]
    public void YbrJpegRendersAsTheDcmdjpegDecompressedFileDoes()
    {
        // pydicom's YBR_FULL baseline JPEG, and a YBR_FULL_422 one dcmtk makes from the native YBR_FULL_422 corpus file.
        var ybrFull = Corpus.Get("SC_rgb_jpeg_dcmtk.dcm");
        var ybr422 = CodecPeers.Compress("/usr/bin/dcmcjpeg", "render-ybr422.dcm", Corpus.Get("SC_ybr_full_422_uncompressed.dcm"), "+eb");
        foreach (var path in new[] { ybrFull, ybr422 })
        {
            var ours = DicomPixelData.Create(DicomFile.Open(path));
            Assert.StartsWith("YBR_FULL", ours.PhotometricInterpretation);
            var peer = DicomPixelData.Create(DicomFile.Open(CodecPeers.Decompress("dcmdjpeg", path)));
            Assert.Equal("RGB", peer.PhotometricInterpretation);
            var a = DicomImageRenderer.RenderRgb24(ours, 0);
            var b = DicomImageRenderer.RenderRgb24(peer, 0);
            Assert.Equal(b.Length, a.Length);
            var max = 0;
            for (var i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs(a[i] - b[i]));
            // Same tolerance as the codec tests (IDCT/upsampling rounding); a second YBR→RGB pass is off by tens.
            Assert.True(max <= 2, $"{Path.GetFileName(path)}: rendered RGB differs from dcmdjpeg's decode by up to {max}");
        }
    }
}
