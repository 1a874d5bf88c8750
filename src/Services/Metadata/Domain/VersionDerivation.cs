using System.Text.RegularExpressions;

namespace MedImaging.Metadata.Domain;

/// <summary>
/// Builds a new version's elements from the version it is based on and its <see cref="SchemaMigration"/>, and checks
/// element definitions. Errors are keyed by the field or element at fault, ready for a problem response.
/// </summary>
public static partial class VersionDerivation
{
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,63}$")]
    private static partial Regex IdSyntax();

    /// <summary>Element and entity ids are JSON keys and XML element names: ASCII letters and digits, a letter first.</summary>
    public static bool IsValidId(string? id) => id is not null && IdSyntax().IsMatch(id);

    public static (List<EntityDefinition> Entities, List<ElementDefinition> Elements) Derive(
        IReadOnlyList<EntityDefinition> entities, IReadOnlyList<ElementDefinition> elements, SchemaMigration migration, Dictionary<string, string[]> errors)
    {
        var result = elements.ToList();
        foreach (var id in migration.Removed)
            if (result.RemoveAll(e => e.ElementId == id) == 0) errors[$"migration.removed.{id}"] = [$"'{id}' is not an element of the base version."];
        foreach (var (from, to) in migration.Renamed)
        {
            var index = result.FindIndex(e => e.ElementId == from);
            if (index < 0) errors[$"migration.renamed.{from}"] = [$"'{from}' is not an element of the base version."];
            else if (!IsValidId(to) || result.Any(e => e.ElementId == to)) errors[$"migration.renamed.{from}"] = [$"'{to}' is not a free, valid element id."];
            else result[index] = result[index] with { ElementId = to };
        }
        foreach (var added in migration.Added)
        {
            if (result.Any(e => e.ElementId == added.ElementId)) errors[$"migration.added.{added.ElementId}"] = [$"'{added.ElementId}' already exists."];
            else result.Add(added);
        }
        foreach (var el in result) CheckDefinition(el, entities, result, errors);
        foreach (var id in migration.Defaults.Keys.Where(k => result.All(e => e.ElementId != k)))
            errors[$"migration.defaults.{id}"] = [$"'{id}' is not an element of the new version."];
        return (entities.ToList(), result);
    }

    public static void CheckDefinition(ElementDefinition el, IReadOnlyList<EntityDefinition> entities, IReadOnlyList<ElementDefinition> all, Dictionary<string, string[]> errors)
    {
        var key = el.ElementId;
        var problems = new List<string>();
        if (!IsValidId(el.ElementId)) problems.Add("elementId must be ASCII letters and digits starting with a letter (it is a JSON key and an XML name).");
        if (entities.Any(e => e.EntityId == el.ElementId)) problems.Add($"'{el.ElementId}' is already an entity id.");
        if (string.IsNullOrWhiteSpace(el.NameZh)) problems.Add("nameZh (中文名称, §4.6.1) is required.");
        if (string.IsNullOrWhiteSpace(el.NameEn)) problems.Add("nameEn (英文名称, §4.6.3) is required.");
        if (el.EntityId is not null && entities.All(e => e.EntityId != el.EntityId)) problems.Add($"entity '{el.EntityId}' does not exist in this version.");
        if (el.MaxOccurs is < 1) problems.Add("maxOccurs (最大出现次数, §4.6.7) must be at least 1, or null for N.");
        if (el.DataType == MetadataDataType.Code && (el.Domain?.Codes.Count ?? 0) == 0) problems.Add("a Code element needs a code list in domain.codes.");
        if (el.Domain?.Pattern is { } pattern && !PatternIsPortable(pattern)) problems.Add($"domain.pattern '{pattern}' does not compile or uses anchors/lookarounds XSD cannot read.");
        if (el.Obligation == Obligation.Conditional && el.Condition is null) problems.Add("a conditional (条件必选) element needs a condition.");
        if (el.Condition is { } c && all.All(e => e.ElementId != c.Element)) problems.Add($"condition names unknown element '{c.Element}'.");
        if (problems.Count > 0) errors[key] = [.. problems];
    }

    private static bool PatternIsPortable(string pattern)
    {
        if (pattern.Contains('^', StringComparison.Ordinal) && !pattern.Contains("[^", StringComparison.Ordinal)) return false;
        if (pattern.Contains('$', StringComparison.Ordinal) || pattern.Contains("(?", StringComparison.Ordinal)) return false;
        try { _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1)); return true; }
        catch (ArgumentException) { return false; }
    }
}
