using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace MedImaging.Dicom.Tests;

/// <summary>
/// Reads the same bytes through every source the library has — a byte array, a seekable stream, a stream that cannot
/// seek, a file path, and the same dataset deflated — and reduces each read to an outcome that can be compared.
/// </summary>
internal static class EverySource
{
    public const string Deflated = "deflated";

    /// <summary>What a read came to: the exception (type, reason, offset, tag path) or a fingerprint of what was read.
    /// Offsets are relative to the start of the dataset, so that a deflated file (whose meta differs) compares too.</summary>
    public sealed record Outcome(string Kind, string Reason, long Offset, string TagPath, string Result)
    {
        public bool Failed => Kind != "ok";
        public override string ToString() => Failed ? $"{Kind}: {Reason} at {Offset} {TagPath}" : $"ok {Result}";
    }

    /// <summary>A Part-10 file read through the byte array, a seekable stream, a non-seekable stream and a path, and —
    /// when its meta is explicit VR little endian — with its dataset deflated.</summary>
    public static List<(string Source, Outcome Outcome)> Part10(byte[] file, DicomReaderOptions options, string tempPath)
    {
        var datasetStart = MetaEnd(file);
        var results = new List<(string, Outcome)>
        {
            ("bytes", Run(() => DicomFile.Open(file, options), datasetStart)),
            ("seekable stream", Run(() => DicomFile.Open(new MemoryStream(file, false), options), datasetStart)),
            ("non-seekable stream", Run(() => DicomFile.Open(new NonSeekableStream(file), options), datasetStart)),
        };
        File.WriteAllBytes(tempPath, file);
        results.Add(("path", Run(() => DicomFile.Open(tempPath, options), datasetStart)));
        if (DeflatedVariant(file, datasetStart) is { } deflated)
            results.Add((Deflated, Run(() => DicomFile.Open(deflated.File, options), deflated.DatasetStart)));
        return results;
    }

    /// <summary>A raw explicit VR little endian dataset (no meta) through the same sources; deflated, it is the same
    /// bytes compressed and read with the deflated transfer syntax.</summary>
    public static List<(string Source, Outcome Outcome)> RawDataset(byte[] dataset, DicomReaderOptions options, string tempPath)
    {
        var plain = options with { TransferSyntax = DicomTransferSyntax.ExplicitVRLittleEndian };
        File.WriteAllBytes(tempPath, dataset);
        return
        [
            ("bytes", Run(() => DicomFile.Open(dataset, plain), 0)),
            ("seekable stream", Run(() => DicomFile.Open(new MemoryStream(dataset, false), plain), 0)),
            ("non-seekable stream", Run(() => DicomFile.Open(new NonSeekableStream(dataset), plain), 0)),
            ("path", Run(() => DicomFile.Open(tempPath, plain), 0)),
            (Deflated, Run(() => DicomFile.Open(Deflate(dataset), options with { TransferSyntax = DicomTransferSyntax.DeflatedExplicitVRLittleEndian }), 0)),
        ];
    }

    /// <summary>Differences from the byte array's outcome. The deflated source has its own bound (MaxInflatedLength)
    /// where the others have none: a value claiming more than that bound fails there at the same offset and tag
    /// path, naming the bound, where the others find the input truncated.</summary>
    public static IEnumerable<string> Disagreements(List<(string Source, Outcome Outcome)> results, string label)
    {
        var expected = results[0].Outcome;
        foreach (var (source, outcome) in results.Skip(1))
        {
            if (outcome == expected) continue;
            // A fault in the file meta information (not deflated, and rewritten for the deflated copy) is not compared.
            if (source == Deflated && expected.Failed && expected.Offset < 0) continue;
            if (source == Deflated && outcome.Reason.Contains("MaxInflatedLength", StringComparison.Ordinal) && expected.Failed
                && (outcome.Kind, outcome.Offset, outcome.TagPath) == (expected.Kind, expected.Offset, expected.TagPath)) continue;
            yield return $"{label}: bytes -> {expected}\n    {source} -> {outcome}";
        }
    }

    private static Outcome Run(Func<DicomFile> read, long datasetStart)
    {
        try
        {
            var file = read();
            return new("ok", "", 0, "", $"{Fingerprint(file.Dataset)} warnings [{string.Join("; ", file.Warnings.Select(w => Relative(w, datasetStart)))}]"
                + $" stopped {file.StoppedBeforePixelData} at {(file.PixelDataPosition < 0 ? -1 : file.PixelDataPosition - datasetStart)}");
        }
        catch (DicomReadException ex)
        {
            return new(nameof(DicomReadException), Relative(ex.Reason, datasetStart), ex.Offset - datasetStart, ex.TagPath, "");
        }
        catch (DicomUnsupportedTransferSyntaxException ex)
        {
            return new(nameof(DicomUnsupportedTransferSyntaxException), ex.Message, 0, "", "");
        }
    }

    // Reasons and warnings that quote offsets: made relative to the dataset start like the offsets themselves.
    private static string Relative(string text, long datasetStart)
        => datasetStart == 0 ? text : System.Text.RegularExpressions.Regex.Replace(text, @"offset (\d+)",
            m => $"offset {long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) - datasetStart}");

    /// <summary>Tags, VRs, lengths and value bytes of the whole tree, hashed (one process, so the hash is stable).</summary>
    public static string Fingerprint(DicomDataset ds)
    {
        var hash = new HashCode();
        var count = 0;
        var stack = new Stack<DicomDataset>();
        stack.Push(ds);
        while (stack.Count > 0)
        {
            var d = stack.Pop();
            hash.Add(d.Count);
            foreach (var e in d)
            {
                count++;
                hash.Add(e.Tag.Value);
                hash.Add(e.VR.Code);
                hash.Add(e.Length);
                switch (e)
                {
                    case DicomSequence sq:
                        hash.Add(sq.Items.Count);
                        foreach (var item in sq.Items) stack.Push(item);
                        break;
                    case DicomFragmentSequence frags:
                        hash.AddBytes(frags.OffsetTable.Span);
                        foreach (var f in frags.Fragments) hash.AddBytes(f.Buffer.Span);
                        break;
                    default:
                        hash.AddBytes(e.Buffer.Span);
                        break;
                }
            }
        }
        return $"{count} elements #{hash.ToHashCode():X8}";
    }

    /// <summary>Where the dataset starts: after the preamble, "DICM" and the group 0002 elements (explicit VR).</summary>
    public static int MetaEnd(byte[] file)
    {
        if (file.Length < 132 || !file.AsSpan(128, 4).SequenceEqual("DICM"u8)) return 0;
        var pos = 132;
        while (pos + 8 <= file.Length && BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(pos)) == 0x0002)
        {
            var (header, length) = ElementSize(file, pos);
            if (pos + header + length > file.Length) return 0;
            pos += header + (int)length;
        }
        return pos;
    }

    // As the library's FileMetaReader reads group 0002: implicit VR where the VR bytes are not two capital letters.
    private static (int Header, long Length) ElementSize(byte[] file, int pos)
    {
        if (!char.IsAsciiLetterUpper((char)file[pos + 4]) || !char.IsAsciiLetterUpper((char)file[pos + 5]))
            return (8, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(pos + 4)));
        var vr = Encoding.ASCII.GetString(file, pos + 4, 2);
        var isLong = vr is "OB" or "OD" or "OF" or "OL" or "OV" or "OW" or "SQ" or "SV" or "UC" or "UN" or "UR" or "UT" or "UV";
        if (isLong && pos + 12 > file.Length) return (12, file.Length); // cut inside the header: runs past the end
        return isLong
            ? (12, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(pos + 8)))
            : (8, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(pos + 6)));
    }

    /// <summary>The same file with its dataset deflated and the meta saying so; null unless the meta is intact and
    /// names explicit VR little endian (the encoding a deflated dataset has inside).</summary>
    public static (byte[] File, int DatasetStart)? DeflatedVariant(byte[] file, int metaEnd)
    {
        if (metaEnd == 0) return null;
        var meta = new MemoryStream();
        var pos = 132;
        var explicitLE = false;
        long groupLengthAt = -1;
        while (pos < metaEnd)
        {
            var (header, length) = ElementSize(file, pos);
            var tag = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(pos));
            if (tag == 0x00100002) // (0002,0010) Transfer Syntax UID, group and element little endian
            {
                if (file[pos + 4] != 'U' || file[pos + 5] != 'I') return null;
                explicitLE = Encoding.ASCII.GetString(file, pos + header, (int)length).TrimEnd('\0', ' ') == DicomTransferSyntax.ExplicitVRLittleEndian.Uid;
                var uid = Encoding.ASCII.GetBytes(DicomTransferSyntax.DeflatedExplicitVRLittleEndian.Uid);
                meta.Write(file, pos, 6);
                meta.Write(BitConverter.GetBytes((ushort)uid.Length));
                meta.Write(uid);
            }
            else
            {
                if (tag == 0x00000002 && (header, length) == (8, 4)) groupLengthAt = meta.Length + 8;
                meta.Write(file, pos, header + (int)length);
            }
            pos += header + (int)length;
        }
        if (!explicitLE) return null;
        var metaBytes = meta.ToArray();
        if (groupLengthAt >= 0) BinaryPrimitives.WriteUInt32LittleEndian(metaBytes.AsSpan((int)groupLengthAt), (uint)(metaBytes.Length - groupLengthAt - 4));
        var head = file[..132];
        return ([.. head, .. metaBytes, .. Deflate(file.AsSpan(metaEnd))], 132 + metaBytes.Length);
    }

    public static byte[] Deflate(ReadOnlySpan<byte> data)
    {
        var ms = new MemoryStream();
        using (var d = new DeflateStream(ms, CompressionLevel.Fastest, leaveOpen: true)) d.Write(data);
        return ms.ToArray();
    }
}

/// <summary>A stream that cannot seek and has no length, handing out data in small, uneven reads as a socket does.</summary>
internal sealed class NonSeekableStream(byte[] data) : Stream
{
    private readonly MemoryStream _inner = new(data, false);
    private int _reads;

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 1 + (_reads++ * 7919 % 6000)));
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
