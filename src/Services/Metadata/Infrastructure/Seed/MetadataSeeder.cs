using MedImaging.Contracts.Audit;
using MedImaging.Metadata.Apis;
using MedImaging.Metadata.Domain;
using MedImaging.ServiceDefaults.Audit;
using MedImaging.ServiceDefaults.Hosting;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Metadata.Infrastructure.Seed;

/// <summary>
/// Loads the seed files once the schema exists: the basic metadata set (§4.7.2), the DICOM extension set and the
/// imaging classification scheme with its DICOM mapping. Idempotent: whatever already exists (by code) is left as an
/// administrator may have edited it. Active versions nobody announced yet (the seeded ones) are then announced through
/// the outbox (<see cref="ActiveVersionAnnouncer"/>), once: Registration and Directory learn them as they learn an
/// activation through the API.
/// </summary>
internal sealed class MetadataSeeder(IServiceScopeFactory scopes, ILogger<MetadataSeeder> logger) : IHostedService
{
    private const string Actor = SeedAudit.Actor;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MetadataDbContext>();
        var audit = scope.ServiceProvider.GetRequiredService<IAuditTrail>();
        var host = scope.ServiceProvider.GetRequiredService<ServiceHostContext>();
        if ((await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any())
        {
            logger.LogWarning("Metadata schema not migrated yet; seeding skipped until the next start");
            return;
        }
        try
        {
            foreach (var file in SeedFiles.Sets) await SeedSetAsync(db, audit, host, SeedFiles.Read<SeedFiles.SetSeed>(file), cancellationToken);
            await SeedSchemeAsync(db, audit, host, cancellationToken);
            await using (var tx = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                if (await SeedMappingUpdate.ApplyAsync(db, scope.ServiceProvider.GetRequiredService<ServiceDefaults.Messaging.IOutbox>(), audit, host, Actor, cancellationToken))
                    logger.LogInformation("The classification scheme's DICOM mapping follows the updated seed file (never edited on this node)");
                await tx.CommitAsync(cancellationToken);
            }
            await AnnounceAsync(db, scope.ServiceProvider.GetRequiredService<ActiveVersionAnnouncer>(), cancellationToken);
        }
        catch (DbUpdateException ex)
        {
            // Another replica seeded concurrently; its rows are the same files.
            logger.LogInformation(ex, "Seeding raced with another host; keeping its rows");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Its own transaction, after the seeding ones: a start that stopped in between announces at the next start. Replicas
    // starting together take turns on an advisory lock, so the second finds the provenance entry and announces nothing.
    private async Task AnnounceAsync(MetadataDbContext db, ActiveVersionAnnouncer announcer, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(hashtext('metadata-announce-active-versions'))", ct);
        var announced = await announcer.AnnounceUnannouncedAsync(Actor, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        if (announced > 0) logger.LogInformation("Announced {Count} active metadata set version(s) activated without an event (seeded)", announced);
    }

    private static async Task SeedSetAsync(MetadataDbContext db, IAuditTrail audit, ServiceHostContext host, SeedFiles.SetSeed seed, CancellationToken ct)
    {
        if (await db.MetadataSets.AnyAsync(s => s.Code == seed.Code, ct)) return;
        var entities = new List<EntityDefinition>();
        var elements = new List<ElementDefinition>();
        if (seed.Includes is { } included)
        {
            // An extension set carries the basic elements too, so one record validates against one version.
            var basis = await db.MetadataSetVersions.Include(v => v.Entities).Include(v => v.Elements)
                .Where(v => v.Status == MetadataSetVersionStatus.Active && db.MetadataSets.Any(s => s.Id == v.MetadataSetId && s.Code == included))
                .SingleAsync(ct);
            entities.AddRange(basis.Entities.OrderBy(e => e.Order).Select(EntityDefinition.From));
            elements.AddRange(basis.Elements.OrderBy(e => e.Order).Select(ElementDefinition.From));
        }
        entities.AddRange(seed.Entities);
        elements.AddRange(seed.Elements);

        var set = new MetadataSet { Code = seed.Code, NameZh = seed.NameZh, NameEn = seed.NameEn, CreatedBy = Actor };
        var version = new MetadataSetVersion { MetadataSetId = set.Id, Version = 1, ChangeNote = seed.ChangeNote, Source = seed.Source, CreatedBy = Actor };
        version.Entities.AddRange(entities.Select((e, i) => e.ToEntity(version.Id, i)));
        version.Elements.AddRange(elements.Select((e, i) => e.ToElement(version.Id, i)));
        version.Activate(Actor);
        set.Versions.Add(version);
        db.MetadataSets.Add(set);
        db.Record(Actor, new ChangeReason(seed.ChangeNote, seed.Source), "seed", $"set:{seed.Code}/v1", "seeded",
            new { entities = entities.Count, elements = elements.Count });
        audit.Stage(SeedAudit.Event(host, AuditActions.MetadataSchemaChange, MetadataAudit.SetVersion, $"set:{seed.Code}/v1", $"{seed.Code}/v1", "seeded",
            ("version", 1), ("entities", entities.Count), ("elements", elements.Count)));
        await db.SaveChangesAsync(ct);
    }

    private static async Task SeedSchemeAsync(MetadataDbContext db, IAuditTrail audit, ServiceHostContext host, CancellationToken ct)
    {
        var seed = SeedFiles.Read<SeedFiles.SchemeSeed>(SeedFiles.Scheme);
        if (await db.ClassificationSchemes.AnyAsync(s => s.Code == seed.Code, ct)) return;
        var scheme = new ClassificationScheme { Code = seed.Code, NameZh = seed.NameZh, NameEn = seed.NameEn };
        void Add(SeedFiles.NodeSeed node, string? parent, ClassificationLevel level)
        {
            var full = parent is null ? node.Code : $"{parent}.{node.Code}";
            scheme.Nodes.Add(new ClassificationNode
            {
                SchemeId = scheme.Id, Code = node.Code, FullCode = full, ParentCode = parent, Level = level, NameZh = node.NameZh, NameEn = node.NameEn,
            });
            foreach (var child in node.Children ?? []) Add(child, full, level + 1);
        }
        foreach (var category in seed.Categories) Add(category, null, ClassificationLevel.Category);

        var map = SeedFiles.Read<SeedFiles.MapSeed>(SeedFiles.DicomMap);
        scheme.DicomRules.AddRange(map.Rules.Select(r => new DicomClassificationRule
        {
            SchemeId = scheme.Id, Attribute = r.Attribute, Value = r.Value, Code = r.Code, Level = DicomClassificationRule.LevelOf(r.Attribute), Category = r.Category ?? "",
        }));
        db.ClassificationSchemes.Add(scheme);
        db.ClassificationSchemeRevisions.Add(ClassificationSchemeRevision.Of(scheme, scheme.DicomRules, "seeded", $"scheme:{seed.Code}"));
        db.Record(Actor, new ChangeReason(seed.Remarks, seed.Source), "seed", $"scheme:{seed.Code}", "seeded",
            new { nodes = scheme.Nodes.Count, dicomRules = scheme.DicomRules.Count });
        audit.Stage(SeedAudit.Event(host, AuditActions.ClassificationChange, MetadataAudit.ClassificationScheme, $"scheme:{seed.Code}", seed.Code, "seeded",
            ("revision", scheme.Revision), ("nodes", scheme.Nodes.Count), ("dicomRules", scheme.DicomRules.Count)));
        await db.SaveChangesAsync(ct);
    }
}
