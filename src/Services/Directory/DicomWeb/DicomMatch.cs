using System.Globalization;
using System.Text.RegularExpressions;

namespace MedImaging.Directory.DicomWeb;

/// <summary>
/// One matching key's value, classified by the matching rules of PS3.4 C.2.2.2: universal (empty, or a lone
/// <c>*</c>), single value, wildcard (<c>*</c>, <c>?</c>), range (DA, TM), list of UIDs (comma or backslash).
/// </summary>
public abstract record DicomMatch
{
    public sealed record Universal : DicomMatch;

    public sealed record Exact(string Value) : DicomMatch;

    public sealed record Wildcard(string Pattern) : DicomMatch;

    /// <summary>Matches when the attribute holds any of the values (UIDs; modalities of ModalitiesInStudy).</summary>
    public sealed record AnyOf(IReadOnlyList<string> Values) : DicomMatch;

    /// <summary>A date range, either end open (<c>20250101-</c>, <c>-20250331</c>); a single date is From = To.</summary>
    public sealed record DateRange(DateOnly? From, DateOnly? To) : DicomMatch;

    /// <summary>A time value or range (TM): validated, though no catalogued attribute carries one.</summary>
    public sealed record TimeRange(string? From, string? To) : DicomMatch;
}

/// <summary>Thrown for a value that is not valid for its attribute's VR; the API answers 400 naming the key.</summary>
public sealed class QidoBadRequestException(string message) : Exception(message);

public static partial class DicomMatchParser
{
    /// <summary>Classifies <paramref name="raw"/> (already percent-decoded) for <paramref name="attribute"/>.</summary>
    public static DicomMatch Parse(QidoElement attribute, string raw)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        var value = raw.Trim();
        if (value.Length == 0 || value == "*") return new DicomMatch.Universal();
        return attribute.Vr switch
        {
            "UI" => Uids(attribute, value),
            "DA" => Dates(attribute, value),
            "TM" => Times(attribute, value),
            "IS" => int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
                ? new DicomMatch.Exact(value) : throw Bad(attribute, value, "an integer string (IS)"),
            _ when attribute.Vr == "CS" && (value.Contains('\\', StringComparison.Ordinal) || value.Contains(',', StringComparison.Ordinal)) =>
                new DicomMatch.AnyOf([.. value.Split(['\\', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]),
            _ when value.Contains('\\', StringComparison.Ordinal) => throw Bad(attribute, value, "one value (a list of values is matched for UIDs and ModalitiesInStudy only)"),
            _ when value.IndexOfAny(['*', '?']) >= 0 => new DicomMatch.Wildcard(value),
            _ => new DicomMatch.Exact(value),
        };
    }

    private static DicomMatch Uids(QidoElement attribute, string value)
    {
        var uids = value.Split([',', '\\'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var uid in uids)
            if (uid.Length > 64 || !UidPattern().IsMatch(uid)) throw Bad(attribute, uid, "a UID or a list of UIDs separated by commas or backslashes (no wildcards)");
        return uids.Length == 1 ? new DicomMatch.Exact(uids[0]) : new DicomMatch.AnyOf(uids);
    }

    private static DicomMatch.DateRange Dates(QidoElement attribute, string value)
    {
        var dash = value.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0) return Date(value) is { } day ? new(day, day) : throw Bad(attribute, value, "a date YYYYMMDD or a range YYYYMMDD-YYYYMMDD (either end may be left open)");
        var (from, to) = (value[..dash], value[(dash + 1)..]);
        DateOnly? f = from.Length == 0 ? null : Date(from) ?? throw Bad(attribute, from, "a date YYYYMMDD");
        DateOnly? t = to.Length == 0 ? null : Date(to) ?? throw Bad(attribute, to, "a date YYYYMMDD");
        if (f is null && t is null) throw Bad(attribute, value, "a range with at least one end");
        if (f > t) throw Bad(attribute, value, "a range whose start is not after its end");
        return new(f, t);
    }

    private static DicomMatch.TimeRange Times(QidoElement attribute, string value)
    {
        var parts = value.Split('-');
        if (parts.Length > 2 || parts.Any(p => p.Length > 0 && !TimePattern().IsMatch(p)) || parts.All(p => p.Length == 0))
            throw Bad(attribute, value, "a time HHMMSS.FFFFFF or a range of times");
        return new(parts[0].Length == 0 ? null : parts[0], parts.Length == 2 && parts[1].Length > 0 ? parts[1] : parts.Length == 1 ? parts[0] : null);
    }

    private static DateOnly? Date(string s) =>
        DateOnly.TryParseExact(s, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static QidoBadRequestException Bad(QidoElement a, string value, string expected) =>
        new($"{a.Keyword} ({a.TagKey}): '{value}' is not {expected}.");

    [GeneratedRegex(@"^[0-9]+(\.[0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex UidPattern();

    [GeneratedRegex(@"^[0-9]{2}([0-9]{2}([0-9]{2}(\.[0-9]{1,6})?)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex TimePattern();
}
