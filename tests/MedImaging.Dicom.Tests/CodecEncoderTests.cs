using MedImaging.Dicom.Codecs;
using MedImaging.Dicom.Tests.Peers;

namespace MedImaging.Dicom.Tests;

/// <summary>JPEG-LS encoding (what Inference uses for derived series): exact round trip, and the files it writes are
/// decoded by dcmtk's dcmdjpls and GDCM to the same pixels.</summary>
public sealed class CodecEncoderTests
{
    private static string WriteEncoded(string source, DicomTransferSyntax syntax, int near, string name)
    {
        var encoded = DicomPixelDataEncoder.Encode(DicomFile.Open(source), syntax, near);
        var path = Path.Combine(CodecPeers.Work, name);
        DicomWriter.Write(encoded, path);
        return path;
    }

    [CodecPeerFact]
    public void JpegLsLosslessRoundTripIsExactAndPeersDecodeTheSamePixels()
    {
        var failures = new List<string>();
        foreach (var (source, name) in new[] { (CodecCorpus.CtSmall, "ct"), (CodecCorpus.MrSmall, "mr"), (CodecCorpus.Ct12ThreeFrames, "ct12"),
                     (CodecCorpus.Rgb8TwoFrames, "rgb8"), (CodecCorpus.Rgb16TwoFrames, "rgb16"), (CodecCorpus.Mono8, "mono8") })
        {
            var path = WriteEncoded(source, DicomPixelDataEncoder.JpegLsLossless, 0, $"ours-{name}-jls.dcm");
            var file = DicomFile.Open(path);
            Assert.Equal("1.2.840.10008.1.2.4.80", file.TransferSyntax.Uid);
            var fragments = Assert.IsType<DicomFragmentSequence>(file.Dataset.GetElement(DicomTags.PixelData));
            var original = CodecPeers.Frames(source);
            Assert.Equal(original.Length, fragments.Fragments.Count);
            Assert.Equal(4 * original.Length, fragments.OffsetTable.Length);
            var ours = CodecPeers.Frames(path);
            if (CodecPeers.MaxDifference(ours, original, name) != 0) failures.Add($"{name}: our decode differs from the original");
            // GDCM refuses multi-frame 16-bit Secondary Capture ("Cannot handle Multi Frame image in
            // SecondaryCaptureImageStorage"), whoever encoded it: dcmdjpls alone checks that one.
            foreach (var peer in name == "rgb16" ? ["dcmdjpls"] : new[] { "dcmdjpls", "gdcm" })
                if (CodecPeers.MaxDifference(CodecPeers.Frames(CodecPeers.Decompress(peer, path)), original, name) is var d and not 0)
                    failures.Add($"{name}: {peer} decodes our file {d} away from the original");
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [CodecPeerFact]
    public void YbrFull422IsEncodedAsExpandedYbrFull()
    {
        var path = WriteEncoded(CodecCorpus.YbrFull422, DicomPixelDataEncoder.JpegLsLossless, 0, "ours-ybr-jls.dcm");
        var px = DicomPixelData.Create(DicomFile.Open(path));
        Assert.Equal("YBR_FULL", px.PhotometricInterpretation);
        Assert.Equal(0, px.PlanarConfiguration);
        Assert.Equal(CodecPeers.Frames(CodecCorpus.YbrFull422), CodecPeers.Frames(path));
        Assert.Equal(CodecPeers.Frames(path), CodecPeers.Frames(CodecPeers.Decompress("dcmdjpls", path)));
    }

    [CodecPeerFact]
    public void JpegLsNearLosslessStaysWithinNearAndIsFlaggedLossy()
    {
        foreach (var near in new[] { 1, 3 })
        {
            var path = WriteEncoded(CodecCorpus.Ct12ThreeFrames, DicomPixelDataEncoder.JpegLsNearLossless, near, $"ours-ct12-near{near}.dcm");
            var ours = CodecPeers.Frames(path);
            var original = CodecPeers.Frames(CodecCorpus.Ct12ThreeFrames);
            var error = CodecPeers.MaxDifference(ours, original, "ct12");
            Assert.InRange(error, 1, near); // lossy, but never past NEAR
            Assert.Equal(0, CodecPeers.MaxDifference(ours, CodecPeers.Frames(CodecPeers.Decompress("dcmdjpls", path)), "ct12"));
            var ds = DicomFile.Open(path).Dataset;
            Assert.Equal("01", ds.GetString(DicomTags.LossyImageCompression));
            Assert.Equal("ISO_14495_1", ds.GetString(DicomTags.LossyImageCompressionMethod));
        }
    }

    [Fact]
    public void EncoderRefusesWhatJpegLsCannotHold()
    {
        var ds = new DicomDataset();
        ds.Add(DicomTags.Rows, DicomVR.US, "1").Add(DicomTags.Columns, DicomVR.US, "2").Add(DicomTags.BitsAllocated, DicomVR.US, "32")
          .Add(DicomTags.BitsStored, DicomVR.US, "32").Add(DicomTags.SamplesPerPixel, DicomVR.US, "1");
        ds.Add(new DicomElement(DicomTags.PixelData, DicomVR.OW, new byte[8]));
        Assert.Throws<DicomUnsupportedTransferSyntaxException>(() => DicomPixelDataEncoder.Encode(ds, DicomTransferSyntax.ExplicitVRLittleEndian, DicomPixelDataEncoder.JpegLsLossless));
        Assert.Throws<ArgumentOutOfRangeException>(() => DicomPixelDataEncoder.Encode(ds, DicomTransferSyntax.ExplicitVRLittleEndian, DicomPixelDataEncoder.JpegLsLossless, 2));
        Assert.Throws<DicomUnsupportedTransferSyntaxException>(() => DicomPixelDataEncoder.Encode(ds, DicomTransferSyntax.ExplicitVRLittleEndian, DicomTransferSyntax.RleLossless));
    }

    [Fact]
    public void MissingNativeLibraryIsReportedWithItsDebianPackage()
    {
        // The same check that guards every CharLS and OpenJPEG call, pointed at a library that is not installed.
        var ex = Assert.Throws<DicomCodecUnavailableException>(() =>
            NativeCodecLibrary.Require("libcharls.so.99", "charls_jpegls_decoder_create", "libcharls99", PixelCodecs.JpegLsLossless));
        Assert.Equal("libcharls99", ex.DebianPackage);
        Assert.Contains("apt-get install -y libcharls99", ex.Message, StringComparison.Ordinal);
        Assert.Contains("1.2.840.10008.1.2.4.80", ex.Message, StringComparison.Ordinal);
        // A library that loads but lacks the entry point (an incompatible major version) is reported the same way.
        Assert.Throws<DicomCodecUnavailableException>(() =>
            NativeCodecLibrary.Require(NativeCodecLibrary.OpenJpeg, "charls_jpegls_decoder_create", NativeCodecLibrary.OpenJpegPackage, PixelCodecs.Jpeg2000));
    }
}
