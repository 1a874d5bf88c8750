namespace MedImaging.Dicom;

/// <summary>
/// A person name (PN, PS3.5 §6.2.1): up to three component groups separated by '=' — alphabetic, ideographic,
/// phonetic — each with up to five components separated by '^' (family, given, middle, prefix, suffix).
/// </summary>
public sealed class DicomPersonName
{
    private readonly string[][] _groups;

    /// <summary>Parses a decoded PN value.</summary>
    public DicomPersonName(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Value = value.TrimEnd(' ');
        var groups = Value.Split('=');
        _groups = new string[3][];
        for (var g = 0; g < 3; g++)
        {
            var parts = g < groups.Length ? groups[g].Split('^') : [];
            _groups[g] = new string[5];
            for (var c = 0; c < 5; c++) _groups[g][c] = c < parts.Length ? parts[c].Trim(' ') : "";
        }
    }

    /// <summary>Builds a name from its three groups (empty groups at the end are dropped).</summary>
    public static DicomPersonName FromGroups(string? alphabetic, string? ideographic = null, string? phonetic = null)
        => new(string.Join('=', new[] { alphabetic ?? "", ideographic ?? "", phonetic ?? "" }).TrimEnd('='));

    /// <summary>The whole value as encoded (groups joined by '=').</summary>
    public string Value { get; }

    /// <summary>The alphabetic group as written, e.g. <c>Yamada^Tarou</c>.</summary>
    public string Alphabetic => Group(0);

    /// <summary>The ideographic group, e.g. <c>山田^太郎</c> or <c>王^小东</c>.</summary>
    public string Ideographic => Group(1);

    /// <summary>The phonetic group, e.g. <c>やまだ^たろう</c>.</summary>
    public string Phonetic => Group(2);

    /// <summary>Family name of the alphabetic group (or of the first non-empty group).</summary>
    public string FamilyName => FirstNonEmpty(0);

    /// <summary>Given name of the alphabetic group (or of the first non-empty group).</summary>
    public string GivenName => FirstNonEmpty(1);

    /// <summary>Middle name of the alphabetic group.</summary>
    public string MiddleName => _groups[0][2];

    /// <summary>Name prefix of the alphabetic group.</summary>
    public string Prefix => _groups[0][3];

    /// <summary>Name suffix of the alphabetic group.</summary>
    public string Suffix => _groups[0][4];

    /// <summary>Component <paramref name="component"/> (0-4) of group <paramref name="group"/> (0-2).</summary>
    public string GetComponent(int group, int component) => _groups[group][component];

    /// <summary>A group as written (components joined by '^', trailing empty components dropped).</summary>
    public string Group(int group)
    {
        var parts = Value.Split('=');
        return group < parts.Length ? parts[group] : "";
    }

    private string FirstNonEmpty(int component)
    {
        for (var g = 0; g < 3; g++)
            if (_groups[g].Any(c => c.Length > 0)) return _groups[g][component];
        return "";
    }

    /// <inheritdoc />
    public override string ToString() => Value;
}
