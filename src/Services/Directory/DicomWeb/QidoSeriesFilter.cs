using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MedImaging.Contracts.Registration;

namespace MedImaging.Directory.DicomWeb;

/// <summary>
/// The series-level matching keys over one study's series summary (a handful of rows, matched in memory with the same
/// rules as the study level: literal exact and case-sensitive, fuzzy case- and width-insensitive).
/// </summary>
public static class QidoSeriesFilter
{
    public static bool Matches(PublishedSeries series, QidoRequest request)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(request);
        foreach (var (attribute, match) in request.Keys)
        {
            if (match is DicomMatch.Universal) continue;
            var ok = attribute.Tag switch
            {
                QidoAttributes.SeriesInstanceUid => match switch
                {
                    DicomMatch.Exact s => series.SeriesInstanceUid == s.Value,
                    DicomMatch.AnyOf any => any.Values.Contains(series.SeriesInstanceUid),
                    _ => false,
                },
                QidoAttributes.SeriesNumber => match is DicomMatch.Exact n && series.SeriesNumber is { } number
                    && number == int.Parse(n.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
                QidoAttributes.Modality => Text(series.Modality, match, request.Fuzzy),
                QidoAttributes.BodyPartExamined => Text(series.BodyPartExamined, match, request.Fuzzy),
                QidoAttributes.SeriesDescription => Text(series.SeriesDescription, match, request.Fuzzy),
                _ => false,
            };
            if (!ok) return false;
        }
        return true;
    }

    private static bool Text(string? value, DicomMatch match, bool fuzzy)
    {
        if (value is null) return false;
        if (fuzzy) value = Fold(value);
        return match switch
        {
            DicomMatch.Exact s => string.Equals(value, fuzzy ? Fold(s.Value) : s.Value, StringComparison.Ordinal),
            DicomMatch.AnyOf any => any.Values.Any(v => string.Equals(value, fuzzy ? Fold(v) : v, StringComparison.Ordinal)),
            DicomMatch.Wildcard w => Regex.IsMatch(value, "^" + Wildcard(fuzzy ? Fold(w.Pattern) : w.Pattern) + "$", RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)),
            _ => false,
        };
    }

    // The same folding as the text index: NFKC, lower case, traditional to simplified.
    private static string Fold(string s) => MedImaging.Directory.Search.TextNormalizer.Normalize(s);

    private static string Wildcard(string pattern)
    {
        var sb = new StringBuilder();
        foreach (var c in pattern)
            sb.Append(c switch { '*' => ".*", '?' => ".", _ => Regex.Escape(c.ToString()) });
        return sb.ToString();
    }
}
