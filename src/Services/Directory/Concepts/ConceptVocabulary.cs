using System.Collections.Frozen;

namespace MedImaging.Directory.Concepts;

/// <summary>
/// The loaded, checked concept dictionary: concepts by id, narrower links (the inverse of broader), every label and
/// synonym normalised as the catalogue normalises text, and which concepts are a finding at a site (肺结节 = 结节 in 肺).
/// Immutable once built; one instance serves every query.
/// </summary>
public sealed class ConceptVocabulary
{
    private readonly FrozenDictionary<string, Concept> _byId;
    private readonly FrozenDictionary<string, string[]> _narrower;
    private readonly FrozenDictionary<string, string[]> _terms;
    private readonly Dictionary<string, string[]> _conceptsByTerm;
    private readonly Dictionary<string, string[]>.AlternateLookup<ReadOnlySpan<char>> _termLookup;
    private readonly FrozenDictionary<string, ConceptParts> _parts;

    public static readonly ConceptVocabulary Empty = new([], null);

    internal ConceptVocabulary(IReadOnlyList<Concept> concepts, string? version)
    {
        Version = version;
        Concepts = concepts;
        _byId = concepts.ToFrozenDictionary(c => c.Id, StringComparer.Ordinal);
        _narrower = concepts.SelectMany(c => c.Broader.Distinct(StringComparer.Ordinal).Select(b => (Broader: b, c.Id)))
            .GroupBy(x => x.Broader, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.Select(x => x.Id).ToArray(), StringComparer.Ordinal);
        _terms = concepts.ToFrozenDictionary(c => c.Id, c => c.Terms.Select(ConceptText.Normalize).Distinct(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
        // A term may name several concepts (a homonym); they are kept in file order.
        _conceptsByTerm = concepts.SelectMany(c => _terms[c.Id].Select(t => (Term: t, c.Id)))
            .GroupBy(x => x.Term, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Id).Distinct(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
        _termLookup = _conceptsByTerm.GetAlternateLookup<ReadOnlySpan<char>>();
        LongestTerm = _conceptsByTerm.Keys.Select(t => t.Length).DefaultIfEmpty(0).Max();
        _parts = concepts.Select(c => (c.Id, Parts: Composite(c))).Where(x => x.Parts is not null)
            .ToFrozenDictionary(x => x.Id, x => x.Parts!, StringComparer.Ordinal);
    }

    public string? Version { get; }

    public IReadOnlyList<Concept> Concepts { get; }

    /// <summary>Length of the longest normalised term, the farthest the matcher needs to look from one position.</summary>
    public int LongestTerm { get; }

    public Concept? Find(string id) => _byId.GetValueOrDefault(id);

    public IReadOnlyList<Concept> Narrower(string id) => [.. _narrower.GetValueOrDefault(id, []).Select(n => _byId[n])];

    public IReadOnlyList<Concept> Broader(string id) => _byId.TryGetValue(id, out var c) ? [.. c.Broader.Select(b => _byId[b])] : [];

    /// <summary>The concept's labels and synonyms, normalised, labels first.</summary>
    public IReadOnlyList<string> Terms(string id) => _terms.GetValueOrDefault(id, []);

    /// <summary>Every distinct normalised term with the concepts it names.</summary>
    public IEnumerable<KeyValuePair<string, string[]>> AllTerms => _conceptsByTerm;

    /// <summary>The concepts a normalised term names, or none.</summary>
    public string[] ConceptsNamed(ReadOnlySpan<char> term) => _termLookup.TryGetValue(term, out var ids) ? ids : [];

    /// <summary>The concepts and all their narrower concepts, transitively, nearest first (breadth first), each once.</summary>
    public IReadOnlyList<string> Closure(IEnumerable<string> roots)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var order = new List<string>();
        var level = roots.Where(r => _byId.ContainsKey(r) && seen.Add(r)).ToList();
        while (level.Count > 0)
        {
            order.AddRange(level);
            level = [.. level.SelectMany(id => _narrower.GetValueOrDefault(id, [])).Where(seen.Add)];
        }
        return order;
    }

    /// <summary>The finding and site a pre-coordinated concept is made of, or null when it is not one.</summary>
    public ConceptParts? Parts(string id) => _parts.GetValueOrDefault(id);

    /// <summary>
    /// A concept is a finding (or procedure) at a site when it has both an anatomy and a non-anatomy broader concept and
    /// one of its Chinese names is literally a name of the site followed by a name of the other (肺+结节, 脑+出血,
    /// 肺部+感染): that is how Chinese compounds these terms, and the test keeps concepts that merely sit under an organ
    /// (肺气肿 under 肺) whole. Such a concept is searched as its own terms or site AND finding, so that 右肺上叶结节
    /// is found as a pulmonary nodule although no synonym spells it.
    /// </summary>
    private ConceptParts? Composite(Concept c)
    {
        if (c.Kind == ConceptKinds.Anatomy) return null;
        var sites = c.Broader.Where(b => _byId[b].Kind == ConceptKinds.Anatomy).ToArray();
        var generics = c.Broader.Where(b => _byId[b].Kind != ConceptKinds.Anatomy).ToArray();
        if (sites.Length == 0 || generics.Length == 0) return null;
        var siteNames = sites.SelectMany(s => _byId[s].ChineseTerms.Select(ConceptText.Normalize)).ToArray();
        var genericNames = generics.SelectMany(g => _byId[g].ChineseTerms.Select(ConceptText.Normalize)).ToHashSet(StringComparer.Ordinal);
        var compound = c.ChineseTerms.Select(ConceptText.Normalize)
            .Any(name => siteNames.Any(site => name.Length > site.Length && name.StartsWith(site, StringComparison.Ordinal) && genericNames.Contains(name[site.Length..])));
        return compound ? new ConceptParts(sites, generics) : null;
    }
}

/// <summary>The anatomy (sites) and the finding or procedure (generics) a pre-coordinated concept is made of.</summary>
public sealed record ConceptParts(IReadOnlyList<string> Sites, IReadOnlyList<string> Generics);
