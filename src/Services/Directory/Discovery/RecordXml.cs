using System.Globalization;
using System.Xml.Linq;
using MedImaging.Contracts.Metadata;
using MedImaging.Directory.Domain;
using MedImaging.Directory.Search;
using V = MedImaging.Directory.Discovery.EntryValues;

namespace MedImaging.Directory.Discovery;

/// <summary>
/// Entries as XML. Each record is the Metadata service's export of a record (its <c>record</c> element in the set
/// version's namespace, children in the set's order, entity members inside their entity, one element per occurrence),
/// written from the schema the activation event carried; the directory's own facts (origin, kind, date, position,
/// availability) are attributes of the <c>entry</c> element around it, in the directory's namespace, so the record stays
/// exactly what the set version's XSD describes.
/// </summary>
public static class RecordXml
{
    public static readonly XNamespace Dir = "urn:medimaging:directory";

    /// <summary>An entry of a retrieval: the record, or (when no longer available) only its key and status.</summary>
    public static XElement Entry(EntryKey key, CatalogEntry? e, ElementSet set, ActiveSchemas schemas, int? position)
    {
        ArgumentNullException.ThrowIfNull(schemas);
        var x = new XElement(Dir + "entry",
            position is { } p ? new XAttribute("position", p) : null,
            new XAttribute("originNode", key.OriginNode), new XAttribute("resourceId", key.ResourceId),
            new XAttribute("status", e is null ? RecordStatus.Withdrawn : RecordStatus.Available));
        if (e is null) return x;
        x.Add(new XAttribute("kind", e.Kind),
            new XAttribute("date", (e.StudyDate ?? DateOnly.FromDateTime(e.PublishedAt.UtcDateTime)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            new XAttribute("publishedAt", e.PublishedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)));
        if (schemas.RecordSetOf(e) is { } schema)
        {
            x.Add(new XAttribute("metadataSet", schema.SetCode), new XAttribute("version", schema.Version));
            x.Add(Record(schema, V.Of(e), id => ElementSets.Carries(set, id)));
        }
        return x;
    }

    /// <summary>The record in the version's namespace, as the Metadata service's RecordXmlWriter writes it.</summary>
    public static XElement Record(SchemaVersion schema, IReadOnlyDictionary<string, string> values, Func<string, bool> carries)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(carries);
        XNamespace ns = ActiveSchemas.Namespace(schema);
        IEnumerable<XElement> Instances(MetadataSetVersionElement e) =>
            !carries(e.ElementId) || !values.TryGetValue(e.ElementId, out var text) ? []
            : (ActiveSchemas.Repeats(e) ? V.Occurrences(text) : [text.Trim()]).Select(t => new XElement(ns + e.ElementId, Lexical(e.DataType, t)));

        var root = new XElement(ns + "record");
        foreach (var (entity, element, members) in Layout(schema))
        {
            if (element is not null) root.Add(Instances(element));
            else if (members.SelectMany(Instances).ToList() is { Count: > 0 } children) root.Add(new XElement(ns + entity!.EntityId, children));
        }
        return root;
    }

    /// <summary>
    /// The Metadata service's SchemaLayout: top-level elements in the set's order, each entity where its first member
    /// stands (members in order inside it), an entity without members at the end. The XSD's sequence is this order.
    /// </summary>
    private static IEnumerable<(MetadataSetVersionEntity? Entity, MetadataSetVersionElement? Element, IReadOnlyList<MetadataSetVersionElement> Members)> Layout(SchemaVersion v)
    {
        var items = v.Elements.Select((e, i) => (Order: (double)i, Item: e)).ToList();
        var top = items.Where(x => x.Item.EntityId is null).Select(x => (x.Order, Entity: (MetadataSetVersionEntity?)null, Element: (MetadataSetVersionElement?)x.Item,
            Members: (IReadOnlyList<MetadataSetVersionElement>)[])).ToList();
        foreach (var (entity, i) in v.Entities.Select((x, i) => (x, i)))
        {
            var members = items.Where(x => x.Item.EntityId == entity.EntityId).ToList();
            top.Add((members.Count == 0 ? double.MaxValue - i : members[0].Order - 0.5, entity, null, [.. members.Select(m => m.Item)]));
        }
        return top.OrderBy(t => t.Order).Select(t => (t.Entity, t.Element, t.Members));
    }

    // XSD's boolean lexical space is lower case ("true"), whatever case the value was catalogued in.
    private static string Lexical(string dataType, string text) =>
        dataType == "Boolean" && bool.TryParse(text, out var b) ? (b ? "true" : "false") : text;
}

/// <summary>Whether a retrieved position still holds a record the caller may see.</summary>
public static class RecordStatus
{
    public const string Available = "available";

    /// <summary>Withdrawn, reopened for correction, or no longer within the caller's clearance and scope: nothing of it is shown.</summary>
    public const string Withdrawn = "withdrawn";
}

public static class RecordXmlExtensions
{
    /// <summary>Declares the directory namespace with its prefix on a root element (records keep their default namespace).</summary>
    public static System.Xml.Linq.XElement WithDirectoryPrefix(this System.Xml.Linq.XElement root)
    {
        ArgumentNullException.ThrowIfNull(root);
        root.Add(new System.Xml.Linq.XAttribute(System.Xml.Linq.XNamespace.Xmlns + "directory", RecordXml.Dir.NamespaceName));
        return root;
    }
}
