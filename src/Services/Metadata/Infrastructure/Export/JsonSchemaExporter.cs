using System.Text.Json.Nodes;
using MedImaging.Metadata.Domain;

namespace MedImaging.Metadata.Infrastructure.Export;

/// <summary>JSON Schema (2020-12) of a set version; conditional elements become if/then rules, which JSON Schema can state.</summary>
internal static class JsonSchemaExporter
{
    public static JsonObject Export(MetadataSet set, MetadataSetVersion v)
    {
        var schema = Container(v.ElementsOf(null), v.Entities.OrderBy(e => e.Order), v);
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        schema["$id"] = SchemaLayout.Namespace(set, v);
        schema["title"] = $"{set.NameZh} ({set.NameEn}) v{v.Version}";
        return schema;
    }

    private static JsonObject Container(IEnumerable<MetadataElement> elements, IEnumerable<MetadataEntity> entities, MetadataSetVersion v)
    {
        var properties = new JsonObject();
        var required = new JsonArray();
        var rules = new JsonArray();
        foreach (var entity in entities)
        {
            var item = Container(v.ElementsOf(entity.EntityId), [], v);
            item["title"] = entity.NameZh;
            item["description"] = entity.Definition;
            item["x-nameEn"] = entity.NameEn;
            properties[entity.EntityId] = Repeat(item, entity.MaxOccurs);
            if (entity.Obligation == Obligation.Mandatory) required.Add(entity.EntityId);
        }
        foreach (var e in elements)
        {
            properties[e.ElementId] = Repeat(Value(e), e.MaxOccurs);
            if (e.Obligation == Obligation.Mandatory) required.Add(e.ElementId);
            if (e.Condition is { } c)
            {
                JsonObject @if = c.EqualsValue is null
                    ? new() { ["not"] = new JsonObject { ["required"] = new JsonArray(c.Element) } }
                    : new() { ["required"] = new JsonArray(c.Element), ["properties"] = new JsonObject { [c.Element] = new JsonObject { ["const"] = c.EqualsValue } } };
                rules.Add(new JsonObject { ["if"] = @if, ["then"] = new JsonObject { ["required"] = new JsonArray(e.ElementId) } });
            }
        }
        var schema = new JsonObject { ["type"] = "object", ["properties"] = properties, ["additionalProperties"] = false };
        if (required.Count > 0) schema["required"] = required;
        if (rules.Count > 0) schema["allOf"] = rules;
        return schema;
    }

    private static JsonObject Repeat(JsonObject item, int? max)
    {
        if (max == 1) return item;
        var array = new JsonObject { ["type"] = "array", ["items"] = item, ["minItems"] = 1 };
        if (max is { } m) array["maxItems"] = m;
        return array;
    }

    private static JsonObject Value(MetadataElement e)
    {
        var d = e.Domain;
        var s = new JsonObject { ["title"] = e.NameZh, ["description"] = e.Definition, ["x-nameEn"] = e.NameEn, ["x-dataType"] = e.DataType.ToString() };
        if (e.DicomTag is not null) s["x-dicomTag"] = e.DicomTag;
        s["type"] = e.DataType switch
        {
            MetadataDataType.Integer => "integer",
            MetadataDataType.Decimal => "number",
            MetadataDataType.Boolean => "boolean",
            _ => "string",
        };
        if (e.DataType == MetadataDataType.Date) s["format"] = "date";
        if (e.DataType == MetadataDataType.DateTime) s["format"] = "date-time";
        if (e.DataType == MetadataDataType.Uri) s["format"] = "uri";
        if (d.MaxLength is { } max) s["maxLength"] = max;
        if (SchemaLayout.PatternOf(e) is { } pattern) s["pattern"] = $"^(?:{pattern})$";
        if (d.Minimum is { } min) s["minimum"] = min;
        if (d.Maximum is { } maxv) s["maximum"] = maxv;
        if (d.Codes.Count > 0) s["enum"] = new JsonArray([.. d.Codes.Select(c => (JsonNode)c.Code)]);
        return s;
    }
}
