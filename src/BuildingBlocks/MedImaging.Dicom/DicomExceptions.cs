namespace MedImaging.Dicom;

/// <summary>Truncated, garbled or over-limit input. Carries where the reader was when it broke.</summary>
public sealed class DicomReadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DicomReadException(string message, long offset, string tagPath, Exception? inner = null)
        : base($"{message} (at byte offset {offset}, tag path {(tagPath.Length == 0 ? "<top>" : tagPath)})", inner)
    {
        Offset = offset;
        TagPath = tagPath;
        Reason = message;
    }

    /// <summary>Creates the exception without a location (e.g. invalid options).</summary>
    public DicomReadException(string message) : this(message, 0, "") { }

    /// <summary>Creates the exception without a location.</summary>
    public DicomReadException() : this("Invalid DICOM input") { }

    /// <summary>Creates the exception wrapping another one.</summary>
    public DicomReadException(string message, Exception inner) : this(message, 0, "", inner) { }

    /// <summary>Absolute byte offset in the input where the problem was found.</summary>
    public long Offset { get; }

    /// <summary>The path of tags from the top-level dataset, e.g. <c>(0040,A730)[2]/(0040,A160)</c>.</summary>
    public string TagPath { get; }

    /// <summary>The reason without the location.</summary>
    public string Reason { get; }
}

/// <summary>Pixel data in a transfer syntax this library does not decode (e.g. JPEG, JPEG 2000).</summary>
public sealed class DicomUnsupportedTransferSyntaxException : NotSupportedException
{
    /// <summary>Creates the exception for a transfer syntax UID.</summary>
    public DicomUnsupportedTransferSyntaxException(string transferSyntaxUid)
        : base($"Transfer syntax {transferSyntaxUid} ({DicomTransferSyntax.Lookup(transferSyntaxUid).Name}) is not supported for this operation.")
        => TransferSyntaxUid = transferSyntaxUid;

    /// <summary>Creates the exception without a UID.</summary>
    public DicomUnsupportedTransferSyntaxException() : this("") { }

    /// <summary>Creates the exception with a UID and an inner cause.</summary>
    public DicomUnsupportedTransferSyntaxException(string transferSyntaxUid, Exception inner)
        : base($"Transfer syntax {transferSyntaxUid} is not supported.", inner) => TransferSyntaxUid = transferSyntaxUid;

    /// <summary>The transfer syntax UID that was refused.</summary>
    public string TransferSyntaxUid { get; }
}
