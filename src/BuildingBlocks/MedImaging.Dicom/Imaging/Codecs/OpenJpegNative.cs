using System.Runtime.InteropServices;

namespace MedImaging.Dicom.Codecs;

/// <summary>OpenJPEG 2.5 C API (openjpeg.h), Debian package libopenjp2-7. OPJ_BOOL is int; sizes are size_t.</summary>
internal static unsafe partial class OpenJpegNative
{
    private const string Lib = NativeCodecLibrary.OpenJpeg;

    public const int CodecJ2k = 0;
    public const int CodecJp2 = 2;

    /// <summary>opj_image_t.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Image
    {
        public uint X0, Y0, X1, Y1, NumComps;
        public int ColorSpace;
        public ImageComp* Comps;
        public byte* IccProfile;
        public uint IccProfileLength;
    }

    /// <summary>opj_image_comp_t.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ImageComp
    {
        public uint Dx, Dy, W, H, X0, Y0, Prec, Bpp, Sgnd, ResnoDecoded, Factor;
        public int* Data;
        public ushort Alpha;
    }

    /// <summary>Size reserved for opj_dparameters_t (about 8.3 KB in 2.5: two 4096-byte paths and a few ints); only the
    /// library reads and writes it, through opj_set_default_decoder_parameters and opj_setup_decoder.</summary>
    public const int DecoderParametersSize = 16 * 1024;

    [LibraryImport(Lib, EntryPoint = "opj_stream_create")] public static partial nint StreamCreate(nuint bufferSize, int isInput);
    [LibraryImport(Lib, EntryPoint = "opj_stream_destroy")] public static partial void StreamDestroy(nint stream);
    [LibraryImport(Lib, EntryPoint = "opj_stream_set_read_function")] public static partial void StreamSetReadFunction(nint stream, delegate* unmanaged<byte*, nuint, void*, nuint> read);
    [LibraryImport(Lib, EntryPoint = "opj_stream_set_skip_function")] public static partial void StreamSetSkipFunction(nint stream, delegate* unmanaged<long, void*, long> skip);
    [LibraryImport(Lib, EntryPoint = "opj_stream_set_seek_function")] public static partial void StreamSetSeekFunction(nint stream, delegate* unmanaged<long, void*, int> seek);
    [LibraryImport(Lib, EntryPoint = "opj_stream_set_user_data")] public static partial void StreamSetUserData(nint stream, void* data, nint freeFunction);
    [LibraryImport(Lib, EntryPoint = "opj_stream_set_user_data_length")] public static partial void StreamSetUserDataLength(nint stream, ulong length);

    [LibraryImport(Lib, EntryPoint = "opj_create_decompress")] public static partial nint CreateDecompress(int format);
    [LibraryImport(Lib, EntryPoint = "opj_set_default_decoder_parameters")] public static partial void SetDefaultDecoderParameters(void* parameters);
    [LibraryImport(Lib, EntryPoint = "opj_setup_decoder")] public static partial int SetupDecoder(nint codec, void* parameters);
    [LibraryImport(Lib, EntryPoint = "opj_set_error_handler")] public static partial int SetErrorHandler(nint codec, delegate* unmanaged<byte*, void*, void> handler, void* userData);
    [LibraryImport(Lib, EntryPoint = "opj_read_header")] public static partial int ReadHeader(nint stream, nint codec, Image** image);
    [LibraryImport(Lib, EntryPoint = "opj_decode")] public static partial int Decode(nint codec, nint stream, Image* image);
    [LibraryImport(Lib, EntryPoint = "opj_end_decompress")] public static partial int EndDecompress(nint codec, nint stream);
    [LibraryImport(Lib, EntryPoint = "opj_destroy_codec")] public static partial void DestroyCodec(nint codec);
    [LibraryImport(Lib, EntryPoint = "opj_image_destroy")] public static partial void ImageDestroy(Image* image);
}
