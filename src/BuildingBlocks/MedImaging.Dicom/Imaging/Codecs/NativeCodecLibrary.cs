using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace MedImaging.Dicom.Codecs;

/// <summary>
/// Checks once per process that a codec's shared object loads, before the first P/Invoke into it: a missing library
/// becomes a <see cref="DicomCodecUnavailableException"/> naming the Debian package, not a DllNotFoundException from
/// deep inside a decode (or, worse, an EntryPointNotFoundException from an incompatible major version).
/// </summary>
internal static class NativeCodecLibrary
{
    public const string CharLs = "libcharls.so.2";
    public const string CharLsPackage = "libcharls2";
    public const string OpenJpeg = "libopenjp2.so.7";
    public const string OpenJpegPackage = "libopenjp2-7";

    private static readonly ConcurrentDictionary<string, bool> s_loaded = new(StringComparer.Ordinal);

    /// <summary>Throws <see cref="DicomCodecUnavailableException"/> unless <paramref name="library"/> loads and exports
    /// <paramref name="probeSymbol"/>.</summary>
    public static void Require(string library, string probeSymbol, string debianPackage, string transferSyntaxUid)
    {
        var ok = s_loaded.GetOrAdd(library + "|" + probeSymbol, key =>
        {
            if (!NativeLibrary.TryLoad(library, out var handle)) return false;
            return NativeLibrary.TryGetExport(handle, probeSymbol, out var symbol) && symbol != 0;
        });
        if (!ok) throw new DicomCodecUnavailableException(transferSyntaxUid, library, debianPackage);
    }
}
