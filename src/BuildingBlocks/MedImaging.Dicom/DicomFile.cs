using System.IO.Compression;

namespace MedImaging.Dicom;

/// <summary>A DICOM Part-10 file (PS3.10 §7): preamble, "DICM", file meta information and the dataset.</summary>
public sealed class DicomFile
{
    /// <summary>Creates a file from its parts (for writing).</summary>
    public DicomFile(DicomDataset fileMetaInformation, DicomDataset dataset, DicomTransferSyntax transferSyntax)
    {
        FileMetaInformation = fileMetaInformation;
        Dataset = dataset;
        TransferSyntax = transferSyntax;
    }

    /// <summary>Group 0002 (empty for a raw dataset read without meta information).</summary>
    public DicomDataset FileMetaInformation { get; }

    /// <summary>The dataset.</summary>
    public DicomDataset Dataset { get; }

    /// <summary>The transfer syntax the dataset was encoded in.</summary>
    public DicomTransferSyntax TransferSyntax { get; }

    /// <summary>True when the input had the 128-byte preamble and "DICM".</summary>
    public bool HasPreamble { get; private init; }

    /// <summary>True when a metadata-only read stopped at the pixel data element, without reading it.</summary>
    public bool StoppedBeforePixelData { get; private init; }

    /// <summary>Where the pixel data element starts in the input when a metadata-only read stopped there, else -1.</summary>
    public long PixelDataPosition { get; private init; } = -1;

    /// <summary>What the read accepted but the caller may want to know: trailing zero padding after the dataset (read past,
    /// as dcmtk, pydicom and Orthanc do). Empty for a clean file.</summary>
    public IReadOnlyList<string> Warnings { get; private init; } = [];

    /// <summary>In full and lazy mode, files up to this size are read whole and parsed from memory (values are slices
    /// of one array); larger ones are streamed, so lazy reads never touch their pixel data. Metadata-only reads always
    /// stream, whatever the size.</summary>
    public const int InMemoryThreshold = 1 << 20;

    /// <summary>What a metadata-only read asks the input for first (each later read asks for twice as much): most
    /// headers fit, and the pixel data that follows them is read no further than this.</summary>
    public const int MetadataReadAhead = 8 * 1024;

    /// <summary>Reads a file. In lazy mode the file is reopened whenever a lazy value is read.</summary>
    public static DicomFile Open(string path, DicomReaderOptions? options = null)
    {
        options ??= DicomReaderOptions.Default;
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
        if (options.Mode != DicomReadMode.MetadataOnly && fs.Length <= InMemoryThreshold && fs.Length <= options.MaxFileLength)
        {
            // One read syscall and no per-value copies: every byte is wanted anyway. Metadata-only reads stream
            // instead: copying a whole CT slice to read its header costs more (and fills the heap) than the header's values.
            var bytes = new byte[fs.Length];
            fs.ReadExactly(bytes);
            return Open(bytes, options);
        }
        return Read(fs, options, new BulkDataSource.FileSource(path));
    }

    /// <summary>Reads from a stream. In lazy mode the stream must stay open (and seekable) while lazy values are read.</summary>
    public static DicomFile Open(Stream stream, DicomReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Read(stream, options ?? DicomReaderOptions.Default, stream.CanSeek ? new BulkDataSource.StreamSource(stream) : null);
    }

    /// <summary>Reads from bytes in memory. Values are slices of <paramref name="bytes"/> (no copies): do not modify
    /// the array while the dataset is in use.</summary>
    public static DicomFile Open(byte[] bytes, DicomReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        options ??= DicomReaderOptions.Default;
        using var src = new ByteSource(bytes, options.MaxFileLength);
        return Read(src, options, null);
    }

    /// <summary>Reads a raw dataset (no preamble, no meta) in a known transfer syntax.</summary>
    public static DicomDataset ReadDataset(Stream stream, DicomTransferSyntax transferSyntax, DicomReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options = (options ?? DicomReaderOptions.Default) with { TransferSyntax = transferSyntax };
        return Read(stream, options, stream.CanSeek ? new BulkDataSource.StreamSource(stream) : null).Dataset;
    }

    private static DicomFile Read(Stream stream, DicomReaderOptions options, BulkDataSource? bulk)
    {
        using var src = new ByteSource(stream, options.MaxFileLength)
        {
            ReadAhead = options.Mode == DicomReadMode.MetadataOnly ? MetadataReadAhead : int.MaxValue,
        };
        return Read(src, options, bulk);
    }

    private static DicomFile Read(ByteSource src, DicomReaderOptions options, BulkDataSource? bulk)
    {
        try
        {
            if (src.AtEnd) throw new DicomReadException("The input is empty", 0, "");
            var hasPreamble = src.TryPeek(132, out var head) && head[128..132].SequenceEqual("DICM"u8);
            if (hasPreamble) src.Skip(132);
            else if (src.TryPeek(4, out var dicm) && dicm.SequenceEqual("DICM"u8)) src.Skip(4); // preamble missing, prefix kept
            else if (options.TransferSyntax is null && !options.AcceptRawDataset)
            {
                // PS3.10 §7.1; pydicom refuses the same unless forced. Guessing would turn any bytes into "a dataset".
                throw new DicomReadException("No 'DICM' prefix at offset 128 (or 0): not a DICOM Part-10 file. For a raw dataset give "
                    + "its transfer syntax (DicomFile.ReadDataset, DicomReaderOptions.TransferSyntax) or set DicomReaderOptions.AcceptRawDataset", 0, "");
            }
            var meta = new DicomDataset();
            if (options.TransferSyntax is null) FileMetaReader.Read(src, meta);
            var ts = options.TransferSyntax ?? FileMetaReader.TransferSyntaxOf(meta, src);
            var dataset = new DicomDataset(DicomCharacterSet.Default, 64);
            DicomReader reader;
            if (ts.IsDeflated)
            {
                // Raw deflate (RFC 1951, no zlib header) from the byte after the meta group (PS3.5 §A.5). Offsets count on
                // from there in the inflated bytes, as in the same file undeflated.
                using var inflated = new DeflateStream(new DeflateEndCheck(src.RemainderStream()), CompressionMode.Decompress);
                var bounded = options.MaxInflatedLength <= options.MaxFileLength;
                using var inner = new ByteSource(inflated, Math.Min(options.MaxInflatedLength, options.MaxFileLength), src.Position,
                    bounded ? nameof(DicomReaderOptions.MaxInflatedLength) : nameof(DicomReaderOptions.MaxFileLength));
                reader = new DicomReader(inner, options, null);
                var (isExplicit, isBig) = FileMetaReader.DetectEncoding(inner, ts);
                reader.ReadTopLevel(dataset, isExplicit, isBig);
            }
            else
            {
                reader = new DicomReader(src, options, bulk);
                var (isExplicit, isBig) = FileMetaReader.DetectEncoding(src, ts);
                reader.ReadTopLevel(dataset, isExplicit, isBig);
            }
            return new DicomFile(meta, dataset, ts)
            {
                HasPreamble = hasPreamble,
                StoppedBeforePixelData = reader.StoppedBeforePixelData,
                PixelDataPosition = reader.PixelDataPosition,
                Warnings = reader.Warnings,
            };
        }
        catch (InvalidDataException ex)
        {
            throw new DicomReadException($"Deflated data is corrupt: {ex.Message}", src.Position, "", ex);
        }
        catch (IOException ex) when (ex is not EndOfStreamException)
        {
            throw new DicomReadException($"I/O error: {ex.Message}", src.Position, "", ex);
        }
    }
}
