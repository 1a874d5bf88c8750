namespace MedImaging.Metadata.Domain;

/// <summary>
/// One failing element of a record (§4.9.4 数据完整性 / 逻辑一致性), named by its id and its zh/en names so a cataloguer
/// can find it in the form and a program by its key. <see cref="Path"/> locates it inside entities ("pointOfContact.zipCode").
/// </summary>
public sealed record ValidationProblem(string ElementId, string NameZh, string NameEn, string Path, string Kind, string Detail)
{
    public const string Missing = "missing";            // completeness: a mandatory (or triggered conditional) element is absent
    public const string Occurrences = "occurrences";    // completeness: more instances than 最大出现次数 allows
    public const string Unknown = "unknown";            // conformance: the set version has no such element
    public const string Type = "type";                  // conformance: the JSON value is not of the element's data type
    public const string Domain = "domain";              // conformance: outside the value domain (length, pattern, range)
    public const string Code = "code";                  // conformance: not in the element's code list or the classification scheme
    public const string Oid = "oid";                    // conformance: malformed or invalid identifier
}

/// <summary>The answer of the validation service: completeness and conformance of one record against one set version.</summary>
public sealed record ValidationReport(string SetCode, int Version, bool Valid, IReadOnlyList<ValidationProblem> Problems)
{
    public IReadOnlyList<ValidationProblem> Completeness => [.. Problems.Where(p => p.Kind is ValidationProblem.Missing or ValidationProblem.Occurrences)];
    public IReadOnlyList<ValidationProblem> Conformance => [.. Problems.Where(p => p.Kind is not (ValidationProblem.Missing or ValidationProblem.Occurrences))];

    /// <summary>As RFC 7807 validation errors: one key per failing element path.</summary>
    public Dictionary<string, string[]> ToErrors() => Problems
        .GroupBy(p => p.Path)
        .ToDictionary(g => g.Key, g => g.Select(p => $"{p.NameZh} ({p.NameEn}): {p.Detail}".Replace(" ():", ":", StringComparison.Ordinal)).ToArray());
}
