using System.Buffers;

namespace MedImaging.Dicom;

/// <summary>
/// A buffered, position-tracking reader over a stream. Positions are relative to where the stream was when the
/// source was created. Lengths from the input are checked against what remains before anything is allocated.
/// </summary>
internal sealed class ByteSource : IDisposable
{
    private readonly Stream _stream;
    private readonly long _origin;
    private byte[] _buf;
    private int _pos, _len;
    private long _bufStart;
    private bool _eof;
    private int _readAhead = int.MaxValue;
    private ValueArena? _arena;

    public ByteSource(Stream stream, long maxLength, int bufferSize = 64 * 1024)
    {
        _stream = stream;
        CanSeek = stream.CanSeek;
        _origin = CanSeek ? stream.Position : 0;
        End = CanSeek ? Math.Min(stream.Length - _origin, maxLength) : maxLength;
        KnownLength = CanSeek;
        _buf = ArrayPool<byte>.Shared.Rent(CanSeek ? (int)Math.Clamp(End, 256, bufferSize) : bufferSize);
    }

    /// <summary>Wraps bytes already in memory (no copy).</summary>
    public ByteSource(byte[] bytes)
    {
        _stream = Stream.Null;
        _buf = bytes;
        _len = bytes.Length;
        End = bytes.Length;
        KnownLength = true;
        _eof = true;
        _borrowed = true;
    }

    private readonly bool _borrowed;

    /// <summary>The first read from the stream asks for this many bytes (or what a value needs), each later one for
    /// twice as many, up to the buffer: a metadata-only read then stops within a few kilobytes of the pixel data
    /// instead of a whole buffer past it. Default: fill the buffer.</summary>
    public int ReadAhead { init => _readAhead = value; }

    public bool CanSeek { get; }

    /// <summary>True when <see cref="End"/> is the real end of the input (seekable stream or memory).</summary>
    public bool KnownLength { get; }

    /// <summary>The end of the input (or the configured bound when the stream length is unknown).</summary>
    public long End { get; }

    public long Position => _bufStart + _pos;

    /// <summary>Absolute position in the underlying stream, for lazily read values.</summary>
    public long StreamPosition(long position) => _origin + position;

    public long Remaining => End - Position;

    public bool AtEnd => Position >= End || !TryFill(1);

    /// <summary>Makes <paramref name="n"/> bytes available in the buffer; false at end of input.</summary>
    public bool TryFill(int n)
    {
        if (_len - _pos >= n) return true;
        if (_eof) return false;
        if (n > _buf.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(n);
            Array.Copy(_buf, _pos, bigger, 0, _len - _pos);
            ArrayPool<byte>.Shared.Return(_buf);
            _buf = bigger;
        }
        else if (_pos > 0) Array.Copy(_buf, _pos, _buf, 0, _len - _pos);
        _bufStart += _pos;
        _len -= _pos;
        _pos = 0;
        while (_len < n)
        {
            var want = (int)Math.Min(Math.Min(_buf.Length - _len, Math.Max(n - _len, _readAhead)), Math.Max(0, End - _bufStart - _len));
            var read = want == 0 ? 0 : _stream.Read(_buf, _len, want);
            if (read == 0) { _eof = true; return false; }
            _len += read;
            _readAhead = (int)Math.Min(2L * _readAhead, int.MaxValue);
        }
        return true;
    }

    /// <summary>A span of <paramref name="n"/> buffered bytes, consumed; null-equivalent (false) at end of input.</summary>
    public bool TryRead(int n, out ReadOnlySpan<byte> span)
    {
        if (!TryFill(n)) { span = default; return false; }
        span = new ReadOnlySpan<byte>(_buf, _pos, n);
        _pos += n;
        return true;
    }

    /// <summary>Peeks without consuming.</summary>
    public bool TryPeek(int n, out ReadOnlySpan<byte> span)
    {
        if (!TryFill(n)) { span = default; return false; }
        span = new ReadOnlySpan<byte>(_buf, _pos, n);
        return true;
    }

    /// <summary>Reads exactly <paramref name="n"/> bytes: a slice of the caller's array for in-memory input (no copy,
    /// unless <paramref name="writable"/>), else a new array. Null when the input ends first.</summary>
    public ReadOnlyMemory<byte>? ReadMemory(long n, bool writable)
    {
        if (_borrowed && !writable)
        {
            if (n > Remaining) return null;
            var slice = new ReadOnlyMemory<byte>(_buf, _pos, (int)n);
            _pos += (int)n;
            return slice;
        }
        if (!_borrowed && n <= ValueArena.MaxValueLength && TryFill((int)n))
        {
            // Copied out of the pooled buffer, which the next read reuses.
            var copy = (_arena ??= new ValueArena()).Copy(_buf.AsSpan(_pos, (int)n), Remaining);
            _pos += (int)n;
            return copy;
        }
        return ReadArray(n);
    }

    /// <summary>Reads exactly <paramref name="n"/> bytes into a new array, or returns null when the input ends first.
    /// The array is only as large as the input can still provide.</summary>
    public byte[]? ReadArray(long n)
    {
        if (n > Remaining || n > Array.MaxLength) return null;
        if (_len - _pos >= n)
        {
            var small = _buf.AsSpan(_pos, (int)n).ToArray();
            _pos += (int)n;
            return small;
        }
        if (KnownLength)
        {
            var result = new byte[n];
            var have = _len - _pos;
            Array.Copy(_buf, _pos, result, 0, have);
            _bufStart += _len;
            _pos = _len = 0;
            var got = have;
            while (got < n)
            {
                var read = _stream.Read(result, got, (int)n - got);
                if (read == 0) { _eof = true; _bufStart += got - have; return null; }
                got += read;
            }
            _bufStart += got - have;
            return result;
        }
        // Unknown length (non-seekable or inflating stream): grow in chunks so a lying length cannot allocate
        // more than about twice what the input really holds.
        using var ms = new MemoryStream();
        while (ms.Length < n)
        {
            if (_pos >= _len && !TryFill(1)) return null;
            var chunk = (int)Math.Min(n - ms.Length, _len - _pos);
            ms.Write(_buf, _pos, chunk);
            _pos += chunk;
        }
        return ms.ToArray();
    }

    /// <summary>Skips <paramref name="n"/> bytes; false when the input ends first.</summary>
    public bool Skip(long n)
    {
        if (n <= _len - _pos) { _pos += (int)n; return true; }
        if (n > Remaining) return false;
        if (CanSeek)
        {
            var target = Position + n;
            _stream.Position = _origin + target;
            _bufStart = target;
            _pos = _len = 0;
            _eof = false;
            return true;
        }
        while (n > 0)
        {
            if (!TryFill(1)) return false;
            var step = (int)Math.Min(n, _len - _pos);
            _pos += step;
            n -= step;
        }
        return true;
    }

    /// <summary>The unread buffered bytes followed by the rest of the stream (for inflating a deflated dataset).</summary>
    public Stream RemainderStream()
    {
        var head = new MemoryStream(_buf, _pos, _len - _pos, false);
        return new ConcatStream(head, _eof ? Stream.Null : _stream);
    }

    public void Dispose()
    {
        if (!_borrowed) ArrayPool<byte>.Shared.Return(_buf);
        _buf = [];
    }
}
