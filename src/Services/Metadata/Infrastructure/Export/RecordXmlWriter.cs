using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using MedImaging.Metadata.Domain;

namespace MedImaging.Metadata.Infrastructure.Export;

/// <summary>A record as XML in its set version's namespace, children in schema order, so it validates against <see cref="XsdExporter"/>'s schema.</summary>
internal static class RecordXmlWriter
{
    public static XDocument Write(MetadataSet set, MetadataSetVersion v, JsonObject values)
    {
        XNamespace ns = SchemaLayout.Namespace(set, v);
        IEnumerable<XElement> Elements(JsonObject obj, IEnumerable<MetadataElement> elements) => elements.SelectMany(e =>
            RecordValidator.Instances(obj[e.ElementId]).Select(value => new XElement(ns + e.ElementId, Text(value))));

        var root = new XElement(ns + "record");
        foreach (var item in SchemaLayout.TopLevel(v))
        {
            if (item.Element is { } element) root.Add(Elements(values, [element]));
            else foreach (var instance in RecordValidator.Instances(values[item.Entity!.EntityId]).OfType<JsonObject>())
                root.Add(new XElement(ns + item.Entity.EntityId, Elements(instance, item.Members)));
        }
        return new XDocument(new XDeclaration("1.0", "utf-8", null), root);
    }

    private static string Text(JsonNode? value) => value switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>() ? "true" : "false",
        _ => value?.ToJsonString() ?? "",
    };
}
