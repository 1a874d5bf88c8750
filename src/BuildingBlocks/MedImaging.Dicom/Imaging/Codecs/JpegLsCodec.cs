namespace MedImaging.Dicom.Codecs;

/// <summary>JPEG-LS (ISO 14495-1; DICOM 1.2.840.10008.1.2.4.80 lossless, .81 near-lossless) through CharLS 2 (ADR 0013).</summary>
internal static unsafe class JpegLsCodec
{
    public static byte[] Decode(byte[] data, DicomPixelData px)
    {
        NativeCodecLibrary.Require(NativeCodecLibrary.CharLs, "charls_jpegls_decoder_create", NativeCodecLibrary.CharLsPackage, px.TransferSyntax.Uid);
        RequireEndOfImage(data);
        var decoder = CharLsNative.DecoderCreate();
        if (decoder == 0) throw new InvalidOperationException("CharLS could not create a decoder.");
        try
        {
            CharLsNative.FrameInfo info;
            int mode;
            byte[] decoded;
            fixed (byte* src = data)
            {
                Check(CharLsNative.DecoderSetSourceBuffer(decoder, src, (nuint)data.Length), "reading");
                Check(CharLsNative.DecoderReadHeader(decoder), "reading the header of");
                Check(CharLsNative.DecoderGetFrameInfo(decoder, &info), "reading");
                Check(CharLsNative.DecoderGetInterleaveMode(decoder, &mode), "reading");
                FrameWriter.Check(px, "JPEG-LS", (int)info.Width, (int)info.Height, info.ComponentCount, info.BitsPerSample);
                nuint size;
                Check(CharLsNative.DecoderGetDestinationSize(decoder, 0, &size), "sizing");
                if (size > (nuint)Array.MaxLength) throw new DicomReadException($"JPEG-LS frame would decode to {size} bytes.");
                decoded = new byte[size];
                fixed (byte* dst = decoded) Check(CharLsNative.DecoderDecodeToBuffer(decoder, dst, size, 0), "decoding");
            }
            // CharLS returns 1 byte per sample up to 8 bits, else 2 (little endian on this platform); planar when the
            // stream is not interleaved (each component in its own scan).
            var bytes = info.BitsPerSample <= 8 ? 1 : 2;
            var n = info.ComponentCount;
            var pixels = (long)info.Width * info.Height;
            var planar = mode == CharLsNative.InterleaveNone && n > 1;
            var frame = FrameWriter.Allocate(px);
            for (long p = 0; p < pixels; p++)
                for (var c = 0; c < n; c++)
                {
                    var at = (planar ? c * pixels + p : p * n + c) * bytes;
                    var v = bytes == 1 ? decoded[at] : decoded[at] | decoded[at + 1] << 8;
                    FrameWriter.Set(frame, px.BitsAllocated, p * n + c, v);
                }
            return frame;
        }
        finally
        {
            CharLsNative.DecoderDestroy(decoder);
        }
    }

    /// <summary>A truncated frame is refused before CharLS sees it: CharLS 2.4.1 spends tens of seconds on some streams
    /// that end early (pydicom's 64x64 MR cut in half took 31 s) before it reports them. A complete stream ends with
    /// EOI (FFD9), followed by at most a few pad bytes (dcmcjpls leaves one of any value). JPEG-LS entropy data cannot
    /// contain FFD9 (a byte after FF has its top bit clear), so finding it near the end is enough.</summary>
    private static void RequireEndOfImage(byte[] data)
    {
        for (var i = data.Length - 2; i >= Math.Max(0, data.Length - 8); i--)
            if (data[i] == 0xFF && data[i + 1] == 0xD9) return;
        throw new DicomReadException($"JPEG-LS frame of {data.Length} bytes does not end with the EOI marker (FFD9): it is truncated.");
    }

    /// <summary>Encodes one frame of stored values (samples interleaved, each masked to <paramref name="bitsStored"/>
    /// bits) as JPEG-LS; <paramref name="near"/> 0 is lossless.</summary>
    public static byte[] Encode(int[] values, int width, int height, int components, int bitsStored, int near)
    {
        NativeCodecLibrary.Require(NativeCodecLibrary.CharLs, "charls_jpegls_encoder_create", NativeCodecLibrary.CharLsPackage,
            near == 0 ? PixelCodecs.JpegLsLossless : PixelCodecs.JpegLsNearLossless);
        if (bitsStored is < 2 or > 16) throw new ArgumentOutOfRangeException(nameof(bitsStored), bitsStored, "JPEG-LS encodes 2 to 16 bits per sample.");
        var bytes = bitsStored <= 8 ? 1 : 2;
        var source = new byte[values.Length * bytes];
        var mask = (1 << bitsStored) - 1;
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i] & mask; // signed values go in as their two's-complement bit pattern, as DICOM stores them
            if (bytes == 1) source[i] = (byte)v;
            else { source[2 * i] = (byte)v; source[2 * i + 1] = (byte)(v >> 8); }
        }
        var encoder = CharLsNative.EncoderCreate();
        if (encoder == 0) throw new InvalidOperationException("CharLS could not create an encoder.");
        try
        {
            var info = new CharLsNative.FrameInfo { Width = (uint)width, Height = (uint)height, BitsPerSample = bitsStored, ComponentCount = components };
            Check(CharLsNative.EncoderSetFrameInfo(encoder, &info), "encoding");
            Check(CharLsNative.EncoderSetNearLossless(encoder, near), "encoding");
            Check(CharLsNative.EncoderSetInterleaveMode(encoder, components > 1 ? CharLsNative.InterleaveSample : CharLsNative.InterleaveNone), "encoding");
            nuint size;
            Check(CharLsNative.EncoderGetEstimatedDestinationSize(encoder, &size), "sizing");
            var output = new byte[size];
            nuint written;
            fixed (byte* dst = output)
            fixed (byte* src = source)
            {
                Check(CharLsNative.EncoderSetDestinationBuffer(encoder, dst, size), "encoding");
                Check(CharLsNative.EncoderEncodeFromBuffer(encoder, src, (nuint)source.Length, 0), "encoding");
                Check(CharLsNative.EncoderGetBytesWritten(encoder, &written), "encoding");
            }
            return output.AsSpan(0, (int)written).ToArray();
        }
        finally
        {
            CharLsNative.EncoderDestroy(encoder);
        }
    }

    private static void Check(int error, string what)
    {
        if (error != 0) throw new DicomReadException($"CharLS failed {what} the JPEG-LS frame: {CharLsNative.Message(error)} (charls_jpegls_errc {error}).");
    }
}
