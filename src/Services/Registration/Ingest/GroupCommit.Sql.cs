using System.Text.Json;
using MedImaging.Contracts.Registration;
using MedImaging.Registration.Domain;
using MedImaging.Registration.Infrastructure.EntityConfigurations;
using MedImaging.ServiceDefaults.Messaging;
using Npgsql;

namespace MedImaging.Registration.Ingest;

// The two round trips of a group: read (locking the existing studies and their entries) and write (multi-row statements).
internal sealed partial class GroupCommit
{
    private const string S = "registration";

    private async Task LoadAsync(List<PreparedInstance> prepared, NpgsqlTransaction tx, CancellationToken ct)
    {
        var studyUids = prepared.Select(p => p.StudyInstanceUid).Distinct().ToArray();
        var seriesUids = prepared.Select(p => p.SeriesInstanceUid).Distinct().ToArray();
        var sops = prepared.Select(p => p.SopInstanceUid).Distinct().ToArray();
        var digests = prepared.Select(p => p.Phi?.Digest).OfType<string>().Distinct().ToArray();
        await using var batch = new NpgsqlBatch(connection, tx);
        // Locked first, in id order: one writer per study at a time (another replica's group waits here, not mid-way).
        Add(batch, $"""
            SELECT id, study_instance_uid, patient_pseudonym, accession_pseudonym, study_date, study_description, modalities, body_parts,
                   series_count, instance_count, total_size_bytes, online_resource_link, institution_code, source_adapter, first_received_at, last_updated_at,
                   contrast_bolus_agent, unmatched_institution_name
            FROM {S}.studies WHERE study_instance_uid = ANY($1) ORDER BY id FOR UPDATE
            """, (object)studyUids);
        Add(batch, $"""
            SELECT id, study_id, series_instance_uid, modality, body_part_examined, series_description, series_number, instance_count, total_size_bytes
            FROM {S}.series WHERE series_instance_uid = ANY($1)
            UNION
            SELECT s.id, s.study_id, s.series_instance_uid, s.modality, s.body_part_examined, s.series_description, s.series_number, s.instance_count, s.total_size_bytes
            FROM {S}.series s JOIN {S}.studies t ON t.id = s.study_id WHERE t.study_instance_uid = ANY($2)
            """, seriesUids, studyUids);
        // With the study that holds each instance (a clash names it) and every version's hash (ADR 0016); a fresh UID costs nothing more.
        Add(batch, $"""
            SELECT i.id, i.study_id, i.series_id, i.sop_instance_uid, i.sop_class_uid, i.current_version, i.content_hash, i.size_bytes, i.transfer_syntax_uid,
                   i.first_stored_at, i.last_stored_at, s.study_instance_uid,
                   (SELECT array_agg(v.content_hash ORDER BY v.version) FROM {S}.instance_versions v WHERE v.instance_id = i.id),
                   (SELECT array_agg(v.version ORDER BY v.version) FROM {S}.instance_versions v WHERE v.instance_id = i.id)
            FROM {S}.instances i JOIN {S}.studies s ON s.id = i.study_id WHERE i.sop_instance_uid = ANY($1)
            """, (object)sops);
        Add(batch, $"SELECT digest, id FROM {S}.phi_vault WHERE digest = ANY($1)", (object)digests);
        Add(batch, $"""
            SELECT r.id, r.study_id, r.kind, r.title, r.values::text, r.problems::text FROM {S}.resources r JOIN {S}.studies t ON t.id = r.study_id
            WHERE t.study_instance_uid = ANY($1) ORDER BY r.id FOR UPDATE OF r
            """, (object)studyUids);

        await using var r = await batch.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var study = new Study
            {
                Id = r.GetGuid(0), StudyInstanceUid = r.GetString(1), PatientPseudonym = Text(r, 2), AccessionPseudonym = Text(r, 3),
                StudyDate = r.IsDBNull(4) ? null : r.GetFieldValue<DateOnly>(4), StudyDescription = Text(r, 5),
                Modalities = [.. r.GetFieldValue<string[]>(6)], BodyParts = [.. r.GetFieldValue<string[]>(7)],
                SeriesCount = r.GetInt32(8), InstanceCount = r.GetInt32(9), TotalSizeBytes = r.GetInt64(10), OnlineResourceLink = Text(r, 11),
                InstitutionCode = Text(r, 12), SourceAdapter = r.GetString(13), FirstReceivedAt = r.GetFieldValue<DateTimeOffset>(14),
                LastUpdatedAt = r.GetFieldValue<DateTimeOffset>(15), ContrastBolusAgent = r.IsDBNull(16) ? null : r.GetBoolean(16), UnmatchedInstitutionName = Text(r, 17),
            };
            _studies[study.StudyInstanceUid] = study;
        }
        await r.NextResultAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var series = new Series
            {
                Id = r.GetGuid(0), StudyId = r.GetGuid(1), SeriesInstanceUid = r.GetString(2), Modality = Text(r, 3), BodyPartExamined = Text(r, 4),
                SeriesDescription = Text(r, 5), SeriesNumber = r.IsDBNull(6) ? null : r.GetInt32(6), InstanceCount = r.GetInt32(7), TotalSizeBytes = r.GetInt64(8),
            };
            _seriesByUid[series.SeriesInstanceUid] = series;
        }
        await r.NextResultAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var instance = new Instance
            {
                Id = r.GetGuid(0), StudyId = r.GetGuid(1), SeriesId = r.GetGuid(2), SopInstanceUid = r.GetString(3), SopClassUid = r.GetString(4),
                CurrentVersion = r.GetInt32(5), ContentHash = r.GetString(6), SizeBytes = r.GetInt64(7), TransferSyntaxUid = Text(r, 8),
                FirstStoredAt = r.GetFieldValue<DateTimeOffset>(9), LastStoredAt = r.GetFieldValue<DateTimeOffset>(10),
            };
            _instances[instance.SopInstanceUid] = instance;
            _heldIn[instance.Id] = r.GetString(11);
            var hashes = r.IsDBNull(12) ? [] : r.GetFieldValue<string[]>(12);
            var versions = r.IsDBNull(13) ? [] : r.GetFieldValue<int[]>(13);
            _held[instance.Id] = [.. hashes.Zip(versions)];
        }
        await r.NextResultAsync(ct);
        while (await r.ReadAsync(ct)) _phi[r.GetString(0)] = r.GetGuid(1);
        await r.NextResultAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var values = JsonSerializer.Deserialize<List<AssignedValue>>(r.GetString(4), ResourceEntityTypeConfiguration.Json) ?? [];
            var problems = JsonSerializer.Deserialize<List<CatalogueProblem>>(r.GetString(5), ResourceEntityTypeConfiguration.Json) ?? [];
            var resource = Resource.Stored(r.GetGuid(0), r.GetGuid(1), Enum.Parse<ResourceKind>(r.GetString(2)), values, r.GetString(3), problems);
            _resources[resource.StudyId!.Value] = resource;
        }
    }

    private async Task WriteAsync(IReadOnlyList<IngestUnit> units, List<IReadOnlyList<InstanceResult>> results, NpgsqlTransaction tx,
        DateTimeOffset now, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection, tx);
        // Foreign keys decide the order: batches, studies, series, vault, instances, versions, items, entries.
        AddBatchRows(batch, units, results, now);
        foreach (var s in _touchedStudies)
            Add(batch, $"""
                INSERT INTO {S}.studies (id, study_instance_uid, patient_pseudonym, accession_pseudonym, study_date, study_description, modalities,
                    body_parts, series_count, instance_count, total_size_bytes, online_resource_link, institution_code, source_adapter, first_received_at, last_updated_at,
                    contrast_bolus_agent, unmatched_institution_name)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
                ON CONFLICT (id) DO UPDATE SET patient_pseudonym = excluded.patient_pseudonym, accession_pseudonym = excluded.accession_pseudonym,
                    study_date = excluded.study_date, study_description = excluded.study_description, modalities = excluded.modalities,
                    body_parts = excluded.body_parts, series_count = excluded.series_count, instance_count = excluded.instance_count,
                    total_size_bytes = excluded.total_size_bytes, online_resource_link = excluded.online_resource_link,
                    institution_code = excluded.institution_code, last_updated_at = excluded.last_updated_at,
                    contrast_bolus_agent = excluded.contrast_bolus_agent, unmatched_institution_name = excluded.unmatched_institution_name
                """, s.Id, s.StudyInstanceUid, s.PatientPseudonym, s.AccessionPseudonym, s.StudyDate, s.StudyDescription, s.Modalities.ToArray(),
                s.BodyParts.ToArray(), s.SeriesCount, s.InstanceCount, s.TotalSizeBytes, s.OnlineResourceLink, s.InstitutionCode, s.SourceAdapter,
                s.FirstReceivedAt, s.LastUpdatedAt, s.ContrastBolusAgent, s.UnmatchedInstitutionName);
        foreach (var s in _touchedSeries)
            Add(batch, $"""
                INSERT INTO {S}.series (id, study_id, series_instance_uid, modality, body_part_examined, series_description, series_number, instance_count, total_size_bytes)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                ON CONFLICT (id) DO UPDATE SET modality = excluded.modality, body_part_examined = excluded.body_part_examined,
                    series_description = excluded.series_description, series_number = excluded.series_number,
                    instance_count = excluded.instance_count, total_size_bytes = excluded.total_size_bytes
                """, s.Id, s.StudyId, s.SeriesInstanceUid, s.Modality, s.BodyPartExamined, s.SeriesDescription, s.SeriesNumber, s.InstanceCount, s.TotalSizeBytes);
        foreach (var p in _sealed)
            Add(batch, $"INSERT INTO {S}.phi_vault (id, digest, key_id, nonce, tag, ciphertext, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                p.Id, p.Digest, p.KeyId, p.Nonce, p.Tag, p.Ciphertext, now);
        if (_touchedInstances.Count > 0)
        {
            var x = _touchedInstances.ToList();
            Add(batch, $"""
                INSERT INTO {S}.instances (id, study_id, series_id, sop_instance_uid, sop_class_uid, current_version, content_hash, size_bytes,
                    transfer_syntax_uid, first_stored_at, last_stored_at)
                SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::int[], $7::text[], $8::bigint[], $9::text[],
                    $10::timestamptz[], $11::timestamptz[])
                ON CONFLICT (id) DO UPDATE SET series_id = excluded.series_id, sop_class_uid = excluded.sop_class_uid,
                    current_version = excluded.current_version, content_hash = excluded.content_hash, size_bytes = excluded.size_bytes,
                    transfer_syntax_uid = excluded.transfer_syntax_uid, last_stored_at = excluded.last_stored_at
                """, Col(x, i => i.Id), Col(x, i => i.StudyId), Col(x, i => i.SeriesId), Col(x, i => i.SopInstanceUid), Col(x, i => i.SopClassUid),
                Col(x, i => i.CurrentVersion), Col(x, i => i.ContentHash), Col(x, i => i.SizeBytes), Col(x, i => i.TransferSyntaxUid),
                Col(x, i => i.FirstStoredAt), Col(x, i => i.LastStoredAt));
        }
        if (_versions.Count > 0)
        {
            var v = _versions;
            Add(batch, $"""
                INSERT INTO {S}.instance_versions (id, instance_id, version, content_hash, size_bytes, metadata, phi_record_id, patient_pseudonym, batch_id, stored_at)
                SELECT id, instance_id, version, content_hash, size_bytes, metadata::jsonb, phi_record_id, patient_pseudonym, batch_id, stored_at
                FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::text[], $5::bigint[], $6::text[], $7::uuid[], $8::text[], $9::uuid[], $10::timestamptz[])
                    AS v(id, instance_id, version, content_hash, size_bytes, metadata, phi_record_id, patient_pseudonym, batch_id, stored_at)
                """, Col(v, i => i.Id), Col(v, i => i.InstanceId), Col(v, i => i.Version), Col(v, i => i.ContentHash), Col(v, i => i.SizeBytes),
                Col(v, i => i.Metadata), Col(v, i => i.PhiRecordId), Col(v, i => i.PatientPseudonym), Col(v, i => i.BatchId), Col(v, i => i.StoredAt));
        }
        if (_items.Count > 0)
        {
            var t = _items;
            Add(batch, $"""
                INSERT INTO {S}.acquisition_items (id, batch_id, ordinal, sop_instance_uid, sop_class_uid, outcome, version, failure_reason, detail, size_bytes, at)
                SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[], $9::text[], $10::bigint[],
                    $11::timestamptz[])
                """, Col(t, i => i.Id), Col(t, i => i.BatchId), Col(t, i => i.Ordinal), Col(t, i => i.SopInstanceUid), Col(t, i => i.SopClassUid),
                Col(t, i => i.Outcome.ToString()), Col(t, i => i.Version), Col(t, i => (int?)i.FailureReason), Col(t, i => i.Detail), Col(t, i => i.SizeBytes),
                Col(t, i => i.At));
        }
        foreach (var (studyId, r) in _resources.Where(e => _touchedStudies.Any(s => s.Id == e.Key)))
            Add(batch, $"""
                INSERT INTO {S}.resources (id, study_id, kind, state, record_version, title, values, problems, created_at, updated_at,
                    security_classification, institution)
                VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $10::jsonb, $8, $9, $11, $12)
                ON CONFLICT (id) DO UPDATE SET title = excluded.title, values = excluded.values, problems = excluded.problems, updated_at = excluded.updated_at,
                    security_classification = excluded.security_classification, institution = excluded.institution
                """, r.Id, studyId, r.Kind.ToString(), r.State.ToString(), r.RecordVersion, r.Title,
                JsonSerializer.Serialize(r.Values, ResourceEntityTypeConfiguration.Json), r.CreatedAt, r.UpdatedAt,
                JsonSerializer.Serialize(r.Problems, ResourceEntityTypeConfiguration.Json), r.SecurityClassification, r.Institution);
        AddEvents(batch, units, results, now);
        await batch.ExecuteNonQueryAsync(ct);
    }

    // One StudyInstancesStored per study that got instances in this group, in the outbox in this transaction.
    private void AddEvents(NpgsqlBatch batch, IReadOnlyList<IngestUnit> units, List<IReadOnlyList<InstanceResult>> results, DateTimeOffset now)
    {
        var rows = _received.Select(e => OutboxMessage.For(new StudyInstancesStored
        {
            OriginNode = originNode, OccurredAt = now, StudyId = e.Key.Id, ResourceId = _resources[e.Key.Id].Id, StudyInstanceUid = e.Key.StudyInstanceUid,
            Stored = e.Value.Stored, NewVersions = e.Value.NewVersions, SeriesCount = e.Key.SeriesCount, InstanceCount = e.Key.InstanceCount,
            TotalSizeBytes = e.Key.TotalSizeBytes, Modalities = [.. e.Key.Modalities], BodyParts = [.. e.Key.BodyParts], StudyDate = e.Key.StudyDate,
            PatientPseudonym = e.Key.PatientPseudonym, OnlineResourceLink = e.Key.OnlineResourceLink, Adapters = [.. e.Value.Adapters], BatchIds = e.Value.Batches,
        }, e.Value.CorrelationId)).ToList();
        // Each request whose batch this group closes: its one ingest-batch audit record, in this transaction.
        for (var i = 0; i < units.Count; i++)
            if (units[i].Close is { Audit: { } audit } close)
                rows.Add(OutboxMessage.For(BatchAudit(audit, [.. close.Earlier, .. results[i]], close.Error), audit.CorrelationId));
        EventsStaged = rows.Count;
        if (rows.Count == 0) return;
        Add(batch, $"""
            INSERT INTO {S}.outbox_messages (id, message_type, body, correlation_id, created_at, attempts)
            SELECT id, message_type, body::jsonb, correlation_id, created_at, 0
            FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS m(id, message_type, body, correlation_id, created_at)
            """, Col(rows, m => m.Id), Col(rows, m => m.MessageType), Col(rows, m => m.Body), Col(rows, m => m.CorrelationId), Col(rows, m => m.CreatedAt));
    }

    // The batch rows: created by a request's first unit, closed (with the counts of all its units) by its last. A
    // request has one unit in the writer at a time, so a batch appears once per group.
    private static void AddBatchRows(NpgsqlBatch batch, IReadOnlyList<IngestUnit> units, List<IReadOnlyList<InstanceResult>> results, DateTimeOffset now)
    {
        var rows = units.Select((u, i) => (Unit: u, Results: u.Close is { } c ? [.. c.Earlier, .. results[i]] : results[i]))
            .GroupBy(x => x.Unit.Batch.Id).Select(g => g.FirstOrDefault(x => x.Unit.Close is not null, g.First())).ToList();
        string Status((IngestUnit Unit, IReadOnlyList<InstanceResult> Results) x)
            => (x.Unit.Close is { } c ? IngestUnit.Status(x.Results, c.Error) : AcquisitionStatus.Receiving).ToString();
        int Count((IngestUnit Unit, IReadOnlyList<InstanceResult> Results) x, Func<InstanceResult, bool> which)
            => x.Unit.Close is null ? 0 : x.Results.Count(which);
        Add(batch, $"""
            INSERT INTO {S}.acquisition_batches (id, adapter, channel, target_study_uid, status, received, stored, already_stored, rejected,
                received_bytes, error, started_at, completed_at)
            SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::int[], $9::int[],
                $10::bigint[], $11::text[], $12::timestamptz[], $13::timestamptz[])
            ON CONFLICT (id) DO UPDATE SET status = excluded.status, received = excluded.received, stored = excluded.stored,
                already_stored = excluded.already_stored, rejected = excluded.rejected, received_bytes = excluded.received_bytes,
                error = excluded.error, completed_at = excluded.completed_at
            WHERE excluded.completed_at IS NOT NULL
            """, Col(rows, x => x.Unit.Batch.Id), Col(rows, x => x.Unit.Batch.Adapter), Col(rows, x => x.Unit.Batch.Channel.ToString()),
            Col(rows, x => x.Unit.Batch.TargetStudyUid), Col(rows, Status), Col(rows, x => Count(x, _ => true)),
            Col(rows, x => Count(x, r => r.Outcome is InstanceOutcome.Stored or InstanceOutcome.NewVersion)),
            Col(rows, x => Count(x, r => r.Outcome == InstanceOutcome.AlreadyStored)), Col(rows, x => Count(x, r => r.Outcome == InstanceOutcome.Failed)),
            Col(rows, x => x.Unit.Close is null ? 0 : x.Results.Sum(r => r.SizeBytes)), Col(rows, x => x.Unit.Close?.Error),
            Col(rows, x => x.Unit.Batch.StartedAt), Col(rows, x => x.Unit.Close is null ? (DateTimeOffset?)null : now));
    }

    // An array argument alone must be cast to object, or C# passes it as the parameter list itself.
    private static void Add(NpgsqlBatch batch, string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var v in values) command.Parameters.Add(new NpgsqlParameter { Value = v ?? DBNull.Value });
        batch.BatchCommands.Add(command);
    }

    private static TValue[] Col<TRow, TValue>(IReadOnlyList<TRow> rows, Func<TRow, TValue> column)
    {
        var values = new TValue[rows.Count];
        for (var i = 0; i < values.Length; i++) values[i] = column(rows[i]);
        return values;
    }

    private static string? Text(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);
}
