using System.Buffers.Binary;

namespace MedImaging.Dicom.Tests;

/// <summary>A seekable stream of a multi-frame Part-10 file larger than 2 GiB whose pixel bytes are computed, not stored.</summary>
internal sealed class GeneratedDicomStream : Stream
{
    public const int Rows = 1024, Columns = 1024, Frames = 1030; // 2 MiB per frame: 2.01 GiB of pixel data
    public const long FrameBytes = (long)Rows * Columns * 2;
    private readonly byte[] _header;
    private long _position;

    public GeneratedDicomStream()
    {
        _header = BuildHeader();
        Length = _header.Length + FrameBytes * Frames;
    }

    public long BytesRead { get; private set; }
    public long PixelStart => _header.Length;

    /// <summary>The byte the generator puts at an absolute position of the pixel data.</summary>
    public static byte PixelByte(long pixelOffset) => (byte)((pixelOffset * 2654435761L) >> 13);

    public static byte[] BuildHeader()
    {
        var ds = new DicomDataset();
        ds.Add(DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7.3");
        ds.Add(DicomTags.SOPInstanceUID, "1.2.826.0.1.3680043.2.1143.2048");
        ds.Add(DicomTags.Modality, "OT");
        ds.Add(DicomTags.PatientName, "Big^Multiframe");
        ds.Add(DicomTags.SamplesPerPixel, DicomVR.US, "1").Add(DicomTags.PhotometricInterpretation, "MONOCHROME2");
        ds.Add(DicomTags.NumberOfFrames, DicomVR.IS, Frames.ToString(System.Globalization.CultureInfo.InvariantCulture));
        ds.Add(DicomTags.Rows, DicomVR.US, "1024").Add(DicomTags.Columns, DicomVR.US, "1024");
        ds.Add(DicomTags.BitsAllocated, DicomVR.US, "16").Add(DicomTags.BitsStored, DicomVR.US, "16").Add(DicomTags.HighBit, DicomVR.US, "15")
          .Add(DicomTags.PixelRepresentation, DicomVR.US, "0");
        var ms = new MemoryStream();
        DicomWriter.Write(new DicomFile(new DicomDataset(), ds, DicomTransferSyntax.ExplicitVRLittleEndian), ms);
        Span<byte> h = stackalloc byte[12];
        BinaryPrimitives.WriteUInt32LittleEndian(h, 0x00107FE0);
        h[4] = (byte)'O'; h[5] = (byte)'W'; h[6] = h[7] = 0;
        BinaryPrimitives.WriteUInt32LittleEndian(h[8..], (uint)(FrameBytes * Frames));
        ms.Write(h);
        return ms.ToArray();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = (int)Math.Min(buffer.Length, Length - _position);
        for (var i = 0; i < n; i++)
        {
            var p = _position + i;
            buffer[i] = p < _header.Length ? _header[p] : PixelByte(p - _header.Length);
        }
        _position += n;
        BytesRead += n;
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin)
        => _position = origin switch { SeekOrigin.Begin => offset, SeekOrigin.Current => _position + offset, _ => Length + offset };

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length { get; }
    public override long Position { get => _position; set => _position = value; }
    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
