using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace MedImaging.Directory.DicomWeb;

/// <summary>
/// A QIDO-RS search as PS3.18 10.6.1 defines its query: <c>{attributeID}={value}</c> matching keys (keyword or tag),
/// <c>includefield</c> (repeatable, comma-separated, or <c>all</c>), <c>fuzzymatching</c>, <c>limit</c>, <c>offset</c>.
/// Values arrive percent-decoded by the host (UTF-8), so a Chinese institution name with a wildcard is matched as typed.
/// </summary>
public sealed record QidoRequest(
    QidoLevel Level,
    IReadOnlyDictionary<QidoElement, DicomMatch> Keys,
    IReadOnlySet<QidoElement> Answered,
    bool Fuzzy,
    int Limit,
    int Offset)
{
    /// <summary>The most results one response carries; a client pages past it with <c>offset</c>.</summary>
    public const int MaxLimit = 1000;

    /// <summary>How far <c>offset</c> may reach (the engine pages by keys; a deeper page is a narrower query).</summary>
    public const int MaxOffset = 100_000;

    public static QidoRequest Parse(QidoLevel level, IEnumerable<KeyValuePair<string, StringValues>> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var keys = new Dictionary<QidoElement, DicomMatch>();
        var answered = new HashSet<QidoElement>(QidoAttributes.Of(level).Where(a => a.Default));
        bool fuzzy = false;
        int limit = MaxLimit, offset = 0;
        foreach (var (name, values) in query)
        {
            switch (name)
            {
                case "includefield":
                    foreach (var field in values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
                    {
                        if (field == "all") answered.UnionWith(QidoAttributes.Of(level));
                        else answered.Add(Attribute(level, field, "includefield"));
                    }
                    break;
                case "fuzzymatching":
                    fuzzy = Single(name, values) switch
                    {
                        "true" => true,
                        "false" => false,
                        var v => throw new QidoBadRequestException($"fuzzymatching: '{v}' is not true or false."),
                    };
                    break;
                case "limit":
                    limit = Number(name, Single(name, values), 1, MaxLimit);
                    break;
                case "offset":
                    offset = Number(name, Single(name, values), 0, MaxOffset);
                    break;
                default:
                    var attribute = Attribute(level, name, "query key");
                    // A UID list may come as repeated keys too (StudyInstanceUID=1.2&StudyInstanceUID=1.3).
                    var raw = attribute.Vr == "UI" ? string.Join(',', values.ToArray()) : Single(name, values);
                    var match = DicomMatchParser.Parse(attribute, raw);
                    if (attribute.Role == QidoKeyRole.ReturnOnly && match is not DicomMatch.Universal)
                        throw new QidoBadRequestException($"{attribute.Keyword} ({attribute.TagKey}) is a return key of this directory, not a matching key: give it without a value, or in includefield.");
                    keys[attribute] = match;
                    // PS3.18 10.6.3.3: every matching key given is answered.
                    answered.Add(attribute);
                    break;
            }
        }
        return new QidoRequest(level, keys, answered, fuzzy, limit, offset);
    }

    private static QidoElement Attribute(QidoLevel level, string key, string what)
    {
        if (QidoAttributes.Find(level, key) is { } attribute) return attribute;
        var other = level == QidoLevel.Study ? QidoLevel.Series : QidoLevel.Study;
        throw new QidoBadRequestException(QidoAttributes.Find(other, key) is { } elsewhere
            ? $"{what} '{key}': {elsewhere.Keyword} is a {other.ToString().ToLowerInvariant()}-level attribute; this search is at the {level.ToString().ToLowerInvariant()} level."
            : key.Contains('.', StringComparison.Ordinal)
                ? $"{what} '{key}': sequence matching (attribute paths) is not supported by this directory."
                : $"{what} '{key}' is not an attribute this directory answers at the {level.ToString().ToLowerInvariant()} level (known: {string.Join(", ", QidoAttributes.Of(level).Select(a => a.Keyword))}).");
    }

    private static string Single(string name, StringValues values) => values.Count == 1
        ? values[0] ?? ""
        : throw new QidoBadRequestException($"{name} is given {values.Count} times; give it once.");

    private static int Number(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n
            : throw new QidoBadRequestException($"{name}: '{value}' is not a whole number from {min} to {max}.");
}
