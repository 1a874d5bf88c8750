using MedImaging.Contracts.Metadata;
using MedImaging.Metadata.Domain;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Metadata.Infrastructure;

/// <summary>
/// Tells the other services which metadata set versions are active (<see cref="MetadataSetVersionActivated"/>, through
/// the outbox): versions activated without an announcement (the seeded ones) once, and every active version again when a
/// service that started late asks (<see cref="AnnounceActiveMetadataSetVersions"/>). See docs/adr/0017.
/// </summary>
public sealed class ActiveVersionAnnouncer(MetadataDbContext db, IOutbox outbox, ServiceHostContext host)
{
    /// <summary>The provenance action that records an announcement of a version activated without one.</summary>
    public const string Announced = "announced";

    /// <summary>
    /// Stages an event for each active version that no announcement covers yet: a version activated through the API was
    /// announced with its activation; a seeded one (or one seeded before seeding announced) is announced here, once. The
    /// caller saves; the announcement is recorded in provenance in the same transaction, which is what makes a second
    /// seeding announce nothing.
    /// </summary>
    public async Task<int> AnnounceUnannouncedAsync(string actor, CancellationToken ct)
    {
        var active = await ActiveAsync(ct);
        var subjects = active.Select(a => Subject(a.Set.Code, a.Version.Version)).ToList();
        var covered = await db.Provenance.AsNoTracking()
            .Where(p => subjects.Contains(p.Subject) && (p.Action == "activated" || p.Action == Announced))
            .Select(p => p.Subject).Distinct().ToListAsync(ct);
        var due = active.Where(a => !covered.Contains(Subject(a.Set.Code, a.Version.Version))).ToList();
        foreach (var (set, version) in due)
        {
            outbox.Enqueue(Event(set, version));
            db.Record(actor, new ChangeReason("active version announced to the other services (it was activated without an event)", "seed"),
                Announced, Subject(set.Code, version.Version), Announced);
        }
        return due.Count;
    }

    /// <summary>Stages an event for every active version (a late service asked); the caller saves.</summary>
    public async Task<int> AnnounceAllAsync(CancellationToken ct)
    {
        var active = await ActiveAsync(ct);
        foreach (var (set, version) in active) outbox.Enqueue(Event(set, version));
        return active.Count;
    }

    // With the elements and entities: the announcement carries the version's schema (VersionFacts).
    private async Task<List<(MetadataSet Set, MetadataSetVersion Version)>> ActiveAsync(CancellationToken ct)
    {
        var versions = await db.MetadataSetVersions.AsNoTracking().AsSplitQuery().Include(v => v.Elements).Include(v => v.Entities)
            .Where(v => v.Status == MetadataSetVersionStatus.Active).ToListAsync(ct);
        var ids = versions.Select(v => v.MetadataSetId).ToList();
        var sets = await db.MetadataSets.AsNoTracking().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        return [.. versions.Select(v => (sets[v.MetadataSetId], v)).OrderBy(x => x.Item1.Code, StringComparer.Ordinal)];
    }

    // OccurredAt is the activation itself, not the announcement: consumers record when the version became active.
    private MetadataSetVersionActivated Event(MetadataSet set, MetadataSetVersion version) => new MetadataSetVersionActivated
    {
        OriginNode = host.RequiredNode.NodeId,
        OccurredAt = version.ActivatedAt ?? version.CreatedAt,
        MetadataSetId = set.Id,
        SetCode = set.Code,
        Version = version.Version,
        VersionId = version.Id,
        PreviousVersion = null,
        ActivatedBy = version.ActivatedBy ?? version.CreatedBy,
    }.WithSchema(set, version);

    private static string Subject(string code, int version) => $"set:{code}/v{version}";
}
