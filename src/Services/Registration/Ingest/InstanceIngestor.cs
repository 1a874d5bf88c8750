using System.Text;
using MedImaging.Dicom;
using MedImaging.Registration.Cataloguing;
using MedImaging.Registration.Domain;
using MedImaging.Registration.Infrastructure;
using MedImaging.Registration.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MedImaging.Registration.Ingest;

/// <summary>
/// Stores one instance in one transaction: PHI to the vault, de-identified metadata as a new instance version (or
/// nothing when the content hash is unchanged), series and study aggregates, the study's catalogue entry and the
/// acquisition log line. A failure rolls all of it back; the failure is then logged on its own.
/// </summary>
public sealed class InstanceIngestor(RegistrationDbContext db, PhiVault vault, Pseudonymizer pseudonyms, IOptions<IngestOptions> options,
    StudyAggregator aggregator, InstitutionRegistry institutions, ILogger<InstanceIngestor> logger)
{
    public async Task<InstanceResult> StoreAsync(AcquisitionBatch batch, int ordinal, IncomingInstance incoming, CancellationToken ct)
    {
        var ds = incoming.Dataset;
        var sopClass = ds.GetString(DicomTags.SOPClassUID);
        var sopInstance = ds.GetString(DicomTags.SOPInstanceUID);
        var studyUid = ds.GetString(DicomTags.StudyInstanceUID);
        var seriesUid = ds.GetString(DicomTags.SeriesInstanceUID);
        InstanceResult Fail(ushort reason, string detail) => InstanceResult.Failed(ordinal, reason, detail, incoming.SizeBytes, sopClass, sopInstance);

        var missing = new[] { ("(0008,0016) SOP Class UID", sopClass), ("(0008,0018) SOP Instance UID", sopInstance),
            ("(0020,000D) Study Instance UID", studyUid), ("(0020,000E) Series Instance UID", seriesUid) }
            .Where(x => string.IsNullOrWhiteSpace(x.Item2)).Select(x => x.Item1).ToList();
        if (missing.Count > 0) return await LogFailureAsync(batch, Fail(StoreStatus.DataSetDoesNotMatchSopClass, "missing " + string.Join(", ", missing)), ct);
        if (incoming.MediaStorageSopClassUid is { Length: > 0 } media && media != sopClass)
            return await LogFailureAsync(batch, Fail(StoreStatus.DataSetDoesNotMatchSopClass, $"file meta SOP class {media} differs from the dataset's {sopClass}"), ct);
        if (batch.TargetStudyUid is { } target && target != studyUid)
            return await LogFailureAsync(batch, Fail(StoreStatus.DataSetDoesNotMatchSopClass, $"Study Instance UID {studyUid} is not the study {target} of the request"), ct);

        var hash = pseudonyms.Digest("content", Encoding.UTF8.GetBytes(DicomJsonWriter.Serialize(Canonical(ds))));
        // The 负责方 is matched on InstitutionName before the split sends the name to the vault; only the code is kept.
        var institution = institutions.Match(ds.GetString(DicomTags.InstitutionName))?.Code;
        var split = PhiSplitter.Split(ds);
        var metadata = DicomJsonWriter.Serialize(split.Catalogue);
        var patient = pseudonyms.Patient(split.PatientId, split.Issuer);

        // Two attempts: a concurrent push of the same patient's PHI or of the same study can win a unique key race once.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StoreOnceAsync(batch, ordinal, incoming, hash, split, metadata, patient, institution, ct);
            }
            catch (DbUpdateException ex) when (attempt == 1 && ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                db.ChangeTracker.Clear();
            }
            catch (Exception ex) when (ex is DbUpdateException or NpgsqlException && !ct.IsCancellationRequested)
            {
                db.ChangeTracker.Clear();
                logger.LogError(ex, "Storing instance {Ordinal} of batch {BatchId} failed", ordinal, batch.Id);
                return await LogFailureAsync(batch, Fail(StoreStatus.ProcessingFailure, "processing failure while storing the instance"), ct);
            }
        }
    }

    private async Task<InstanceResult> StoreOnceAsync(AcquisitionBatch batch, int ordinal, IncomingInstance incoming, string hash,
        PhiSplitter.Result split, string metadata, string? patient, string? institution, CancellationToken ct)
    {
        var ds = incoming.Dataset;
        var sopClass = ds.GetString(DicomTags.SOPClassUID)!;
        var sopInstance = ds.GetString(DicomTags.SOPInstanceUID)!;
        var studyUid = ds.GetString(DicomTags.StudyInstanceUID)!;
        var seriesUid = ds.GetString(DicomTags.SeriesInstanceUID)!;

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // One writer per study at a time: the aggregates below are recomputed, not incremented.
        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(hashtextextended({0}, 0))", [studyUid], ct);

        var study = await db.Studies.SingleOrDefaultAsync(s => s.StudyInstanceUid == studyUid, ct);
        var instance = await db.Instances.SingleOrDefaultAsync(i => i.SopInstanceUid == sopInstance, ct);
        var link = StudyLink(ds, studyUid, batch.Adapter);
        string? InstanceLink() => link is null ? null : ds.GetString(DicomTags.RetrieveURL) is { Length: > 0 } ? link : $"{link}/series/{seriesUid}/instances/{sopInstance}";

        if (instance is not null && (study is null || instance.StudyId != study.Id))
            return await LogFailureAsync(batch, InstanceResult.Failed(ordinal, StoreStatus.DataSetDoesNotMatchSopClass,
                "this SOP Instance UID is already stored in another study", incoming.SizeBytes, sopClass, sopInstance), ct);
        if (instance is not null && instance.ContentHash == hash)
        {
            var same = new InstanceResult(ordinal, sopClass, sopInstance, InstanceOutcome.AlreadyStored, instance.CurrentVersion, null,
                "already stored with the same content", InstanceLink(), studyUid, incoming.SizeBytes);
            AddItem(batch, same);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            db.ChangeTracker.Clear();
            return same;
        }

        if (study is null)
        {
            study = new Study { StudyInstanceUid = studyUid, SourceAdapter = batch.Adapter };
            db.Studies.Add(study);
        }
        var series = await db.Series.SingleOrDefaultAsync(s => s.SeriesInstanceUid == seriesUid, ct);
        if (series is not null && series.StudyId != study.Id)
            return await LogFailureAsync(batch, InstanceResult.Failed(ordinal, StoreStatus.DataSetDoesNotMatchSopClass,
                "this Series Instance UID belongs to another study", incoming.SizeBytes, sopClass, sopInstance), ct);
        if (series is null)
        {
            series = new Series { StudyId = study.Id, SeriesInstanceUid = seriesUid };
            db.Series.Add(series);
        }
        series.Modality = ds.GetString(DicomTags.Modality) ?? series.Modality;
        series.BodyPartExamined = ds.GetString(DicomTags.BodyPartExamined) ?? series.BodyPartExamined;
        series.SeriesDescription = ds.GetString(DicomTags.SeriesDescription) ?? series.SeriesDescription;
        series.SeriesNumber = SafeInt(ds, DicomTags.SeriesNumber) ?? series.SeriesNumber;

        var phiId = await VaultAsync(split.Phi, ct);
        var outcome = instance is null ? InstanceOutcome.Stored : InstanceOutcome.NewVersion;
        if (instance is null)
        {
            instance = new Instance { StudyId = study.Id, SopInstanceUid = sopInstance, SopClassUid = sopClass, ContentHash = hash };
            db.Instances.Add(instance);
        }
        instance.SeriesId = series.Id;
        instance.SopClassUid = sopClass;
        instance.ContentHash = hash;
        instance.CurrentVersion++;
        instance.SizeBytes = incoming.SizeBytes;
        instance.TransferSyntaxUid = incoming.TransferSyntaxUid;
        instance.LastStoredAt = DateTimeOffset.UtcNow;
        db.InstanceVersions.Add(new InstanceVersion
        {
            InstanceId = instance.Id, Version = instance.CurrentVersion, ContentHash = hash, SizeBytes = incoming.SizeBytes,
            Metadata = metadata, PhiRecordId = phiId, PatientPseudonym = patient, BatchId = batch.Id,
        });

        study.PatientPseudonym = patient ?? study.PatientPseudonym;
        if (split.Accession is { Length: > 0 } accession) study.AccessionPseudonym = pseudonyms.Digest("accession", accession)[..32];
        study.StudyDate = StudyDate(ds) ?? study.StudyDate;
        study.StudyDescription = ds.GetString(DicomTags.StudyDescription) ?? study.StudyDescription;
        study.OnlineResourceLink = link ?? study.OnlineResourceLink;
        study.InstitutionCode = institution ?? study.InstitutionCode;
        await db.SaveChangesAsync(ct);
        await aggregator.RecomputeAsync(study, series, ct);

        var result = new InstanceResult(ordinal, sopClass, sopInstance, outcome, instance.CurrentVersion, null, null, InstanceLink(), studyUid, incoming.SizeBytes);
        AddItem(batch, result);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return result;
    }

    /// <summary>Logs a failed instance on its own (nothing of the instance itself was or will be committed).</summary>
    public async Task<InstanceResult> LogFailureAsync(AcquisitionBatch batch, InstanceResult failure, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        if (db.Database.CurrentTransaction is { } open) await open.RollbackAsync(ct);
        AddItem(batch, failure);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return failure;
    }

    private void AddItem(AcquisitionBatch batch, InstanceResult r) => db.AcquisitionItems.Add(new AcquisitionItem
    {
        BatchId = batch.Id, Ordinal = r.Ordinal, SopInstanceUid = r.SopInstanceUid, SopClassUid = r.SopClassUid, Outcome = r.Outcome,
        Version = r.Version, FailureReason = r.FailureReason, Detail = r.Detail, SizeBytes = r.SizeBytes,
    });

    private async Task<Guid?> VaultAsync(IReadOnlyDictionary<string, string[]> phi, CancellationToken ct)
    {
        if (phi.Count == 0) return null;
        var digest = vault.DigestOf(phi);
        var existing = await db.PhiRecords.Where(p => p.Digest == digest).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(ct);
        if (existing is not null) return existing;
        var record = vault.Seal(phi);
        db.PhiRecords.Add(record);
        return record.Id;
    }

    private string? StudyLink(DicomDataset ds, string studyUid, string adapter)
    {
        if (ds.GetString(DicomTags.RetrieveURL) is { Length: > 0 } url) return url;
        return options.Value.PacsBaseUrlFor(adapter) is { } pacs ? $"{pacs.AbsoluteUri.TrimEnd('/')}/studies/{studyUid}" : null;
    }

    // What "same content" means: every element but the file meta group and the pixel data (which is not kept).
    private static DicomDataset Canonical(DicomDataset ds)
    {
        var copy = ds.Clone();
        copy.RemoveAll(e => e.Tag.Group is 0x0002 or 0x7FE0 || e.Tag.IsGroupLength);
        return copy;
    }

    private static DateOnly? StudyDate(DicomDataset ds)
        => DateOnly.TryParseExact(ds.GetString(DicomTags.StudyDate)?.Trim(), "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.None, out var d) ? d : null;

    private static int? SafeInt(DicomDataset ds, DicomTag tag)
    {
        try { return ds.GetInt32(tag); }
        catch (FormatException) { return null; }
    }
}
