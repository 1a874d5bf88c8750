using System.Buffers.Binary;
using MedImaging.Dicom;

namespace MedImaging.Registration.Ingest;

/// <summary>
/// Reads one spooled Part-10 part metadata-only (the library stops before the pixel data) and checks that the pixel
/// data the catalogue does not keep is at least all there: a metadata-only read alone would accept a truncated file.
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
        if (file.StoppedBeforePixelData && !file.TransferSyntax.IsDeflated && PixelDataProblem(content, length, file) is { } problem)
            return (null, problem);
        return (new IncomingInstance(file.Dataset, length, file.TransferSyntax.Uid, file.FileMetaInformation.GetString(DicomTags.MediaStorageSOPClassUID)), null);
    }

    private static readonly HashSet<string> LongVRs = ["OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"];

    private static string? PixelDataProblem(Stream s, long length, DicomFile file)
    {
        var ts = file.TransferSyntax;
        var big = ts.IsBigEndian;
        var header = new byte[12];
        s.Position = file.PixelDataPosition;
        if (!ReadExactly(s, header.AsSpan(0, 8))) return Truncated(file.PixelDataPosition);
        long valueLength;
        long headerLength;
        if (ts.IsExplicitVR && LongVRs.Contains(System.Text.Encoding.ASCII.GetString(header, 4, 2)))
        {
            if (!ReadExactly(s, header.AsSpan(8, 4))) return Truncated(file.PixelDataPosition);
            valueLength = U32(header.AsSpan(8), big);
            headerLength = 12;
        }
        else if (ts.IsExplicitVR)
        {
            valueLength = big ? BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(6)) : BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(6));
            headerLength = 8;
        }
        else
        {
            valueLength = U32(header.AsSpan(4), big);
            headerLength = 8;
        }
        var start = file.PixelDataPosition + headerLength;
        if (valueLength != 0xFFFFFFFF)
            return start + valueLength <= length ? null : $"pixel data truncated: {valueLength} bytes declared at offset {start}, {length - start} present";

        // Encapsulated: items until the sequence delimiter, each inside the part.
        s.Position = start;
        var item = new byte[8];
        while (ReadExactly(s, item))
        {
            var tag = (uint)(BinaryPrimitives.ReadUInt16LittleEndian(item) << 16 | BinaryPrimitives.ReadUInt16LittleEndian(item.AsSpan(2)));
            var itemLength = BinaryPrimitives.ReadUInt32LittleEndian(item.AsSpan(4));
            if (tag == 0xFFFEE0DD) return null;
            if (tag != 0xFFFEE000) return $"encapsulated pixel data broken at offset {s.Position - 8}: tag {tag:X8} where an item was expected";
            if (s.Position + itemLength > length) return $"pixel data fragment truncated at offset {s.Position}";
            s.Position += itemLength;
        }
        return "encapsulated pixel data truncated: no sequence delimiter";
    }

    private static uint U32(ReadOnlySpan<byte> b, bool big) => big ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);

    private static string Truncated(long at) => $"pixel data element header truncated at offset {at}";

    private static bool ReadExactly(Stream s, Span<byte> buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = s.Read(buffer[read..]);
            if (n == 0) return false;
            read += n;
        }
        return true;
    }
}
