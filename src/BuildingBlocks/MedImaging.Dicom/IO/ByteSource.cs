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

    /// <param name="stream">The input.</param>
    /// <param name="maxLength">The bound on the input's length (for a stream of unknown length, reading past it fails).</param>
    /// <param name="basePosition">For a stream of unknown length, the position of its first byte (an inflated dataset
    /// counts on from the file meta information that precedes it).</param>
    /// <param name="boundName">Names the bound in the error when a stream of unknown length exceeds it.</param>
    /// <param name="bufferSize">The read buffer (pooled).</param>
    public ByteSource(Stream stream, long maxLength, long basePosition = 0, string boundName = nameof(DicomReaderOptions.MaxFileLength), int bufferSize = 64 * 1024)
    {
        _stream = stream;
        CanSeek = stream.CanSeek;
        _origin = CanSeek ? stream.Position : 0;
        _bufStart = CanSeek ? 0 : basePosition;
        End = CanSeek ? Math.Min(stream.Length - _origin, maxLength) : (maxLength > long.MaxValue - _bufStart ? long.MaxValue : _bufStart + maxLength);
        KnownLength = CanSeek;
        _overBound = CanSeek && stream.Length - _origin > maxLength;
        Bound = maxLength;
        BoundName = boundName;
        _buf = ArrayPool<byte>.Shared.Rent(CanSeek ? (int)Math.Clamp(End, 256, bufferSize) : bufferSize);
    }

    /// <summary>Wraps bytes already in memory (no copy).</summary>
    public ByteSource(byte[] bytes, long maxLength = long.MaxValue)
    {
        _stream = Stream.Null;
        _buf = bytes;
        End = Math.Min(bytes.Length, maxLength);
        _len = (int)End;
        KnownLength = true;
        _overBound = bytes.Length > maxLength;
        Bound = maxLength;
        _eof = true;
        _borrowed = true;
    }

    private readonly bool _borrowed;

    /// <summary>The first read from the stream asks for this many bytes (or what a value needs), each later one for
    /// twice as many, up to the buffer: a metadata-only read then stops within a few kilobytes of the pixel data
    /// instead of a whole buffer past it. Default: fill the buffer. 0: read only what is asked for.</summary>
    public int ReadAhead { get => _readAhead; set => _readAhead = value; }

    // Input of known length longer than the bound: reading past the bound fails where it happens, as it does for a
    // stream of unknown length, rather than up front (so every source fails at the same offset and tag path).
    private readonly bool _overBound;

    /// <summary>True when <see cref="End"/> may be the bound rather than the end of the input: a value running past
    /// it exceeds the bound (which is the error then), rather than being cut short.</summary>
    public bool EndIsBound => !KnownLength || _overBound;

    public bool CanSeek { get; }

    /// <summary>True when <see cref="End"/> is the real end of the input (seekable stream or memory).</summary>
    public bool KnownLength { get; }

    /// <summary>The end of the input (or the configured bound when the stream length is unknown).</summary>
    public long End { get; }

    /// <summary>The bound on the input's length, and the option that sets it (for errors).</summary>
    public long Bound { get; }

    public string BoundName { get; } = nameof(DicomReaderOptions.MaxFileLength);

    public long Position => _bufStart + _pos;

    /// <summary>Absolute position in the underlying stream, for lazily read values.</summary>
    public long StreamPosition(long position) => _origin + position;

    public long Remaining => End - Position;

    public bool AtEnd
    {
        get
        {
            if (Position < End) return !TryFill(1);
            ThrowIfBeyondBound();
            return true;
        }
    }

    /// <summary>Makes <paramref name="n"/> bytes available in the buffer; false at end of input.</summary>
    public bool TryFill(int n)
    {
        if (_len - _pos >= n) return true;
        if (_eof)
        {
            if (_overBound) ThrowIfBeyondBound();
            return false;
        }
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
            if (want == 0) ThrowIfBeyondBound();
            var read = want == 0 ? 0 : _stream.Read(_buf, _len, want);
            if (read == 0) { _eof = true; return false; }
            _len += read;
            _readAhead = (int)Math.Min(2L * _readAhead, int.MaxValue);
        }
        return true;
    }

    /// <summary>At the bound of a stream of unknown length: more input is an error, not an early end of input (else a
    /// bounded read of a longer stream would look like a complete, shorter dataset).</summary>
    private void ThrowIfBeyondBound()
    {
        if (KnownLength ? !_overBound : _stream.Read(new byte[1], 0, 1) == 0) return;
        throw new InputBoundException($"Input exceeds the bound of {Bound} bytes ({BoundName})", End);
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
        // Not "return ReadArray(n)": a null byte[] converts to an empty (non-null) ReadOnlyMemory, which made a value
        // cut short by the end of the input read as an empty value.
        var array = ReadArray(n);
        if (array is null) return null;
        return new ReadOnlyMemory<byte>(array);
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
            var result = GC.AllocateUninitializedArray<byte>((int)n); // filled below, or dropped when the input ends first
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

    /// <summary>Consumes zero bytes; returns the position of the first non-zero byte, or -1 when the input ends first.</summary>
    public long SkipZeros()
    {
        while (true)
        {
            if (_pos >= _len && !TryFill(1)) return -1;
            var i = _buf.AsSpan(_pos, _len - _pos).IndexOfAnyExcept((byte)0);
            if (i >= 0)
            {
                _pos += i;
                return Position;
            }
            _pos = _len;
        }
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

/// <summary>A stream of unknown length ran past its bound; the reader turns it into a <see cref="DicomReadException"/>
/// that names the tag path.</summary>
internal sealed class InputBoundException(string message, long offset) : Exception(message)
{
    public long Offset { get; } = offset;
}
