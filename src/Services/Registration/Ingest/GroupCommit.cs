using System.Globalization;
using MedImaging.Registration.Cataloguing;
using MedImaging.Registration.Domain;
using MedImaging.Registration.Privacy;
using Npgsql;

namespace MedImaging.Registration.Ingest;

/// <summary>
/// Stores the units the writer took from its queue in one transaction: the touched studies are locked and everything
/// they need is read in one round trip; what becomes of each instance (stored, new version, already stored, failed) is
/// decided in order, in memory; the rows go back in a second round trip, the study aggregates and catalogue entries
/// once per study. See docs/adr/0008-ingest-throughput.md.
/// </summary>
internal sealed partial class GroupCommit(NpgsqlConnection connection, PhiVault vault, AutoCataloguer auto, string originNode, Uri? gateway = null)
{
    private readonly Dictionary<string, Study> _studies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Series> _seriesByUid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Instance> _instances = new(StringComparer.Ordinal);
    // Every version's content hash of the instances of the group (ADR 0016: compared with all of them, not the current
    // one only), and the Study Instance UID each instance is held in (for a clash's reason).
    private readonly Dictionary<Guid, List<(string Hash, int Version)>> _held = [];
    private readonly Dictionary<Guid, string> _heldIn = [];
    private readonly Dictionary<string, Guid> _phi = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, Resource> _resources = [];

    private readonly List<Study> _touchedStudies = [];
    private readonly HashSet<Series> _touchedSeries = [];
    private readonly HashSet<Instance> _touchedInstances = [];
    private readonly List<InstanceVersion> _versions = [];
    private readonly List<PhiRecord> _sealed = [];
    private readonly List<AcquisitionItem> _items = [];
    private readonly Dictionary<Study, Received> _received = [];

    // What this group stored in a study, for its StudyInstancesStored event.
    private sealed class Received
    {
        public int Stored;
        public int NewVersions;
        public readonly SortedSet<string> Adapters = new(StringComparer.Ordinal);
        public readonly List<Guid> Batches = [];
        public string? CorrelationId;
    }

    /// <summary>Events this group put in the outbox (after <see cref="RunAsync"/>).</summary>
    public int EventsStaged { get; private set; }

    /// <summary>Studies whose entries the classification memo could not classify (after <see cref="RunAsync"/>).</summary>
    public List<string> Unclassified { get; } = [];

    public async Task<IReadOnlyList<IReadOnlyList<InstanceResult>>> RunAsync(IReadOnlyList<IngestUnit> units, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        var prepared = units.SelectMany(u => u.Ops).Select(o => o.Instance).OfType<PreparedInstance>().ToList();
        if (prepared.Count > 0) await LoadAsync(prepared, tx, ct);
        var now = DateTimeOffset.UtcNow;
        var results = units.Select(u => (IReadOnlyList<InstanceResult>)Decide(u, now)).ToList();
        Aggregate(now);
        await WriteAsync(units, results, tx, now, ct);
        await tx.CommitAsync(ct);
        return results;
    }

    private List<InstanceResult> Decide(IngestUnit unit, DateTimeOffset now)
    {
        var results = new List<InstanceResult>(unit.Ops.Count);
        foreach (var op in unit.Ops)
        {
            var result = op.Instance is { } p ? Store(unit.Batch, p, now) : op.Failure!;
            results.Add(result);
            if (result.Outcome is InstanceOutcome.Stored or InstanceOutcome.NewVersion) Count(unit, result);
            _items.Add(new AcquisitionItem
            {
                BatchId = unit.Batch.Id, Ordinal = result.Ordinal, SopInstanceUid = result.SopInstanceUid, SopClassUid = result.SopClassUid,
                Outcome = result.Outcome, Version = result.Version, FailureReason = result.FailureReason, Detail = result.Detail,
                SizeBytes = result.SizeBytes, At = now,
            });
        }
        return results;
    }

    // The rules of one instance, as they were when each instance had its own transaction; earlier instances of the
    // same group are seen as if committed.
    private InstanceResult Store(AcquisitionBatch batch, PreparedInstance p, DateTimeOffset now)
    {
        InstanceResult Fail(string detail) => InstanceResult.Failed(p.Ordinal, StoreStatus.DataSetDoesNotMatchSopClass, detail, p.SizeBytes,
            p.SopClassUid, p.SopInstanceUid);
        var study = _studies.GetValueOrDefault(p.StudyInstanceUid);
        var instance = _instances.GetValueOrDefault(p.SopInstanceUid);
        if (instance is not null && (study is null || instance.StudyId != study.Id)) return Clash(p, instance);
        if (instance is not null && _held.GetValueOrDefault(instance.Id)?.FirstOrDefault(h => h.Hash == p.ContentHash) is { Hash: not null } same)
            return new InstanceResult(p.Ordinal, p.SopClassUid, p.SopInstanceUid, InstanceOutcome.AlreadyStored, same.Version, null,
                same.Version == instance.CurrentVersion ? "already stored with the same content"
                    : $"already stored with the same content as version {same.Version} (current version {instance.CurrentVersion} is kept)",
                p.InstanceLink, p.StudyInstanceUid, p.SizeBytes);
        var series = _seriesByUid.GetValueOrDefault(p.SeriesInstanceUid);
        if (series is not null && (study is null || series.StudyId != study.Id)) return Fail("this Series Instance UID belongs to another study");

        if (study is null)
        {
            // A study first seen now is seen whole: no contrast agent until an instance carries one.
            study = new Study { StudyInstanceUid = p.StudyInstanceUid, SourceAdapter = batch.Adapter, FirstReceivedAt = now, LastUpdatedAt = now, ContrastBolusAgent = false };
            _studies[study.StudyInstanceUid] = study;
        }
        if (series is null)
        {
            series = new Series { StudyId = study.Id, SeriesInstanceUid = p.SeriesInstanceUid };
            _seriesByUid[series.SeriesInstanceUid] = series;
        }
        series.Modality = p.Modality ?? series.Modality;
        series.BodyPartExamined = p.BodyPartExamined ?? series.BodyPartExamined;
        series.SeriesDescription = p.SeriesDescription ?? series.SeriesDescription;
        series.SeriesNumber = p.SeriesNumber ?? series.SeriesNumber;

        var outcome = instance is null ? InstanceOutcome.Stored : InstanceOutcome.NewVersion;
        if (instance is null)
        {
            instance = new Instance { StudyId = study.Id, SopInstanceUid = p.SopInstanceUid, SopClassUid = p.SopClassUid, ContentHash = p.ContentHash, FirstStoredAt = now };
            _instances[instance.SopInstanceUid] = instance;
            _heldIn[instance.Id] = study.StudyInstanceUid;
        }
        else if (_seriesByUid.Values.FirstOrDefault(s => s.Id == instance.SeriesId) is { } previous)
        {
            // The new version replaces the old one in the counts (of its old series, if it moved).
            previous.InstanceCount--;
            previous.TotalSizeBytes -= instance.SizeBytes;
            _touchedSeries.Add(previous);
        }
        series.InstanceCount++;
        series.TotalSizeBytes += p.SizeBytes;
        _touchedSeries.Add(series);

        instance.SeriesId = series.Id;
        instance.SopClassUid = p.SopClassUid;
        instance.ContentHash = p.ContentHash;
        instance.CurrentVersion++;
        instance.SizeBytes = p.SizeBytes;
        instance.TransferSyntaxUid = p.TransferSyntaxUid;
        instance.LastStoredAt = now;
        _touchedInstances.Add(instance);
        if (!_held.TryGetValue(instance.Id, out var held)) _held[instance.Id] = held = [];
        held.Add((p.ContentHash, instance.CurrentVersion));
        _versions.Add(new InstanceVersion
        {
            InstanceId = instance.Id, Version = instance.CurrentVersion, ContentHash = p.ContentHash, SizeBytes = p.SizeBytes, Metadata = p.Metadata,
            PhiRecordId = Vault(p.Phi), PatientPseudonym = p.PatientPseudonym, BatchId = batch.Id, StoredAt = now,
        });

        study.PatientPseudonym = p.PatientPseudonym ?? study.PatientPseudonym;
        study.AccessionPseudonym = p.AccessionPseudonym ?? study.AccessionPseudonym;
        study.StudyDate = p.StudyDate ?? study.StudyDate;
        study.StudyDescription = p.StudyDescription ?? study.StudyDescription;
        // The node's own link stands in only until the study has a link to where its data is.
        if (!p.LinkFromNode || study.OnlineResourceLink is null) study.OnlineResourceLink = p.StudyLink ?? study.OnlineResourceLink;
        study.InstitutionCode = p.InstitutionCode ?? study.InstitutionCode;
        if (p.ContrastBolusAgent) study.ContrastBolusAgent = true;
        if (p.InstitutionCode is not null) study.UnmatchedInstitutionName = null;
        else if (p.UnmatchedInstitutionName is not null && study.InstitutionCode is null) study.UnmatchedInstitutionName = p.UnmatchedInstitutionName;
        if (!_touchedStudies.Contains(study)) _touchedStudies.Add(study);
        return new InstanceResult(p.Ordinal, p.SopClassUid, p.SopInstanceUid, outcome, instance.CurrentVersion, null, null, p.InstanceLink,
            p.StudyInstanceUid, p.SizeBytes);
    }

    // A SOP Instance UID names one instance of one study (PS3.3 C.12.1.1.1): refused with 0111 Duplicate SOP Instance
    // (PS3.7 C.4; see docs/adr/0016-encoding-independent-identity.md) and a reason the hospital's IT staff can act on.
    private InstanceResult Clash(PreparedInstance p, Instance held)
    {
        var heldIn = _heldIn.GetValueOrDefault(held.Id) ?? "another study";
        var at = held.FirstStoredAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return InstanceResult.Failed(p.Ordinal, StoreStatus.DuplicateSopInstance,
            $"SOP Instance UID {p.SopInstanceUid} is already held in study {heldIn} (stored {at} UTC, " +
            $"version {held.CurrentVersion}); not stored again in study {p.StudyInstanceUid}. The sender reuses the UID for another instance, " +
            "or the instance was moved to another study in the PACS: correct the study there and have the moved instance withdrawn here, " +
            "or send it with a new SOP Instance UID.", p.SizeBytes, p.SopClassUid, p.SopInstanceUid);
    }

    private void Count(IngestUnit unit, InstanceResult result)
    {
        var study = _studies[result.StudyInstanceUid!];
        if (!_received.TryGetValue(study, out var received)) _received[study] = received = new Received { CorrelationId = unit.CorrelationId };
        if (result.Outcome == InstanceOutcome.Stored) received.Stored++;
        else received.NewVersions++;
        received.Adapters.Add(unit.Batch.Adapter);
        if (!received.Batches.Contains(unit.Batch.Id)) received.Batches.Add(unit.Batch.Id);
    }

    // Identical PHI is stored once: a vault row is sealed only for a digest the vault does not have yet.
    private Guid? Vault(SealablePhi? phi)
    {
        if (phi is null) return null;
        if (_phi.TryGetValue(phi.Digest, out var id)) return id;
        var record = vault.Seal(phi);
        _sealed.Add(record);
        _phi[phi.Digest] = record.Id;
        return record.Id;
    }

    /// <summary>Series and study aggregates and the catalogue entry, once per touched study (what StudyAggregator did per instance).</summary>
    private void Aggregate(DateTimeOffset now)
    {
        foreach (var study in _touchedStudies)
        {
            var counted = _seriesByUid.Values.Where(s => s.StudyId == study.Id && s.InstanceCount > 0).ToList();
            study.SeriesCount = counted.Count;
            study.InstanceCount = counted.Sum(s => s.InstanceCount);
            study.TotalSizeBytes = counted.Sum(s => s.TotalSizeBytes);
            study.Modalities = [.. counted.Select(s => s.Modality).OfType<string>().Where(m => m.Length > 0).Distinct().Order(StringComparer.Ordinal)];
            study.BodyParts = [.. counted.Select(s => s.BodyPartExamined).OfType<string>().Where(b => b.Length > 0).Distinct().Order(StringComparer.Ordinal)];
            study.LastUpdatedAt = now;

            if (!_resources.TryGetValue(study.Id, out var resource)) _resources[study.Id] = resource = new Resource { StudyId = study.Id };
            // New instances refresh the automatically assigned values whatever the state; a cataloguer's values stay.
            resource.ApplyAutomatic(auto.Local(resource, study));
            // Classified from the first moment, when the Metadata service's answer for these attributes is remembered;
            // otherwise right after the commit (IngestClassifier), before the request is answered.
            var descriptions = counted.Select(s => s.SeriesDescription).ToList();
            SchemeView? scheme = null;
            if (auto.FromMemo(resource, study, descriptions) is { } classified)
            {
                resource.ApplyAutomatic(classified.Values);
                resource.ApplyAutomatic(auto.Local(resource, study)); // security and charge rules may name the category
                scheme = classified.Scheme;
            }
            else Unclassified.Add(study.StudyInstanceUid);
            var problems = CatalogueRequirements.Check(resource, study, scheme, gateway);
            foreach (var kind in CatalogueRequirements.Kinds)
                if (kind != CatalogueRequirements.ClassificationKind || scheme is not null)
                    resource.RecordProblems(kind, [.. problems.Where(p => p.Kind == kind)]);
        }
    }
}
