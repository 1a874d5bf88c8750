using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MedImaging.Contracts.Metadata;
using MedImaging.Directory.Domain;
using V = MedImaging.Directory.Discovery.EntryValues;

namespace MedImaging.Directory.Discovery;

/// <summary>An entry as a JSON record of an element set (<see cref="ElementSets"/> lists the fields of each).</summary>
public static class RecordJson
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static JsonObject Write(CatalogEntry e, ElementSet set, ActiveSchemas schemas)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(schemas);
        var values = V.Of(e);
        var o = new JsonObject
        {
            ["originNode"] = e.OriginNode,
            ["resourceId"] = e.ResourceId,
            ["identifier"] = e.ResourceIdentifier,
            ["title"] = e.Title,
            ["kind"] = e.Kind,
            ["classification"] = new JsonObject { ["code"] = e.ClassificationCode, ["name"] = values.GetValueOrDefault(V.CategoryName) },
            // The resource's own date: an imaging study's study date, otherwise the day it was published.
            ["date"] = (e.StudyDate ?? DateOnly.FromDateTime(e.PublishedAt.UtcDateTime)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        if (set == ElementSet.Brief) return o;
        o["abstract"] = e.Abstract;
        o["keywords"] = Strings(e.Keywords);
        o["institution"] = new JsonObject { ["code"] = e.Institution, ["name"] = e.InstitutionName };
        o["modalities"] = Strings(e.Modalities);
        o["bodyParts"] = Strings(e.BodyParts);
        o["securityClassification"] = e.SecurityClassification;
        o["onlineResourceLink"] = e.OnlineResourceLink;
        o["format"] = e.Format;
        o["publishedAt"] = e.PublishedAt;
        if (e.ReplicationPath.Count > 0)
            o["replication"] = new JsonObject { ["path"] = Strings(e.ReplicationPath), ["sharedAs"] = e.SharedAs };
        if (set == ElementSet.Summary) return o;

        var recordSet = schemas.RecordSetOf(e);
        o["metadataSet"] = recordSet is null ? null : new JsonObject { ["code"] = recordSet.SetCode, ["version"] = recordSet.Version };
        var groups = new JsonObject();
        var other = new JsonObject();
        foreach (var (elementId, text) in values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            if (schemas.HomeOf(elementId) is not { } home) { other[elementId] = text; continue; }
            var element = home.Elements.First(x => x.ElementId == elementId);
            var group = groups[home.SetCode] as JsonObject ?? (JsonObject)(groups[home.SetCode] = new JsonObject())!;
            if (element.EntityId is { } entity) group = group[entity] as JsonObject ?? (JsonObject)(group[entity] = new JsonObject())!;
            group[elementId] = Typed(element, text);
        }
        o["elements"] = groups;
        if (other.Count > 0) o["otherValues"] = other;
        o["series"] = JsonSerializer.SerializeToNode(e.Series, Web);
        return o;
    }

    /// <summary>A value as the element's type says: repeating elements as arrays, numbers and booleans as JSON ones.</summary>
    public static JsonNode? Typed(MetadataSetVersionElement element, string text)
    {
        ArgumentNullException.ThrowIfNull(element);
        ArgumentNullException.ThrowIfNull(text);
        return ActiveSchemas.Repeats(element)
            ? new JsonArray([.. V.Occurrences(text).Select(t => One(element.DataType, t))])
            : One(element.DataType, text);
    }

    private static JsonValue One(string dataType, string text) => dataType switch
    {
        "Integer" when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
        "Decimal" when decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
        "Boolean" when bool.TryParse(text, out var b) => JsonValue.Create(b),
        _ => JsonValue.Create(text),
    };

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
}
