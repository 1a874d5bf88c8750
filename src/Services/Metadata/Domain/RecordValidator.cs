using System.Text.Json.Nodes;

namespace MedImaging.Metadata.Domain;

/// <summary>
/// Checks a record against the set version it claims: completeness (every mandatory element present, occurrences
/// respected, conditions met) and conformance (types, value domains, code lists, classification codes, OIDs). Reports
/// at most one problem per element instance so the list reads as a to-do list.
/// </summary>
public sealed class RecordValidator(MetadataSetVersion version, ValueConformance conformance)
{
    public IReadOnlyList<ValidationProblem> Validate(JsonObject record)
    {
        var problems = new List<ValidationProblem>();
        CheckContainer(record, record, null, "", problems);
        return problems;
    }

    private void CheckContainer(JsonObject root, JsonObject obj, MetadataEntity? entity, string prefix, List<ValidationProblem> problems)
    {
        var elements = version.ElementsOf(entity?.EntityId).ToList();
        var entities = entity is null ? version.Entities.OrderBy(e => e.Order).ToList() : [];

        foreach (var (key, _) in obj)
        {
            if (elements.Any(e => e.ElementId == key) || entities.Any(e => e.EntityId == key)) continue;
            var elsewhere = version.Element(key);
            var where = elsewhere is null ? $"set version {version.Version} has no element or entity '{key}'"
                : $"'{key}' belongs to {(elsewhere.EntityId is null ? "the top level" : $"entity '{elsewhere.EntityId}'")}, not here";
            problems.Add(new(key, elsewhere?.NameZh ?? "", elsewhere?.NameEn ?? "", prefix + key, ValidationProblem.Unknown, where));
        }

        foreach (var ent in entities)
        {
            var path = prefix + ent.EntityId;
            var items = Instances(obj[ent.EntityId]);
            if (items.Count == 0)
            {
                if (ent.Obligation == Obligation.Mandatory)
                    problems.Add(new(ent.EntityId, ent.NameZh, ent.NameEn, path, ValidationProblem.Missing, "mandatory entity (必选) is absent"));
                continue;
            }
            if (ent.MaxOccurs is { } max && items.Count > max)
                problems.Add(new(ent.EntityId, ent.NameZh, ent.NameEn, path, ValidationProblem.Occurrences, $"occurs {items.Count} times; 最大出现次数 is {max}"));
            for (var i = 0; i < items.Count; i++)
            {
                var itemPath = ent.Repeats ? $"{path}[{i}]" : path;
                if (items[i] is JsonObject child) CheckContainer(root, child, ent, itemPath + ".", problems);
                else problems.Add(new(ent.EntityId, ent.NameZh, ent.NameEn, itemPath, ValidationProblem.Type, "an entity must be a JSON object of its elements"));
            }
        }

        foreach (var el in elements)
            CheckElement(root, obj, el, prefix + el.ElementId, problems);
    }

    private void CheckElement(JsonObject root, JsonObject obj, MetadataElement el, string path, List<ValidationProblem> problems)
    {
        var values = Instances(obj[el.ElementId]);
        if (values.Count == 0)
        {
            if (el.Obligation == Obligation.Mandatory)
                problems.Add(new(el.ElementId, el.NameZh, el.NameEn, path, ValidationProblem.Missing, "mandatory element (必选) is absent"));
            else if (el.Obligation == Obligation.Conditional && el.Condition is { } c && ConditionHolds(c, obj, root))
                problems.Add(new(el.ElementId, el.NameZh, el.NameEn, path, ValidationProblem.Missing, $"conditional element (条件必选) is absent: {c.Describe()}"));
            return;
        }
        if (el.MaxOccurs is { } max && values.Count > max)
        {
            problems.Add(new(el.ElementId, el.NameZh, el.NameEn, path, ValidationProblem.Occurrences, $"occurs {values.Count} times; 最大出现次数 is {max}"));
            return;
        }
        foreach (var value in values)
        {
            if (conformance.Check(el, value) is not { } failure) continue;
            problems.Add(new(el.ElementId, el.NameZh, el.NameEn, path, failure.Kind, failure.Detail));
            return;
        }
    }

    private static bool ConditionHolds(ElementCondition condition, JsonObject obj, JsonObject root)
    {
        var other = obj.ContainsKey(condition.Element) ? obj[condition.Element] : root[condition.Element];
        var present = Instances(other);
        if (condition.EqualsValue is null) return present.Count == 0;
        return present.Any(v => v is JsonValue jv && jv.ToString() == condition.EqualsValue);
    }

    /// <summary>A repeating element is an array; a single value may be written bare. Null and [] mean absent.</summary>
    public static List<JsonNode?> Instances(JsonNode? node) => node switch
    {
        null => [],
        JsonArray array => [.. array.Where(n => n is not null)],
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String && v.GetValue<string>().Length == 0 => [],
        _ => [node],
    };
}
