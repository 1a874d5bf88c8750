namespace MedImaging.Dicom.Codecs;

/// <summary>
/// Which decoder handles an encapsulated transfer syntax, and what the decoded frame looks like: native little-endian
/// samples of Bits Allocated, interleaved (planar configuration 0), as <see cref="DicomPixelData.GetFrame"/> returns.
/// </summary>
internal static class PixelCodecs
{
    public const string JpegBaseline = "1.2.840.10008.1.2.4.50";
    public const string JpegExtended = "1.2.840.10008.1.2.4.51";
    public const string JpegLossless = "1.2.840.10008.1.2.4.57";
    public const string JpegLosslessSv1 = "1.2.840.10008.1.2.4.70";
    public const string JpegLsLossless = "1.2.840.10008.1.2.4.80";
    public const string JpegLsNearLossless = "1.2.840.10008.1.2.4.81";
    public const string Jpeg2000Lossless = "1.2.840.10008.1.2.4.90";
    public const string Jpeg2000 = "1.2.840.10008.1.2.4.91";

    public static bool CanDecode(string uid) => uid is JpegBaseline or JpegExtended or JpegLossless or JpegLosslessSv1
        or JpegLsLossless or JpegLsNearLossless or Jpeg2000Lossless or Jpeg2000;

    public static byte[] Decode(DicomPixelData px, byte[] data)
    {
        var uid = px.TransferSyntax.Uid;
        if (data.Length == 0) throw new DicomReadException($"Frame of {px.TransferSyntax.Name} pixel data has no bytes.");
        return uid switch
        {
            // A DICOM "JPEG Lossless" file sometimes holds a DCT stream and vice versa; the SOF marker decides.
            JpegBaseline or JpegExtended or JpegLossless or JpegLosslessSv1 => JpegProcess.IsLossless(data)
                ? JpegLosslessDecoder.Decode(data, px)
                : JpegDctDecoder.Decode(data, px),
            JpegLsLossless or JpegLsNearLossless => JpegLsCodec.Decode(data, px),
            Jpeg2000Lossless or Jpeg2000 => Jpeg2000Codec.Decode(data, px),
            _ => throw new DicomUnsupportedTransferSyntaxException(uid),
        };
    }

    /// <summary>The photometric interpretation of the decoded frame. JPEG DCT colour is converted from YCbCr to RGB
    /// as dcmtk's dcmdjpeg does by default; JPEG 2000 decoders undo the component transform (YBR_ICT, YBR_RCT), as
    /// GDCM does; native YBR_FULL_422 is expanded to full-resolution YBR_FULL.</summary>
    public static string DecodedPhotometricInterpretation(DicomPixelData px)
    {
        var pi = px.PhotometricInterpretation;
        if (px.SamplesPerPixel != 3) return pi;
        return px.TransferSyntax.Uid switch
        {
            JpegBaseline or JpegExtended when pi is "YBR_FULL" or "YBR_FULL_422" => "RGB",
            Jpeg2000Lossless or Jpeg2000 when pi is "YBR_ICT" or "YBR_RCT" => "RGB",
            _ when !px.TransferSyntax.IsEncapsulated && pi == "YBR_FULL_422" => "YBR_FULL",
            _ => pi,
        };
    }
}
