using MedImaging.Registration.Cataloguing;
using MedImaging.Registration.Domain;
using MedImaging.Registration.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Registration.Ingest;

/// <summary>
/// Recomputes a series' and its study's aggregates from the stored instances (counts, sizes, modalities, body parts)
/// and re-derives the study's catalogue entry. Runs inside the instance's transaction, under the study's lock.
/// </summary>
public sealed class StudyAggregator(RegistrationDbContext db, AutoCataloguer auto)
{
    public async Task RecomputeAsync(Study study, Series series, CancellationToken ct)
    {
        var seriesStats = await db.Instances.Where(i => i.SeriesId == series.Id)
            .GroupBy(_ => 1).Select(g => new { Count = g.Count(), Size = g.Sum(i => i.SizeBytes) }).SingleAsync(ct);
        series.InstanceCount = seriesStats.Count;
        series.TotalSizeBytes = seriesStats.Size;

        var allSeries = await db.Series.Where(s => s.StudyId == study.Id).ToListAsync(ct);
        var counted = allSeries.Where(s => s.InstanceCount > 0).ToList();
        study.SeriesCount = counted.Count;
        study.InstanceCount = counted.Sum(s => s.InstanceCount);
        study.TotalSizeBytes = counted.Sum(s => s.TotalSizeBytes);
        study.Modalities = [.. counted.Select(s => s.Modality).OfType<string>().Where(m => m.Length > 0).Distinct().Order(StringComparer.Ordinal)];
        study.BodyParts = [.. counted.Select(s => s.BodyPartExamined).OfType<string>().Where(b => b.Length > 0).Distinct().Order(StringComparer.Ordinal)];
        study.LastUpdatedAt = DateTimeOffset.UtcNow;

        var resource = await db.Resources.SingleOrDefaultAsync(r => r.StudyId == study.Id, ct);
        if (resource is null)
        {
            resource = new Resource { StudyId = study.Id };
            db.Resources.Add(resource);
        }
        // New instances refresh the automatically assigned values whatever the state; a cataloguer's values stay.
        resource.ApplyAutomatic(auto.Local(resource, study));
    }
}
