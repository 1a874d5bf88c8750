using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using MedImaging.Directory.Search;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Http;

namespace MedImaging.Directory.Discovery;

/// <summary>
/// The body of a search (目录检索): the <see cref="CatalogQuery"/> fields a client may set, by the same names. A property
/// this record does not have is refused (a misspelt filter must not silently widen the search).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed partial record SearchRequest
{
    public const int MaxTextLength = 1000;
    public const int MaxValues = 100;
    public const int MaxValueLength = 256;

    public static readonly IReadOnlyList<string> KnownKinds = ["ImagingStudy", "Database", "Document", "Dataset", "Other"];

    public string? Text { get; init; }
    public bool? ExpandConcepts { get; init; }
    public IReadOnlyList<string>? Classifications { get; init; }
    public IReadOnlyList<string>? Modalities { get; init; }
    public IReadOnlyList<string>? BodyParts { get; init; }
    public IReadOnlyList<string>? Institutions { get; init; }
    public IReadOnlyList<string>? Nodes { get; init; }
    public IReadOnlyList<string>? SecurityClassifications { get; init; }
    public IReadOnlyList<string>? Kinds { get; init; }
    public IReadOnlyList<string>? StudyInstanceUids { get; init; }
    public DateOnly? StudyDateFrom { get; init; }
    public DateOnly? StudyDateTo { get; init; }
    public DateTimeOffset? PublishedFrom { get; init; }
    public DateTimeOffset? PublishedTo { get; init; }

    /// <summary>relevance (default), date or title.</summary>
    public string? Sort { get; init; }

    /// <summary>asc or desc; by default date and relevance descend, title ascends.</summary>
    public string? Order { get; init; }

    /// <summary>The query, or a 400 problem naming every field at fault.</summary>
    public CatalogQuery ToQuery()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Fail(string field, string error) => errors[field] = [error];

        if (Text is { Length: > MaxTextLength }) Fail("text", $"At most {MaxTextLength} characters.");
        var classifications = Values("classifications", Classifications, Fail, v => ClassificationCode().IsMatch(v) ? null : "Not a classification code (类目, 亚目 or 细目, e.g. \"2\", \"2.2\", \"2.2.1\").");
        var modalities = Values("modalities", Modalities, Fail);
        var bodyParts = Values("bodyParts", BodyParts, Fail);
        var institutions = Values("institutions", Institutions, Fail);
        var nodes = Values("nodes", Nodes, Fail);
        var levels = Values("securityClassifications", SecurityClassifications, Fail,
            v => SecurityLevels.IsLevel(v) ? null : $"Not a security classification; one of {string.Join(", ", SecurityLevels.All)}.");
        var kinds = Values("kinds", Kinds, Fail, v => KnownKinds.Contains(v) ? null : $"Not a kind; one of {string.Join(", ", KnownKinds)}.");
        var uids = Values("studyInstanceUids", StudyInstanceUids, Fail);
        if (StudyDateFrom > StudyDateTo) Fail("studyDateFrom", "After studyDateTo.");
        if (PublishedFrom > PublishedTo) Fail("publishedFrom", "After publishedTo.");
        var sort = CatalogSort.Relevance;
        if (Sort is not null)
        {
            if (Enum.GetNames<CatalogSort>().FirstOrDefault(n => n.Equals(Sort, StringComparison.OrdinalIgnoreCase)) is { } name) sort = Enum.Parse<CatalogSort>(name);
            else Fail("sort", "One of relevance, date, title.");
        }
        bool? descending = Order?.ToUpperInvariant() switch { null => null, "ASC" => false, "DESC" => true, _ => null };
        if (Order is not null && descending is null) Fail("order", "One of asc, desc.");
        if (errors.Count > 0) throw new ValidationProblemException("Invalid search", errors);

        return new CatalogQuery
        {
            Text = string.IsNullOrWhiteSpace(Text) ? null : Text,
            ExpandConcepts = ExpandConcepts ?? true,
            Classifications = classifications, Modalities = modalities, BodyParts = bodyParts, Institutions = institutions, Nodes = nodes,
            SecurityClassifications = levels, Kinds = kinds, StudyInstanceUids = uids,
            StudyDateFrom = StudyDateFrom, StudyDateTo = StudyDateTo, PublishedFrom = PublishedFrom, PublishedTo = PublishedTo,
            Sort = sort,
            Descending = descending ?? sort != CatalogSort.Title,
        };
    }

    private static string[] Values(string field, IReadOnlyList<string>? values, Action<string, string> fail, Func<string, string?>? check = null)
    {
        if (values is null) return [];
        if (values.Count > MaxValues) { fail(field, $"At most {MaxValues} values."); return []; }
        for (var i = 0; i < values.Count; i++)
        {
            var v = values[i];
            var error = string.IsNullOrWhiteSpace(v) ? "Empty value." : v.Length > MaxValueLength ? $"At most {MaxValueLength} characters." : check?.Invoke(v);
            if (error is not null) { fail($"{field}[{i}]", error); return []; }
        }
        return [.. values.Distinct(StringComparer.Ordinal)];
    }

    [GeneratedRegex(@"^[0-9A-Za-z]+(\.[0-9A-Za-z]+){0,2}$")]
    private static partial Regex ClassificationCode();
}
