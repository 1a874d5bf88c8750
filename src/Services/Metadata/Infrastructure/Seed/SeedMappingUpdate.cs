using MedImaging.Contracts.Audit;
using MedImaging.Contracts.Metadata;
using MedImaging.Metadata.Apis;
using MedImaging.Metadata.Domain;
using MedImaging.ServiceDefaults.Audit;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Metadata.Infrastructure.Seed;

/// <summary>
/// A node seeded from an older DICOM mapping file gets the current one, as long as nobody but the seed ever changed its
/// scheme (every revision by "seed"): an administrator's mapping is theirs and stays. The change is a revision like any
/// other, announced as <see cref="ClassificationSchemeChanged"/> so that Registration re-derives its entries (ADR 0009).
/// </summary>
internal static class SeedMappingUpdate
{
    public static async Task<bool> ApplyAsync(MetadataDbContext db, IOutbox outbox, IAuditTrail audit, ServiceHostContext host, string actor, CancellationToken ct)
    {
        var map = SeedFiles.Read<SeedFiles.MapSeed>(SeedFiles.DicomMap);
        var scheme = await db.ClassificationSchemes.Include(s => s.Nodes).Include(s => s.DicomRules).AsSplitQuery().SingleOrDefaultAsync(s => s.Code == map.Scheme, ct);
        if (scheme is null || await db.ClassificationSchemeRevisions.AnyAsync(r => r.SchemeId == scheme.Id && r.CreatedBy != actor, ct)) return false;
        static string Key(string attribute, string value, string code, string category) => $"{attribute}|{value.ToUpperInvariant()}|{code}|{category}";
        var seeded = map.Rules.Select(r => Key(r.Attribute, r.Value, r.Code, r.Category ?? "")).ToHashSet();
        if (seeded.SetEquals(scheme.DicomRules.Select(r => Key(r.Attribute, r.Value, r.Code, r.Category)))) return false;

        db.DicomClassificationRules.RemoveRange(scheme.DicomRules);
        await db.SaveChangesAsync(ct);
        var rules = map.Rules.Select(r => new DicomClassificationRule
        {
            SchemeId = scheme.Id, Attribute = r.Attribute, Value = r.Value, Code = r.Code, Level = DicomClassificationRule.LevelOf(r.Attribute), Category = r.Category ?? "",
        }).ToList();
        db.DicomClassificationRules.AddRange(rules);
        scheme.Touch(actor);
        db.ClassificationSchemeRevisions.Add(ClassificationSchemeRevision.Of(scheme, rules, "mapping-changed", $"seed file {SeedFiles.DicomMap}"));
        db.Record(actor, new ChangeReason("the seed's DICOM mapping changed and this node's mapping was never edited", "seed"), "seed",
            $"scheme:{scheme.Code}/mapping", "reseeded", new { rules = rules.Count });
        outbox.Enqueue(new ClassificationSchemeChanged
        {
            OriginNode = host.RequiredNode.NodeId, SchemeCode = scheme.Code, Revision = scheme.Revision, ChangeKind = "mapping-changed",
            Subject = $"seed file {SeedFiles.DicomMap}", ChangedBy = actor, Reason = "DICOM mapping of the seed files updated",
        });
        audit.Stage(SeedAudit.Event(host, AuditActions.ClassificationChange, MetadataAudit.ClassificationScheme, $"scheme:{scheme.Code}/mapping", scheme.Code,
            "mapping-reseeded", ("revision", scheme.Revision), ("dicomRules", rules.Count)));
        await db.SaveChangesAsync(ct);
        return true;
    }
}
