namespace MedImaging.Dicom;

/// <summary>Where a lazily loaded value lives: a file (reopened on demand) or a seekable stream the caller keeps open.</summary>
internal abstract class BulkDataSource
{
    public abstract void Read(long position, Span<byte> destination);

    public sealed class FileSource(string path) : BulkDataSource
    {
        public override void Read(long position, Span<byte> destination)
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.RandomAccess);
            fs.Position = position;
            fs.ReadExactly(destination);
        }
    }

    public sealed class StreamSource(Stream stream) : BulkDataSource
    {
        private readonly Lock _lock = new();

        public override void Read(long position, Span<byte> destination)
        {
            // The caller's stream is shared by every lazy value of the file: one read at a time.
            lock (_lock)
            {
                stream.Position = position;
                stream.ReadExactly(destination);
            }
        }
    }
}

/// <summary>A value left in the input: its absolute position and length, read on demand.</summary>
public sealed class DicomBulkData
{
    private readonly BulkDataSource _source;
    private readonly int _swapWidth;

    internal DicomBulkData(BulkDataSource source, long position, long length, int swapWidth)
    {
        _source = source;
        Position = position;
        Length = length;
        _swapWidth = swapWidth;
    }

    /// <summary>Absolute byte position of the value in the input.</summary>
    public long Position { get; }

    /// <summary>Length of the value in bytes.</summary>
    public long Length { get; }

    /// <summary>Reads <paramref name="destination"/>.Length bytes starting <paramref name="offset"/> bytes into the value,
    /// as little endian (big endian inputs are swapped; keep offsets aligned to the VR's value size).</summary>
    public void Read(long offset, Span<byte> destination)
    {
        if (offset < 0 || offset + destination.Length > Length)
            throw new ArgumentOutOfRangeException(nameof(offset), "The range is outside the value.");
        _source.Read(Position + offset, destination);
        ByteSwap.InPlace(destination, _swapWidth);
    }

    /// <summary>Reads the whole value (it must fit in an array).</summary>
    public byte[] ReadAll()
    {
        if (Length > Array.MaxLength) throw new InvalidOperationException($"The value ({Length} bytes) does not fit in one array; read it in parts.");
        var bytes = new byte[Length];
        Read(0, bytes);
        return bytes;
    }
}

internal static class ByteSwap
{
    public static void InPlace(Span<byte> data, int width)
    {
        if (width < 2) return;
        var n = data.Length - (data.Length % width);
        for (var i = 0; i < n; i += width) data.Slice(i, width).Reverse();
    }
}
