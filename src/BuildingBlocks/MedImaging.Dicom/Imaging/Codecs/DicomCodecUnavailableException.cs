namespace MedImaging.Dicom;

/// <summary>
/// A transfer syntax this library decodes or encodes through a native library (CharLS for JPEG-LS, OpenJPEG for
/// JPEG 2000) that is not installed. The message names the shared object and the Debian package that provides it.
/// </summary>
public sealed class DicomCodecUnavailableException : NotSupportedException
{
    /// <summary>Creates the exception for a missing native library.</summary>
    public DicomCodecUnavailableException(string transferSyntaxUid, string library, string debianPackage, Exception? inner = null)
        : base($"Transfer syntax {transferSyntaxUid} ({DicomTransferSyntax.Lookup(transferSyntaxUid).Name}) needs the native library {library}, "
            + $"which is not installed: install the Debian package {debianPackage} (apt-get install -y {debianPackage}; deploy/local scripts do this).", inner)
    {
        TransferSyntaxUid = transferSyntaxUid;
        Library = library;
        DebianPackage = debianPackage;
    }

    /// <summary>Creates the exception without details.</summary>
    public DicomCodecUnavailableException() : this("", "", "") { }

    /// <summary>Creates the exception with a message.</summary>
    public DicomCodecUnavailableException(string message) : base(message)
    {
        TransferSyntaxUid = Library = DebianPackage = "";
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public DicomCodecUnavailableException(string message, Exception inner) : base(message, inner)
    {
        TransferSyntaxUid = Library = DebianPackage = "";
    }

    /// <summary>The transfer syntax that needed the library.</summary>
    public string TransferSyntaxUid { get; }

    /// <summary>The shared object that could not be loaded, e.g. <c>libcharls.so.2</c>.</summary>
    public string Library { get; }

    /// <summary>The Debian package that provides it, e.g. <c>libcharls2</c>.</summary>
    public string DebianPackage { get; }
}
