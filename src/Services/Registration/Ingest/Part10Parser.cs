using MedImaging.Dicom;

namespace MedImaging.Registration.Ingest;

/// <summary>
/// Reads one spooled Part-10 part metadata-only. The completeness check is the library's: a metadata-only read keeps
/// nothing past the pixel data but still walks it (seeking over it here) and what follows, so a truncated value, a
/// broken fragment list or trailing garbage fails the part with the reader's reason — for deflated syntaxes too, whose
/// pixel data only the inflating reader can see.
/// </summary>
public static class Part10Parser
{
    public static (IncomingInstance? Instance, string? Error) Parse(Stream content, long length, long maxPartBytes)
    {
        DicomFile file;
        try
        {
            file = DicomFile.Open(content, DicomReaderOptions.MetadataOnly with { MaxFileLength = maxPartBytes });
        }
        catch (Exception ex) when (ex is DicomReadException or EndOfStreamException or FormatException or InvalidDataException
                                       or NotSupportedException or ArgumentException or OverflowException)
        {
            return (null, $"not readable as DICOM: {ex.Message}");
        }
        if (file.FileMetaInformation.Count == 0)
            return (null, "not a DICOM Part-10 file: no 'DICM' prefix and file meta information");
        return (new IncomingInstance(file.Dataset, length, file.TransferSyntax.Uid, file.FileMetaInformation.GetString(DicomTags.MediaStorageSOPClassUID)), null);
    }
}
