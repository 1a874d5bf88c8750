namespace MedImaging.Dicom;

/// <summary>
/// The compressed input under a <see cref="System.IO.Compression.DeflateStream"/>. The inflater asks for more input only
/// while it has not reached the final block, so running out then means the deflate data was cut short: an error, where
/// DeflateStream alone would just end the output early (a truncated deflated file would read as a shorter, valid dataset).
/// </summary>
internal sealed class DeflateEndCheck(Stream compressed) : Stream
{
    private bool _any;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = compressed.Read(buffer);
        // No deflate data at all is an empty dataset, as a file that ends with its meta information is in any syntax.
        if (n == 0 && buffer.Length > 0 && _any) throw new InvalidDataException("the deflate data ends before its final block");
        _any |= n > 0;
        return n;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
