namespace MedImaging.Dicom;

public sealed partial class DicomDictionary
{
    private readonly Lazy<Dictionary<(string Creator, ushort Group, byte Element), DicomDictionaryEntry>> _private = new(LoadPrivate);

    /// <summary>Finds a private data element by its creator (the value of (gggg,00xx)) in the private dictionary
    /// (GDCM's, as Debian's pydicom ships it). Null when the creator or element is unknown.</summary>
    public DicomDictionaryEntry? LookupPrivate(string creator, DicomTag tag)
    {
        ArgumentNullException.ThrowIfNull(creator);
        if (!tag.IsPrivate || tag.Element < 0x1000) return null;
        return _private.Value.GetValueOrDefault((creator.Trim(), tag.Group, (byte)tag.Element));
    }

    private Dictionary<string, Dictionary<uint, DicomDictionaryEntry>>? _privateByCreator;

    /// <summary>The private dictionary entries of one creator, keyed by group &lt;&lt; 8 | element byte; null when the
    /// creator is unknown. A reader looks the creator up once per block instead of hashing its name per element.</summary>
    internal Dictionary<uint, DicomDictionaryEntry>? PrivateBlock(string creator) => LazyInitializer.EnsureInitialized(ref _privateByCreator, GroupPrivateByCreator).GetValueOrDefault(creator.Trim());

    private Dictionary<string, Dictionary<uint, DicomDictionaryEntry>> GroupPrivateByCreator()
    {
        var result = new Dictionary<string, Dictionary<uint, DicomDictionaryEntry>>(StringComparer.Ordinal);
        foreach (var ((creator, group, element), entry) in _private.Value)
        {
            if (!result.TryGetValue(creator, out var block)) result[creator] = block = [];
            block[(uint)group << 8 | element] = entry;
        }
        return result;
    }

    private static Dictionary<(string, ushort, byte), DicomDictionaryEntry> LoadPrivate()
    {
        var result = new Dictionary<(string, ushort, byte), DicomDictionaryEntry>(9000);
        using var stream = typeof(DicomDictionary).Assembly.GetManifestResourceStream("MedImaging.Dicom.private-dictionary.tsv")
            ?? throw new InvalidOperationException("The embedded private dictionary is missing.");
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var f = line.Split('\t');
            if (f.Length < 6) continue;
            var group = Convert.ToUInt16(f[1], 16);
            var element = Convert.ToByte(f[2], 16);
            var vrs = f[3].Split('|').Select(v => DicomVR.TryParse(v, out var vr) ? vr : DicomVR.UN).ToArray();
            var entry = new DicomDictionaryEntry(new DicomTag(group, (ushort)(0x1000 | element)), vrs[0], vrs, f[4], "", f[5], false, $"{f[1]}xx{f[2]}");
            result.TryAdd((f[0], group, element), entry);
        }
        return result;
    }
}
