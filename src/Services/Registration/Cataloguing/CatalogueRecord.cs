using System.Globalization;
using System.Text.Json.Nodes;
using MedImaging.Registration.Domain;
using E = MedImaging.Registration.Domain.MetadataElements;

namespace MedImaging.Registration.Cataloguing;

/// <summary>
/// An entry's values as the record the Metadata service validates: entity members inside their entity, repeating
/// elements as arrays, integers and booleans as JSON numbers and booleans. A value that does not parse stays text, so
/// the check names it rather than this class hiding it.
/// </summary>
public static class CatalogueRecord
{
    public static JsonObject Build(IEnumerable<AssignedValue> values)
    {
        var record = new JsonObject();
        foreach (var v in values)
        {
            var target = record;
            if (E.EntityOf.TryGetValue(v.Element, out var entity))
                target = record[entity] as JsonObject ?? (JsonObject)(record[entity] = new JsonObject())!;
            target[v.Element] = Json(v.Element, v.Value);
        }
        return record;
    }

    /// <summary>The set an entry is checked against: imaging studies the DICOM extension set (which includes the basic one).</summary>
    public static string SetFor(ResourceKind kind) => kind == ResourceKind.ImagingStudy ? E.DicomSet : E.BasicSet;

    private static JsonNode? Json(string element, string text)
    {
        if (E.Repeating.Contains(element))
            return new JsonArray([.. text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => (JsonNode?)JsonValue.Create(s))]);
        if (E.Integers.Contains(element) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)) return JsonValue.Create(n);
        if (E.Booleans.Contains(element) && bool.TryParse(text, out var b)) return JsonValue.Create(b);
        return JsonValue.Create(text);
    }
}
