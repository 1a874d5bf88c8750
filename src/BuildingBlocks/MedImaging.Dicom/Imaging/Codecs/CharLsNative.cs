using System.Runtime.InteropServices;

namespace MedImaging.Dicom.Codecs;

/// <summary>CharLS 2.x C API (charls/charls_jpegls_decoder.h, charls_jpegls_encoder.h), Debian package libcharls2.
/// Every function returns a charls_jpegls_errc, 0 on success.</summary>
internal static unsafe partial class CharLsNative
{
    private const string Lib = NativeCodecLibrary.CharLs;

    [StructLayout(LayoutKind.Sequential)]
    public struct FrameInfo
    {
        public uint Width;
        public uint Height;
        public int BitsPerSample;
        public int ComponentCount;
    }

    public const int InterleaveNone = 0;
    public const int InterleaveLine = 1;
    public const int InterleaveSample = 2;

    [LibraryImport(Lib, EntryPoint = "charls_jpegls_decoder_create")] public static partial nint DecoderCreate();
    [LibraryImport(Lib, EntryPoint = "charls_jpegls_decoder_destroy")] public static partial void DecoderDestroy(nint decoder);
    [LibraryImport(Lib, EntryPoint = "charls_jpegls_decoder_set_source_buffer")] public static partial int DecoderSetSourceBuffer(nint decoder, byte* source, nuint size);
    [LibraryImport(Lib, EntryPoint = "charls_jpegls_decoder_read_header")] public static partial int DecoderReadHeader(nint decoder);
    [LibraryImport(Lib, EntryPoint = "charls_jpegls_decoder_get_frame_info")] public static partial int DecoderGetFrameInfo(nint decoder, FrameInfo* info);
    [LibraryImport(Lib, EntryPoint = "charls_jpegls_decoder_get_near_lossless")] public static partial int DecoderGetNearLossless(nint decoder, int component, int* near);
    [LibraryImport(Lib, EntryPoint = "charls_jpegls_decoder_get_interleave_mode")] public static partial int DecoderGetInterleaveMode(nint decoder, int* mode);
    [LibraryImport(Lib, EntryPoint = "charls_jpegls_decoder_get_destination_size")] public static partial int DecoderGetDestinationSize(nint decoder, uint stride, nuint* size);
    [LibraryImport(Lib, EntryPoint = "charls_jpegls_decoder_decode_to_buffer")] public static partial int DecoderDecodeToBuffer(nint decoder, byte* destination, nuint size, uint stride);

    [LibraryImport(Lib, EntryPoint = "charls_jpegls_encoder_create")] public static partial nint EncoderCreate();
    [LibraryImport(Lib, EntryPoint = "charls_jpegls_encoder_destroy")] public static partial void EncoderDestroy(nint encoder);
    [LibraryImport(Lib, EntryPoint = "charls_jpegls_encoder_set_frame_info")] public static partial int EncoderSetFrameInfo(nint encoder, FrameInfo* info);
    [LibraryImport(Lib, EntryPoint = "charls_jpegls_encoder_set_near_lossless")] public static partial int EncoderSetNearLossless(nint encoder, int near);
    [LibraryImport(Lib, EntryPoint = "charls_jpegls_encoder_set_interleave_mode")] public static partial int EncoderSetInterleaveMode(nint encoder, int mode);
    [LibraryImport(Lib, EntryPoint = "charls_jpegls_encoder_get_estimated_destination_size")] public static partial int EncoderGetEstimatedDestinationSize(nint encoder, nuint* size);
    [LibraryImport(Lib, EntryPoint = "charls_jpegls_encoder_set_destination_buffer")] public static partial int EncoderSetDestinationBuffer(nint encoder, byte* destination, nuint size);
    [LibraryImport(Lib, EntryPoint = "charls_jpegls_encoder_encode_from_buffer")] public static partial int EncoderEncodeFromBuffer(nint encoder, byte* source, nuint size, uint stride);
    [LibraryImport(Lib, EntryPoint = "charls_jpegls_encoder_get_bytes_written")] public static partial int EncoderGetBytesWritten(nint encoder, nuint* written);

    [LibraryImport(Lib, EntryPoint = "charls_get_error_message")] public static partial nint GetErrorMessage(int error);

    public static string Message(int error) => Marshal.PtrToStringUTF8(GetErrorMessage(error)) ?? $"error {error}";
}
