using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MedImaging.Directory.Dcat;

/// <summary>Turtle (W3C RDF 1.1 Turtle) and JSON-LD 1.1 (a flattened <c>@graph</c> with prefixes in <c>@context</c>) of one graph.</summary>
public static class RdfWriters
{
    public const string TurtleType = "text/turtle";
    public const string JsonLdType = "application/ld+json";

    public static string Turtle(RdfGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var sb = new StringBuilder();
        foreach (var (prefix, ns) in RdfGraph.Prefixes) sb.Append(CultureInfo.InvariantCulture, $"@prefix {prefix}: <{ns}> .\n");
        foreach (var (subject, properties) in graph.Subjects)
        {
            sb.Append('\n').Append(Term(subject));
            var first = true;
            foreach (var group in properties.GroupBy(p => p.Predicate, StringComparer.Ordinal))
            {
                sb.Append(first ? "\n    " : " ;\n    ").Append(group.Key == "rdf:type" ? "a" : group.Key).Append(' ');
                sb.Append(string.Join(" , ", group.Select(p => Term(p.Object))));
                first = false;
            }
            sb.Append(" .\n");
        }
        return sb.ToString();
    }

    private static string Term(RdfTerm term) => term switch
    {
        Iri i when i.Value != RdfGraph.Expand(i.Value) => i.Value,
        Iri i => $"<{IriEscape(i.Value)}>",
        Blank b => "_:" + b.Id,
        Literal { Language: { } lang } l => $"\"{StringEscape(l.Value)}\"@{lang}",
        Literal { Datatype: { } type } l => $"\"{StringEscape(l.Value)}\"^^{type}",
        Literal l => $"\"{StringEscape(l.Value)}\"",
        _ => throw new ArgumentOutOfRangeException(nameof(term)),
    };

    private static string StringEscape(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal);

    // Characters Turtle forbids in an IRIREF, as UCHAR escapes (our IRIs come from Uri.AbsoluteUri, so this is a guard).
    private static string IriEscape(string s) => string.Concat(s.Select(c =>
        c <= ' ' || c is '<' or '>' or '"' or '{' or '}' or '|' or '^' or '`' or '\\' ? "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) : c.ToString()));

    public static byte[] JsonLd(RdfGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartObject("@context");
            foreach (var (prefix, ns) in RdfGraph.Prefixes) w.WriteString(prefix, ns);
            w.WriteEndObject();
            w.WriteStartArray("@graph");
            foreach (var (subject, properties) in graph.Subjects)
            {
                w.WriteStartObject();
                w.WriteString("@id", Id(subject));
                var types = properties.Where(p => p.Predicate == "rdf:type").Select(p => ((Iri)p.Object).Value).ToList();
                if (types.Count > 0)
                {
                    w.WriteStartArray("@type");
                    foreach (var t in types) w.WriteStringValue(t);
                    w.WriteEndArray();
                }
                foreach (var group in properties.Where(p => p.Predicate != "rdf:type").GroupBy(p => p.Predicate, StringComparer.Ordinal))
                {
                    w.WriteStartArray(group.Key);
                    foreach (var (_, obj) in group) Object(w, obj);
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void Object(Utf8JsonWriter w, RdfTerm obj)
    {
        w.WriteStartObject();
        switch (obj)
        {
            case Literal l:
                w.WriteString("@value", l.Value);
                if (l.Language is { } lang) w.WriteString("@language", lang);
                else if (l.Datatype is { } type) w.WriteString("@type", type);
                break;
            default:
                w.WriteString("@id", Id(obj));
                break;
        }
        w.WriteEndObject();
    }

    private static string Id(RdfTerm term) => term switch
    {
        Iri i => RdfGraph.Expand(i.Value),
        Blank b => "_:" + b.Id,
        _ => throw new ArgumentException("a literal cannot be a subject or reference", nameof(term)),
    };
}
