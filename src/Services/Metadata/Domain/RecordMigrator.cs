using System.Text.Json.Nodes;

namespace MedImaging.Metadata.Domain;

/// <summary>One change a migration made to one record.</summary>
public sealed record RecordChange(string Kind, string ElementId, string Path, JsonNode? OldValue, JsonNode? NewValue);

/// <summary>What happened to one record: migrated (valid against the target) or failed (left on its version, with the problems).</summary>
public sealed record RecordMigration(string ResourceId, int FromVersion, int ToVersion, string Status, IReadOnlyList<RecordChange> Changes, IReadOnlyList<ValidationProblem> Problems);

public sealed record MigrationReport(string SetCode, int ToVersion, bool DryRun, int Migrated, int Failed, IReadOnlyList<RecordMigration> Records);

/// <summary>
/// Applies the migrations of the versions between a record's version and the target, in order: renames move the value,
/// removals drop it (the report keeps the old value), defaults fill an absent element. Works wherever the element sits,
/// top level or inside entity instances, because element ids are unique in a version.
/// </summary>
public static class RecordMigrator
{
    public static List<RecordChange> Apply(JsonObject record, IEnumerable<MetadataSetVersion> steps)
    {
        var changes = new List<RecordChange>();
        foreach (var step in steps)
        {
            var m = step.Migration;
            foreach (var (from, to) in m.Renamed)
                foreach (var (container, path, _) in Containers(record))
                    if (container.Remove(from, out var value))
                    {
                        container[to] = value;
                        changes.Add(new("renamed", to, path + to, JsonValue.Create(from), JsonValue.Create(to)));
                    }
            foreach (var id in m.Removed)
                foreach (var (container, path, _) in Containers(record))
                    if (container.Remove(id, out var value))
                        changes.Add(new("removed", id, path + id, value, null));
            foreach (var (id, value) in m.Defaults)
            {
                var element = step.Element(id);
                if (element is null || value is null) continue;
                foreach (var (container, path) in Containers(record).Where(c => c.EntityId == element.EntityId).Select(c => (c.Container, c.Path)))
                    if (RecordValidator.Instances(container[id]).Count == 0)
                    {
                        container[id] = value.DeepClone();
                        changes.Add(new("defaulted", id, path + id, null, value.DeepClone()));
                    }
            }
        }
        return changes;
    }

    private static List<(JsonObject Container, string Path, string? EntityId)> Containers(JsonObject record)
    {
        var list = new List<(JsonObject, string, string?)> { (record, "", null) };
        foreach (var (key, node) in record.ToList())
        {
            if (node is JsonObject obj) list.Add((obj, key + ".", key));
            else if (node is JsonArray array && array.All(n => n is JsonObject))
                list.AddRange(array.Select((n, i) => ((JsonObject)n!, $"{key}[{i}].", (string?)key)));
        }
        return list;
    }
}
