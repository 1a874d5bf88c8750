namespace MedImaging.Dicom;

/// <summary>How much of the input the reader loads.</summary>
public enum DicomReadMode
{
    /// <summary>Every element value is read into memory.</summary>
    Full,

    /// <summary>Stop before (7FE0,0010) Pixel Data (and float pixel data) at the top level; the pixel bytes are never read.</summary>
    MetadataOnly,

    /// <summary>Pixel data (and any value at least <see cref="DicomReaderOptions.LazyThreshold"/> long) is kept as offset and length
    /// into a seekable input and read on demand.</summary>
    LazyPixelData,
}

/// <summary>Options for <see cref="DicomFile.Open(string, DicomReaderOptions?)"/> and <see cref="DicomFile.ReadDataset"/>.</summary>
public sealed record DicomReaderOptions
{
    /// <summary>The highest <see cref="MaxDepth"/> accepted: deeper nesting is refused, never read (PS3 sets no limit;
    /// real objects nest a handful of levels). The reader and the writers work to this depth on a 256 KB stack.</summary>
    public const int MaxDepthLimit = 256;

    /// <summary>The default options: full read, 2 GiB element bound, 64 nesting levels, 1 GiB inflated bound.</summary>
    public static DicomReaderOptions Default { get; } = new();

    /// <summary>Metadata-only reads (what cataloguing uses).</summary>
    public static DicomReaderOptions MetadataOnly { get; } = new() { Mode = DicomReadMode.MetadataOnly };

    /// <summary>Lazy pixel data reads (what inference uses on large multi-frame files).</summary>
    public static DicomReaderOptions Lazy { get; } = new() { Mode = DicomReadMode.LazyPixelData };

    /// <summary>The read mode.</summary>
    public DicomReadMode Mode { get; init; } = DicomReadMode.Full;

    /// <summary>Largest element value the reader loads into memory; longer ones fail with <see cref="DicomReadException"/>
    /// (unless loaded lazily). Default: <see cref="Array.MaxLength"/>.</summary>
    public long MaxElementLength { get; init; } = Array.MaxLength;

    /// <summary>Largest input the reader accepts, in bytes (after inflation for deflated files). Default: unbounded.</summary>
    public long MaxFileLength { get; init; } = long.MaxValue;

    /// <summary>Deepest sequence nesting accepted. Default 64; 0 to <see cref="MaxDepthLimit"/> (256), a larger value is
    /// rejected with <see cref="ArgumentOutOfRangeException"/> when the options are made.</summary>
    public int MaxDepth
    {
        get => _maxDepth;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxDepthLimit);
            _maxDepth = value;
        }
    }

    private readonly int _maxDepth = 64;

    /// <summary>Largest dataset a deflated file (or raw deflated dataset) may inflate to, in bytes; more is a
    /// <see cref="DicomReadException"/> naming this bound, so that a small deflate bomb cannot exhaust memory.
    /// <see cref="MaxFileLength"/> applies too, whichever is smaller. Default 1 GiB.</summary>
    public long MaxInflatedLength { get; init; } = 1L << 30;

    /// <summary>Read input without the "DICM" prefix as a raw dataset whose encoding is detected from its first element
    /// (what pydicom's <c>force=True</c> does). Default false: such input is a <see cref="DicomReadException"/> unless
    /// <see cref="TransferSyntax"/> is given.</summary>
    public bool AcceptRawDataset { get; init; }

    /// <summary>In lazy mode, any value at least this long is kept on disk as well. Default 1 MiB.</summary>
    public long LazyThreshold { get; init; } = 1 << 20;

    /// <summary>For a raw dataset without file meta information: its transfer syntax (null = detect).</summary>
    public DicomTransferSyntax? TransferSyntax { get; init; }
}
