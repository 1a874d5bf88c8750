using System.Text.Json.Nodes;
using MedImaging.Metadata.Domain;
using MedImaging.ServiceDefaults.Hosting;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Metadata.Infrastructure;

/// <summary>Loads what the APIs work on (a set version with its elements, the classification scheme) and runs validation.</summary>
public sealed class MetadataCatalog(MetadataDbContext db, ServiceHostContext host)
{
    /// <summary>The scheme that classification codes and identifiers are read against (§4.9.2).</summary>
    public const string SchemeCode = "imaging";

    public async Task<(MetadataSet Set, MetadataSetVersion Version)?> FindVersionAsync(string setCode, int? version, CancellationToken ct)
    {
        var set = await db.MetadataSets.Include(s => s.Versions).FirstOrDefaultAsync(s => s.Code == setCode, ct);
        var target = version is { } n ? set?.Versions.FirstOrDefault(v => v.Version == n)
            : set?.Versions.FirstOrDefault(v => v.Status == MetadataSetVersionStatus.Active) ?? set?.Versions.MaxBy(v => v.Version);
        if (set is null || target is null) return null;
        await db.Entry(target).Collection(v => v.Elements).LoadAsync(ct);
        await db.Entry(target).Collection(v => v.Entities).LoadAsync(ct);
        return (set, target);
    }

    // Split: one query would return nodes × rules rows (about 250 × 150), read on every validation and classification.
    public async Task<ClassificationScheme> SchemeAsync(CancellationToken ct, string code = SchemeCode) =>
        await db.ClassificationSchemes.Include(s => s.Nodes).Include(s => s.DicomRules).AsSplitQuery().FirstOrDefaultAsync(s => s.Code == code, ct)
        ?? throw new InvalidOperationException($"Classification scheme '{code}' is not seeded.");

    public IdentifierRules Rules(ClassificationScheme scheme) =>
        new(host.RequiredNode.OidRoot, host.RequiredNode.AdministrativeCode, scheme);

    /// <summary>Issued, withdrawn or never issued, for identifiers of this node.</summary>
    public async Task<Dictionary<string, string>> SerialStatusAsync(IEnumerable<string> oids, CancellationToken ct)
    {
        var list = oids.Distinct().ToList();
        var known = await db.ResourceIdentifiers.Where(r => list.Contains(r.Oid)).ToListAsync(ct);
        return list.ToDictionary(o => o, o => known.FirstOrDefault(k => k.Oid == o) is { } k ? (k.WithdrawnAt is null ? "issued" : "withdrawn") : "not issued");
    }

    public async Task<ValidationReport> ValidateAsync(MetadataSet set, MetadataSetVersion version, JsonObject record, CancellationToken ct)
    {
        var scheme = await SchemeAsync(ct);
        var rules = Rules(scheme);
        // Identifier checks need the registry; load the rows for every string in the record under our root at once.
        var candidates = Strings(record).Where(s => s.StartsWith(rules.OidRoot + ".", StringComparison.Ordinal));
        var status = await SerialStatusAsync(candidates, ct);
        var validator = new RecordValidator(version, new ValueConformance(rules, scheme, oid => status.GetValueOrDefault(oid)));
        var problems = validator.Validate(record);
        return new ValidationReport(set.Code, version.Version, problems.Count == 0, problems);
    }

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Strings(p.Value)),
        JsonArray a => a.SelectMany(Strings),
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => [v.GetValue<string>()],
        _ => [],
    };
}
