using System.Runtime.InteropServices;
using System.Text;

namespace MedImaging.Dicom.Codecs;

/// <summary>JPEG 2000 (ISO 15444-1; DICOM 1.2.840.10008.1.2.4.90 lossless, .91) through OpenJPEG 2.5 (ADR 0013), from
/// memory via stream callbacks. OpenJPEG undoes the multiple-component transform (RCT/ICT), so colour comes out RGB.</summary>
internal static unsafe class Jpeg2000Codec
{
    private struct Source
    {
        public byte* Data;
        public long Length;
        public long Position;
    }

    public static byte[] Decode(byte[] data, DicomPixelData px)
    {
        NativeCodecLibrary.Require(NativeCodecLibrary.OpenJpeg, "opj_create_decompress", NativeCodecLibrary.OpenJpegPackage, px.TransferSyntax.Uid);
        // DICOM asks for a bare codestream (FF4F FF51); some writers wrap it in a JP2 file ("jP  " box).
        var format = data.Length > 12 && data[4] == 0x6A && data[5] == 0x50 ? OpenJpegNative.CodecJp2 : OpenJpegNative.CodecJ2k;
        var errors = new StringBuilder();
        var errorsHandle = GCHandle.Alloc(errors);
        var codec = OpenJpegNative.CreateDecompress(format);
        var stream = OpenJpegNative.StreamCreate(64 * 1024, 1);
        var parameters = NativeMemory.AllocZeroed(OpenJpegNative.DecoderParametersSize);
        OpenJpegNative.Image* image = null;
        try
        {
            if (codec == 0 || stream == 0) throw new InvalidOperationException("OpenJPEG could not create a decoder.");
            _ = OpenJpegNative.SetErrorHandler(codec, &OnError, (void*)GCHandle.ToIntPtr(errorsHandle));
            OpenJpegNative.SetDefaultDecoderParameters(parameters);
            if (OpenJpegNative.SetupDecoder(codec, parameters) == 0) throw Failed("setting up the decoder for", errors);
            fixed (byte* bytes = data)
            {
                var source = new Source { Data = bytes, Length = data.Length };
                OpenJpegNative.StreamSetUserData(stream, &source, 0);
                OpenJpegNative.StreamSetUserDataLength(stream, (ulong)data.Length);
                OpenJpegNative.StreamSetReadFunction(stream, &Read);
                OpenJpegNative.StreamSetSkipFunction(stream, &Skip);
                OpenJpegNative.StreamSetSeekFunction(stream, &Seek);
                if (OpenJpegNative.ReadHeader(stream, codec, &image) == 0) throw Failed("reading the header of", errors);
                if (OpenJpegNative.Decode(codec, stream, image) == 0) throw Failed("decoding", errors);
                if (OpenJpegNative.EndDecompress(codec, stream) == 0) throw Failed("finishing", errors);
            }
            return ToFrame(image, px);
        }
        finally
        {
            if (image != null) OpenJpegNative.ImageDestroy(image);
            NativeMemory.Free(parameters);
            if (stream != 0) OpenJpegNative.StreamDestroy(stream);
            if (codec != 0) OpenJpegNative.DestroyCodec(codec);
            errorsHandle.Free();
        }
    }

    private static byte[] ToFrame(OpenJpegNative.Image* image, DicomPixelData px)
    {
        var n = (int)image->NumComps;
        if (n == 0) throw new DicomReadException("JPEG 2000 frame has no components.");
        var c0 = image->Comps[0];
        var precision = 0;
        for (var c = 0; c < n; c++)
        {
            var comp = image->Comps[c];
            if (comp.W != c0.W || comp.H != c0.H || comp.Data == null)
                throw new DicomReadException($"JPEG 2000 component {c} is {comp.W}x{comp.H} (subsampled or missing); DICOM frames have equal components.");
            precision = Math.Max(precision, (int)comp.Prec);
        }
        FrameWriter.Check(px, "JPEG 2000", (int)c0.W, (int)c0.H, n, precision);
        var frame = FrameWriter.Allocate(px);
        var pixels = (long)c0.W * c0.H;
        for (var c = 0; c < n; c++)
        {
            var d = image->Comps[c].Data;
            for (long p = 0; p < pixels; p++) FrameWriter.Set(frame, px.BitsAllocated, p * n + c, d[p]);
        }
        return frame;
    }

    private static DicomReadException Failed(string what, StringBuilder errors) =>
        new($"OpenJPEG failed {what} the JPEG 2000 frame{(errors.Length > 0 ? ": " + errors.ToString().Trim() : ".")}");

    [UnmanagedCallersOnly]
    private static void OnError(byte* message, void* user)
    {
        if (GCHandle.FromIntPtr((nint)user).Target is StringBuilder sb) sb.Append(Marshal.PtrToStringUTF8((nint)message)).Append(' ');
    }

    [UnmanagedCallersOnly]
    private static nuint Read(byte* buffer, nuint count, void* user)
    {
        var s = (Source*)user;
        var left = s->Length - s->Position;
        if (left <= 0) return unchecked((nuint)(-1)); // OpenJPEG's end-of-stream value
        var n = (long)Math.Min((ulong)left, count);
        Buffer.MemoryCopy(s->Data + s->Position, buffer, (long)count, n);
        s->Position += n;
        return (nuint)n;
    }

    [UnmanagedCallersOnly]
    private static long Skip(long count, void* user)
    {
        var s = (Source*)user;
        var target = Math.Clamp(s->Position + count, 0, s->Length);
        var skipped = target - s->Position;
        s->Position = target;
        return skipped == 0 && count != 0 ? -1 : skipped;
    }

    [UnmanagedCallersOnly]
    private static int Seek(long position, void* user)
    {
        var s = (Source*)user;
        if (position < 0 || position > s->Length) return 0;
        s->Position = position;
        return 1;
    }
}
