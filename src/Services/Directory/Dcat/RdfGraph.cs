namespace MedImaging.Directory.Dcat;

/// <summary>An RDF term: an IRI (full, or a prefixed name of a known prefix), a blank node, or a literal.</summary>
public abstract record RdfTerm;

public sealed record Iri(string Value) : RdfTerm;

public sealed record Blank(string Id) : RdfTerm;

/// <summary>A literal with a language tag (<c>@zh</c>) or a datatype (prefixed, e.g. <c>xsd:dateTime</c>), or plain.</summary>
public sealed record Literal(string Value, string? Language = null, string? Datatype = null) : RdfTerm;

/// <summary>
/// The few triples an export carries, kept in insertion order per subject so that both serialisations list a dataset's
/// properties the same way. Small on purpose: the writers are all the RDF this service needs (the package list this
/// project draws from has no RDF library for .NET; ADR 0028).
/// </summary>
public sealed class RdfGraph
{
    private readonly Dictionary<RdfTerm, List<(string Predicate, RdfTerm Object)>> _subjects = [];
    private readonly List<RdfTerm> _order = [];
    private int _blanks;

    public static readonly IReadOnlyDictionary<string, string> Prefixes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["dcat"] = "http://www.w3.org/ns/dcat#",
        ["dct"] = "http://purl.org/dc/terms/",
        ["foaf"] = "http://xmlns.com/foaf/0.1/",
        ["vcard"] = "http://www.w3.org/2006/vcard/ns#",
        ["skos"] = "http://www.w3.org/2004/02/skos/core#",
        ["xsd"] = "http://www.w3.org/2001/XMLSchema#",
        ["hydra"] = "http://www.w3.org/ns/hydra/core#",
        ["healthdcatap"] = "http://healthdataportal.eu/ns/health#",
        ["rdf"] = "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    };

    public IEnumerable<(RdfTerm Subject, IReadOnlyList<(string Predicate, RdfTerm Object)> Properties)> Subjects =>
        _order.Select(s => (s, (IReadOnlyList<(string, RdfTerm)>)_subjects[s]));

    public Blank NewBlank() => new($"b{++_blanks}");

    /// <summary>Adds a triple; a null object adds nothing (an element the entry does not have).</summary>
    public RdfGraph Add(RdfTerm subject, string predicate, RdfTerm? obj)
    {
        if (obj is null || obj is Literal { Value.Length: 0 }) return this;
        if (!_subjects.TryGetValue(subject, out var list))
        {
            _subjects[subject] = list = [];
            _order.Add(subject);
        }
        if (!list.Contains((predicate, obj))) list.Add((predicate, obj));
        return this;
    }

    public RdfGraph Type(RdfTerm subject, string type) => Add(subject, "rdf:type", new Iri(type));

    /// <summary>A prefixed name's full IRI; any other IRI as is.</summary>
    public static string Expand(string iri)
    {
        var colon = iri.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && Prefixes.TryGetValue(iri[..colon], out var ns) && !iri.Contains("//", StringComparison.Ordinal) ? ns + iri[(colon + 1)..] : iri;
    }
}
