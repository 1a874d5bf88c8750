using System.Text;
using MedImaging.Dicom;

namespace MedImaging.Registration.Privacy;

/// <summary>
/// Clean Descriptors (PS3.15 E.3.5) as the catalogue does it: every occurrence of the instance's own patient names and
/// identifiers in free text is replaced by <see cref="Marker"/>. Names: each PN group (alphabetic, ideographic,
/// phonetic) of Patient's Name, Other Patient Names and Patient's Birth Name, its name components in order with any
/// separators or none between them ("唐^三藏", "唐三藏", "唐 三藏", "Yamada, Tarou") and given-before-family
/// ("Tarou Yamada"), and a component alone when it is long enough to mean the person rather than a word: two or more
/// CJK characters ("三藏"), three or more of other letters ("Tarou"); a one-character 唐 is removed only as part of the
/// name. Identifiers: patient IDs, other patient IDs, accession, admission and order numbers, study ID, of four or more
/// characters (shorter ones are ordinary numbers: "120" kV). Case is ignored; a match whose edge is an ASCII letter or digit must not continue a longer word or number.
/// See docs/adr/0015-confidentiality-profile.md.
/// </summary>
public sealed class DescriptorCleaner
{
    /// <summary>What replaces a name or an identifier; the original is in the vault.</summary>
    public const string Marker = "[PHI]";

    private static readonly DicomTag[] NameTags = [DicomTags.PatientName, DicomTags.OtherPatientNames, DicomTags.PatientBirthName];

    private static readonly DicomTag[] IdTags =
    [
        DicomTags.PatientID, DicomTags.OtherPatientIDs, DicomTags.AccessionNumber, DicomTags.MedicalRecordLocator, DicomTags.AdmissionID,
        DicomTags.ServiceEpisodeID, DicomTags.StudyID, DicomTags.RequestedProcedureID, DicomTags.PlacerOrderNumberImagingServiceRequest,
        DicomTags.FillerOrderNumberImagingServiceRequest,
    ];

    private const string Separators = " ^,.·•-_\u3000、，\t";

    // Each term is a run of components matched in order with separators between; longest first.
    private readonly List<string[]> _terms;

    private DescriptorCleaner(List<string[]> terms) => _terms = terms;

    public bool IsEmpty => _terms.Count == 0;

    /// <summary>The terms of an instance: its patient names and identifiers.</summary>
    public static DescriptorCleaner For(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var terms = new List<string[]>();
        foreach (var tag in NameTags)
            foreach (var value in dataset.GetStrings(tag))
                AddName(terms, new DicomPersonName(value));
        foreach (var tag in IdTags)
            foreach (var id in dataset.GetStrings(tag))
                AddSingle(terms, id.Trim(), 4);
        foreach (var item in dataset.GetSequence(DicomTags.OtherPatientIDsSequence))
            AddSingle(terms, item.GetString(DicomTags.PatientID)?.Trim() ?? "", 4);
        if (terms.Count > 1)
        {
            terms = terms.DistinctBy(t => string.Join('\u0001', t).ToUpperInvariant()).ToList();
            terms.Sort((a, b) => b.Sum(c => c.Length).CompareTo(a.Sum(c => c.Length)));
        }
        return new DescriptorCleaner(terms);
    }

    private static void AddName(List<string[]> terms, DicomPersonName name)
    {
        for (var g = 0; g < 3; g++)
        {
            // Family, given, middle; prefix and suffix (Dr., Jr.) identify no one.
            var parts = new[] { name.GetComponent(g, 0), name.GetComponent(g, 1), name.GetComponent(g, 2) }.Where(c => c.Length > 0).ToArray();
            if (parts.Length == 0) continue;
            if (parts.Length == 1)
            {
                AddSingle(terms, parts[0], 2);
                continue;
            }
            terms.Add(parts);
            terms.Add([.. parts.Skip(1), parts[0]]);
            foreach (var part in parts) AddSingle(terms, part, IsCjk(part) ? 2 : 3);
        }
    }

    private static void AddSingle(List<string[]> terms, string value, int minimum)
    {
        if (value.Length >= minimum) terms.Add([value]);
    }

    private static bool IsCjk(string s) => s.All(c => c >= '\u2E80');

    /// <summary>The text with every term replaced by the marker; the same instance when nothing matched.</summary>
    public string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var term in _terms) text = Replace(text, term);
        return text;
    }

    private static string Replace(string text, string[] term)
    {
        StringBuilder? sb = null;
        var copied = 0;
        var start = 0;
        while (start < text.Length)
        {
            var i = text.IndexOf(term[0], start, StringComparison.OrdinalIgnoreCase);
            if (i < 0) break;
            var end = MatchRest(text, i + term[0].Length, term);
            if (end < 0 || !Edge(text, i - 1, i) || !Edge(text, end, end - 1))
            {
                start = i + 1;
                continue;
            }
            sb ??= new StringBuilder(text.Length);
            sb.Append(text, copied, i - copied).Append(Marker);
            copied = start = end;
        }
        return sb is null ? text : sb.Append(text, copied, text.Length - copied).ToString();
    }

    // The end of the whole term when its other components follow (separators allowed before each), else -1.
    private static int MatchRest(string text, int at, string[] term)
    {
        for (var k = 1; k < term.Length; k++)
        {
            while (at < text.Length && Separators.Contains(text[at], StringComparison.Ordinal)) at++;
            if (at + term[k].Length > text.Length || string.Compare(text, at, term[k], 0, term[k].Length, StringComparison.OrdinalIgnoreCase) != 0) return -1;
            at += term[k].Length;
        }
        return at;
    }

    // A match edge that is an ASCII letter or digit must not touch another one ("Li" is not removed from "Lisinopril").
    private static bool Edge(string text, int outside, int inside)
        => outside < 0 || outside >= text.Length || !char.IsAsciiLetterOrDigit(text[inside]) || !char.IsAsciiLetterOrDigit(text[outside]);
}
