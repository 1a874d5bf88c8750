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
        var subjects = active.Select(a => Subject(a.Code, a.Version.Version)).ToList();
        var covered = await db.Provenance.AsNoTracking()
            .Where(p => subjects.Contains(p.Subject) && (p.Action == "activated" || p.Action == Announced))
            .Select(p => p.Subject).Distinct().ToListAsync(ct);
        var due = active.Where(a => !covered.Contains(Subject(a.Code, a.Version.Version))).ToList();
        foreach (var (code, setId, version) in due)
        {
            outbox.Enqueue(Event(code, setId, version));
            db.Record(actor, new ChangeReason("active version announced to the other services (it was activated without an event)", "seed"),
                Announced, Subject(code, version.Version), Announced);
        }
        return due.Count;
    }

    /// <summary>Stages an event for every active version (a late service asked); the caller saves.</summary>
    public async Task<int> AnnounceAllAsync(CancellationToken ct)
    {
        var active = await ActiveAsync(ct);
        foreach (var (code, setId, version) in active) outbox.Enqueue(Event(code, setId, version));
        return active.Count;
    }

    private async Task<List<(string Code, Guid SetId, MetadataSetVersion Version)>> ActiveAsync(CancellationToken ct)
        => (await db.MetadataSetVersions.AsNoTracking().Where(v => v.Status == MetadataSetVersionStatus.Active)
                .Join(db.MetadataSets, v => v.MetadataSetId, s => s.Id, (v, s) => new { s.Code, v })
                .OrderBy(x => x.Code).ToListAsync(ct))
            .Select(x => (x.Code, x.v.MetadataSetId, x.v)).ToList();

    // OccurredAt is the activation itself, not the announcement: consumers record when the version became active.
    private MetadataSetVersionActivated Event(string code, Guid setId, MetadataSetVersion version) => new()
    {
        OriginNode = host.RequiredNode.NodeId,
        OccurredAt = version.ActivatedAt ?? version.CreatedAt,
        MetadataSetId = setId,
        SetCode = code,
        Version = version.Version,
        VersionId = version.Id,
        PreviousVersion = null,
        ActivatedBy = version.ActivatedBy ?? version.CreatedBy,
    };

    private static string Subject(string code, int version) => $"set:{code}/v{version}";
}
