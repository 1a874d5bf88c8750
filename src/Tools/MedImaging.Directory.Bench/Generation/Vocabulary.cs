using System.Text.Json;
using System.Text.Json.Serialization;
using MedImaging.TestSupport;

namespace MedImaging.Directory.Bench.Generation;

/// <summary>One concept as the dictionary file (src/Services/Directory/Concepts/concepts.json) writes it.</summary>
public sealed record Concept
{
    public required string Id { get; init; }
    public required string Kind { get; init; }
    public required string LabelZh { get; init; }
    public required string LabelEn { get; init; }
    public IReadOnlyList<string> SynonymsZh { get; init; } = [];
    public IReadOnlyList<string> SynonymsEn { get; init; } = [];
    public IReadOnlyList<string> Broader { get; init; } = [];
}

/// <summary>
/// The words synthetic entries are written with: anatomy and findings grouped by the 亚目 (body region) they belong to,
/// so that a chest study speaks of lungs and nodules and a knee study of menisci. Read from the concept dictionary
/// when it exists, so that concept search has something to find; else the built-in imaging vocabulary.
/// </summary>
public sealed class Vocabulary
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip };

    // The 亚目 codes of the classification scheme and the English words that place a concept in them (first match wins,
    // so the specific regions come before "neck" and "head").
    private static readonly (string Region, string[] Words)[] RegionWords =
    [
        ("8", ["breast", "mammar"]),
        ("5", ["spine", "spinal", "vertebra", "lumbar", "intervertebral", "disc herniation", "disk"]),
        ("7", ["heart", "cardiac", "coronary", "aorta", "aortic", "myocard", "pericard", "cardio", "valv"]),
        ("2", ["chest", "lung", "thorax", "thoracic", "pulmonary", "bronch", "pleura", "mediastin", "pneumo", "trachea"]),
        ("3", ["abdomen", "abdominal", "liver", "hepat", "kidney", "renal", "pancrea", "gallbladder", "cholecyst", "spleen", "stomach", "gastr", "bowel", "colon", "biliary", "append"]),
        ("4", ["pelvi", "prostat", "bladder", "uter", "ovar", "rect", "cervix", "cervical cancer"]),
        ("6", ["extremit", "knee", "shoulder", "hip", "joint", "bone", "wrist", "ankle", "elbow", "femur", "menisc", "ligament", "osteo", "fracture", "arthr"]),
        ("1", ["head", "brain", "cereb", "neck", "skull", "thyroid", "sinus", "orbit", "carotid", "intracran", "glioma", "stroke", "nasopharyn", "mening"]),
        ("9", ["whole body", "whole-body", "systemic", "metasta", "lymphoma", "lymph"]),
    ];

    private Vocabulary(string source, IReadOnlyList<Concept> concepts)
    {
        Source = source;
        var byId = concepts.GroupBy(c => c.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        Anatomy = Group(concepts.Where(c => c.Kind == "anatomy"), byId);
        Findings = Group(concepts.Where(c => c.Kind == "finding"), byId);
        Procedures = [.. concepts.Where(c => c.Kind == "procedure")];
        ModalityConcepts = concepts.Where(c => c.Kind == "modality").ToList();
        ConceptCount = concepts.Count;
    }

    /// <summary>Where the words came from: the dictionary file's path and version, or "built-in".</summary>
    public string Source { get; }
    public int ConceptCount { get; }

    /// <summary>Anatomy concepts by 亚目 code ("" for those no region claims: usable anywhere).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Concept>> Anatomy { get; }

    /// <summary>Finding concepts by 亚目 code, in dictionary order (the order sets the long tail of popularity).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Concept>> Findings { get; }
    public IReadOnlyList<Concept> Procedures { get; }
    public IReadOnlyList<Concept> ModalityConcepts { get; }

    /// <summary>The dictionary at <paramref name="path"/> (default: the Directory's concepts.json) when it exists, else the built-in words.</summary>
    public static Vocabulary Load(string? path = null)
    {
        path ??= Path.Combine(RepositoryRoot.Path, "src", "Services", "Directory", "Concepts", "concepts.json");
        if (!File.Exists(path)) return new Vocabulary("built-in imaging vocabulary (concepts.json not found)", BuiltInVocabulary.Concepts);
        var file = JsonSerializer.Deserialize<ConceptFile>(File.ReadAllText(path), Json)
            ?? throw new InvalidDataException($"{path}: not a concept dictionary");
        var usable = file.Concepts.Where(c => !string.IsNullOrWhiteSpace(c.LabelZh) && !string.IsNullOrWhiteSpace(c.LabelEn)).ToList();
        // A dictionary without findings or anatomy could not write a title: say so rather than write empty ones.
        if (!usable.Any(c => c.Kind == "finding") || !usable.Any(c => c.Kind == "anatomy"))
            throw new InvalidDataException($"{path}: has no finding or no anatomy concepts to write entries with");
        return new Vocabulary($"{Path.GetRelativePath(RepositoryRoot.Path, path)} version {file.Version ?? "?"}", usable);
    }

    /// <summary>Concepts of a region plus the region-free ones.</summary>
    public static IReadOnlyList<Concept> For(IReadOnlyDictionary<string, IReadOnlyList<Concept>> byRegion, string region)
    {
        var own = byRegion.GetValueOrDefault(region, []);
        var anywhere = byRegion.GetValueOrDefault("", []);
        return own.Count == 0 ? anywhere : own.Count >= 3 || anywhere.Count == 0 ? own : [.. own, .. anywhere];
    }

    private static Dictionary<string, IReadOnlyList<Concept>> Group(IEnumerable<Concept> concepts, Dictionary<string, Concept> byId) =>
        concepts.GroupBy(c => RegionOf(c, byId)).ToDictionary(g => g.Key, g => (IReadOnlyList<Concept>)[.. g], StringComparer.Ordinal);

    /// <summary>The 亚目 the concept or its nearest broader concept names in English; "" when none does.</summary>
    private static string RegionOf(Concept concept, Dictionary<string, Concept> byId)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var level = new List<Concept> { concept };
        while (level.Count > 0)
        {
            foreach (var c in level)
            {
                var words = string.Join(' ', [c.LabelEn, .. c.SynonymsEn]).ToLowerInvariant();
                foreach (var (region, keys) in RegionWords)
                    if (keys.Any(k => words.Contains(k, StringComparison.Ordinal))) return region;
            }
            level = [.. level.SelectMany(c => c.Broader).Where(seen.Add).Select(id => byId.GetValueOrDefault(id)).OfType<Concept>()];
        }
        return "";
    }

    private sealed record ConceptFile
    {
        public string? Version { get; init; }
        [JsonRequired] public List<Concept> Concepts { get; init; } = [];
    }
}
