using MedImaging.Registration.Cataloguing;
using MedImaging.Registration.Domain;
using MedImaging.Registration.Infrastructure;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Hosting;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace MedImaging.Registration.Ingest;

/// <summary>
/// Classifies the entries ingest's writer could not classify from the memo (attributes the Metadata service was not asked
/// about in the last minutes), after the commit and before the request is answered: a prepared entry shows its
/// classification, auto-assigned with the mapping's rules, as soon as the adapter knows it is stored. The Metadata
/// service is asked with nothing locked; the entry is then locked, read again and changed in a short transaction. When
/// the Metadata service cannot be asked, the store still succeeds: the catalogue step classifies the entry.
/// </summary>
public sealed class IngestClassifier(RegistrationDbContext db, AutoCataloguer auto, IMetadataService metadata, ClassificationMemo memo,
    ServiceToken token, ServiceHostContext host, ILogger<IngestClassifier> logger)
{
    private const string LockSql = "SELECT *, xmin FROM " + RegistrationDbContext.Schema + ".resources WHERE id = {0} FOR UPDATE";

    public async Task ClassifyPendingAsync(IEnumerable<string?> studyInstanceUids, CancellationToken ct)
    {
        foreach (var uid in studyInstanceUids.OfType<string>().Distinct(StringComparer.Ordinal).Where(memo.TakePending))
        {
            if (memo.MetadataUnavailable) return;
            try
            {
                await ClassifyAsync(uid, ct);
            }
            catch (MetadataUnavailableException ex)
            {
                memo.NoteUnavailable();
                logger.LogWarning(ex, "Study {StudyInstanceUid} stored but not classified at ingest (Metadata unavailable; not asked again for 30 s); the catalogue step will classify it", uid);
            }
            catch (Exception ex) when (ex is MetadataRejectedException or DbUpdateException or NpgsqlException)
            {
                logger.LogWarning(ex, "Study {StudyInstanceUid} stored but not classified at ingest; the catalogue step will classify it", uid);
            }
        }
    }

    private async Task ClassifyAsync(string studyInstanceUid, CancellationToken ct)
    {
        var study = await db.Studies.AsNoTracking().SingleOrDefaultAsync(s => s.StudyInstanceUid == studyInstanceUid, ct);
        if (study is null) return;
        var descriptions = await db.Series.AsNoTracking().Where(s => s.StudyId == study.Id && s.InstanceCount > 0).Select(s => s.SeriesDescription).ToListAsync(ct);
        var entry = await db.Resources.AsNoTracking().SingleOrDefaultAsync(r => r.StudyId == study.Id, ct);
        if (entry is null) return;
        await memo.GetAsync(ClassifyInput.For(entry, study, descriptions), metadata, await token.GetAsync(ct), ct);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.LockEntriesAsync([entry.Id], ct);
        var resource = (await db.Resources.FromSqlRaw(LockSql, entry.Id).ToListAsync(ct)).Single();
        study = await db.Studies.AsNoTracking().SingleAsync(s => s.Id == study.Id, ct);
        // Instances that arrived meanwhile may have changed the attributes: their own request classifies the entry then.
        if (memo.Cached(ClassifyInput.For(resource, study, descriptions)) is not { } answer) return;
        resource.ApplyAutomatic(AutoCataloguer.Classification(resource, answer.Scheme, answer.Result, null));
        resource.ApplyAutomatic(auto.Local(resource, study));
        var problems = CatalogueRequirements.Check(resource, study, answer.Scheme, host.Node?.GatewayUrl);
        foreach (var kind in CatalogueRequirements.Kinds) resource.RecordProblems(kind, [.. problems.Where(p => p.Kind == kind)]);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }
}
