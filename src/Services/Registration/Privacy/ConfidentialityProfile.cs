using System.Collections.Frozen;
using MedImaging.Dicom;

namespace MedImaging.Registration.Privacy;

/// <summary>
/// One row of PS3.15 Table E.1-1: the Basic Profile's action code (D, Z, X, K, C, U, Z/D, X/Z, X/D, X/Z/D, X/Z/U*) and
/// the codes of the option columns this node applies, where the row has one.
/// </summary>
public sealed record ProfileRow(uint Tag, string Name, string Basic, string? CleanDescriptors = null, string? CleanStructuredContent = null,
    string? RetainFullDates = null, string? RetainUids = null)
{
    /// <summary>The code in force: an applied option's code replaces the Basic Profile's (PS3.15 E.3).</summary>
    public string Action => RetainUids ?? RetainFullDates ?? CleanStructuredContent ?? CleanDescriptors ?? Basic;
}

/// <summary>What the catalogue copy does with an element.</summary>
public enum CatalogueAction
{
    /// <summary>K, and U under the Retain UIDs Option: kept (free text in it is still cleaned).</summary>
    Keep,

    /// <summary>C: kept with the patient's names and identifiers replaced by the marker; the original goes to the vault.</summary>
    Clean,

    /// <summary>D, Z, X and their combinations: the catalogue keeps no value; the original goes to the vault.</summary>
    Remove,
}

/// <summary>
/// The DICOM PS3.15 Basic Application Level Confidentiality Profile as the catalogue applies it, with the Clean
/// Descriptors, Clean Structured Content, Retain Longitudinal Temporal Information with Full Dates and Retain UIDs
/// options (docs/adr/0015-confidentiality-profile.md). D and Z are applied as removal: the catalogue copy is not an IOD
/// instance that must stay valid, and an empty or dummy value would only look like data.
/// </summary>
public static class ConfidentialityProfile
{
    /// <summary>Stricter than the table, this node's own rows: attributes the table keeps or cleans (or does not list)
    /// that the catalogue has never held, and the SR text it cleans under Clean Structured Content.</summary>
    public static IReadOnlyList<ProfileRow> NodeRows { get; } =
    [
        new(0x00100022, "Type of Patient ID", "X"),
        new(0x00100024, "Issuer of Patient ID Qualifiers Sequence", "X"),
        new(0x00102155, "Patient's Telecom Information", "X"),
        new(0x00104000, "Patient Comments", "X"), // the table cleans it; the catalogue never needed it
        new(0x00400009, "Scheduled Procedure Step ID", "X"),
        new(0x0040A160, "Text Value", "X", CleanStructuredContent: "C"), // SR free text kept, cleaned, with its Content Sequence
    ];

    /// <summary>Repeating groups of the table: curve data (50xx,xxxx), overlay data (60xx,3000) and comments (60xx,4000).</summary>
    public static IReadOnlyList<(uint Mask, uint Value, string Name, string Basic)> RepeatingGroups { get; } =
    [
        (0xFF000000, 0x50000000, "Curve Data", "X"),
        (0xFF00FFFF, 0x60003000, "Overlay Data", "X"),
        (0xFF00FFFF, 0x60004000, "Overlay Comments", "X"),
    ];

    /// <summary>PS3.16 CID 7050 (De-identification Method), scheme DCM: the profile and the options this node applies.</summary>
    public static IReadOnlyList<(string Code, string Meaning)> MethodCodes { get; } =
    [
        ("113100", "Basic Application Confidentiality Profile"),
        ("113104", "Clean Structured Content Option"),
        ("113105", "Clean Descriptors Option"),
        ("113106", "Retain Longitudinal Temporal Information Full Dates Option"),
        ("113110", "Retain UIDs Option"),
    ];

    /// <summary>(0012,0063) De-identification Method: who applied what (LO, at most 64 characters).</summary>
    public const string MethodDescription = "MedImagingCatalog registration: PS3.15 Basic Profile and options";

    private static readonly FrozenDictionary<uint, CatalogueAction> Actions = ConfidentialityProfileTable.Rows.Concat(NodeRows)
        .GroupBy(r => r.Tag).ToFrozenDictionary(g => g.Key, g => g.Select(r => ToCatalogue(r.Action)).Max());

    /// <summary>What the catalogue does with an element that is not a person name (those always go to the vault).</summary>
    public static CatalogueAction ActionFor(DicomTag tag)
    {
        if (Actions.TryGetValue(tag.Value, out var action)) return action;
        if (tag.Group is >= 0x5000 and <= 0x60FF)
            foreach (var (mask, value, _, basic) in RepeatingGroups)
                if ((tag.Value & mask) == value) return ToCatalogue(basic);
        return CatalogueAction.Keep;
    }

    /// <summary>K and U (UIDs retained) keep, C cleans, every other code removes.</summary>
    public static CatalogueAction ToCatalogue(string code) => code switch
    {
        "K" or "U" => CatalogueAction.Keep,
        "C" => CatalogueAction.Clean,
        _ => CatalogueAction.Remove,
    };

    private static readonly DicomDataset[] MethodItems = [.. MethodCodes.Select(c => Code(c.Code, c.Meaning))];

    /// <summary>
    /// Records on the catalogue copy that the profile was applied (PS3.15 E.1.1): (0012,0062) YES, (0012,0063) and
    /// (0012,0064) with the CID 7050 codes, after any codes an earlier de-identification recorded.
    /// </summary>
    public static void Record(DicomDataset catalogue)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        catalogue.Add(DicomTags.PatientIdentityRemoved, DicomVR.CS, "YES");
        var earlier = catalogue.GetStrings(DicomTags.DeidentificationMethod).Where(m => m != MethodDescription);
        catalogue.Add(DicomTags.DeidentificationMethod, DicomVR.LO, [.. earlier, MethodDescription]);
        var items = catalogue.GetSequence(DicomTags.DeidentificationMethodCodeSequence);
        if (items.Count == 0)
        {
            catalogue.Add(new DicomSequence(DicomTags.DeidentificationMethodCodeSequence, MethodItems));
            return;
        }
        var held = items.Select(i => i.GetString(DicomTags.CodeValue)).ToHashSet(StringComparer.Ordinal);
        catalogue.Add(new DicomSequence(DicomTags.DeidentificationMethodCodeSequence, items.Concat(MethodItems.Where(m => !held.Contains(m.GetString(DicomTags.CodeValue))))));
    }

    private static DicomDataset Code(string value, string meaning)
    {
        var item = new DicomDataset();
        item.Add(DicomTags.CodeValue, DicomVR.SH, value);
        item.Add(DicomTags.CodingSchemeDesignator, DicomVR.SH, "DCM");
        item.Add(DicomTags.CodeMeaning, DicomVR.LO, meaning);
        return item;
    }
}
