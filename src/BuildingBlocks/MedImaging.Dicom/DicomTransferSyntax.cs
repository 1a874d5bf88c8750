namespace MedImaging.Dicom;

/// <summary>A transfer syntax (PS3.5 §10, Annex A): how a dataset is encoded.</summary>
public sealed record DicomTransferSyntax(string Uid, string Name, bool IsExplicitVR, bool IsBigEndian, bool IsDeflated, bool IsEncapsulated)
{
    /// <summary>1.2.840.10008.1.2 — the DICOM default.</summary>
    public static readonly DicomTransferSyntax ImplicitVRLittleEndian = new("1.2.840.10008.1.2", "Implicit VR Little Endian", false, false, false, false);

    /// <summary>1.2.840.10008.1.2.1</summary>
    public static readonly DicomTransferSyntax ExplicitVRLittleEndian = new("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, false, false, false);

    /// <summary>1.2.840.10008.1.2.1.99</summary>
    public static readonly DicomTransferSyntax DeflatedExplicitVRLittleEndian = new("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, false, true, false);

    /// <summary>1.2.840.10008.1.2.2 (retired, still met in archives).</summary>
    public static readonly DicomTransferSyntax ExplicitVRBigEndian = new("1.2.840.10008.1.2.2", "Explicit VR Big Endian", true, true, false, false);

    /// <summary>1.2.840.10008.1.2.5</summary>
    public static readonly DicomTransferSyntax RleLossless = Encapsulated("1.2.840.10008.1.2.5", "RLE Lossless");

    private static readonly Dictionary<string, DicomTransferSyntax> s_known = new[]
    {
        ImplicitVRLittleEndian, ExplicitVRLittleEndian, DeflatedExplicitVRLittleEndian, ExplicitVRBigEndian, RleLossless,
        Encapsulated("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)"),
        Encapsulated("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)"),
        Encapsulated("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)"),
        Encapsulated("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction"),
        Encapsulated("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless"),
        Encapsulated("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless)"),
        Encapsulated("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)"),
        Encapsulated("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression"),
        Encapsulated("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level"),
        Encapsulated("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile / Level 4.1"),
        Encapsulated("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 Image Compression (Lossless Only)"),
        Encapsulated("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000 Image Compression"),
    }.ToDictionary(t => t.Uid, StringComparer.Ordinal);

    private static DicomTransferSyntax Encapsulated(string uid, string name) => new(uid, name, true, false, false, true);

    /// <summary>True when pixel data in this syntax is decoded by this library: native, deflated, RLE, JPEG baseline,
    /// extended and lossless, JPEG-LS and JPEG 2000 (the last two need libcharls2 and libopenjp2-7 installed).</summary>
    public bool IsPixelDataSupported => !IsEncapsulated || Uid == RleLossless.Uid || Codecs.PixelCodecs.CanDecode(Uid);

    /// <summary>Finds a transfer syntax by UID. An unknown UID is taken to be an encapsulated explicit VR
    /// little endian syntax, which PS3.5 §A.4 requires of every compressed syntax.</summary>
    public static DicomTransferSyntax Lookup(string uid)
    {
        ArgumentNullException.ThrowIfNull(uid);
        uid = uid.TrimEnd('\0', ' ');
        return s_known.TryGetValue(uid, out var ts) ? ts : new DicomTransferSyntax(uid, "Unknown transfer syntax", true, false, false, true);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Uid})";
}
