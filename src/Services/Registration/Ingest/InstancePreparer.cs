using System.Buffers;
using System.Globalization;
using MedImaging.Dicom;
using MedImaging.Registration.Cataloguing;
using MedImaging.Registration.Privacy;
using MedImaging.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;

namespace MedImaging.Registration.Ingest;

/// <summary>
/// One instance ready for the database: everything the write needs, worked out on the request's thread (content hash,
/// PHI split and vault digest, pseudonyms, de-identified metadata, links) so the single writer only decides and writes.
/// </summary>
public sealed record PreparedInstance(
    int Ordinal, long SizeBytes, string SopClassUid, string SopInstanceUid, string StudyInstanceUid, string SeriesInstanceUid,
    string? TransferSyntaxUid, string ContentHash, string Metadata, SealablePhi? Phi, string? PatientPseudonym, string? AccessionPseudonym,
    string? InstitutionCode, string? Modality, string? BodyPartExamined, string? SeriesDescription, int? SeriesNumber,
    DateOnly? StudyDate, string? StudyDescription, string? StudyLink, string? InstanceLink,
    bool ContrastBolusAgent = false, string? UnmatchedInstitutionName = null, bool LinkFromNode = false);

/// <summary>Checks and prepares instances of one request; a check that fails is the instance's failure result.</summary>
public sealed class InstancePreparer(PhiVault vault, Pseudonymizer pseudonyms, IOptions<IngestOptions> options, InstitutionRegistry institutions,
    ServiceHostContext host)
{
    // One canonical buffer per request thread, reused: Prepare writes and hashes it synchronously, so no other
    // instance can touch it in between, and ingest no longer allocates ~8 KB+ per instance for a value it only hashes.
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_canonical;

    public (PreparedInstance? Prepared, InstanceResult? Failure) Prepare(int ordinal, IncomingInstance incoming, string adapter, string? targetStudy)
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
        if (missing.Count > 0) return (null, Fail(StoreStatus.DataSetDoesNotMatchSopClass, "missing " + string.Join(", ", missing)));
        if (incoming.MediaStorageSopClassUid is { Length: > 0 } media && media != sopClass)
            return (null, Fail(StoreStatus.DataSetDoesNotMatchSopClass, $"file meta SOP class {media} differs from the dataset's {sopClass}"));
        if (targetStudy is not null && targetStudy != studyUid)
            return (null, Fail(StoreStatus.DataSetDoesNotMatchSopClass, $"Study Instance UID {studyUid} is not the study {targetStudy} of the request"));
        // Values the catalogue columns cannot hold fail here, alone, instead of failing the writer's whole group.
        if (TooLong(sopClass!, sopInstance!, studyUid!, seriesUid!, incoming.TransferSyntaxUid) is { } uid)
            return (null, Fail(StoreStatus.CannotUnderstand, $"UID '{uid}' is longer than 64 characters"));
        var modality = ds.GetString(DicomTags.Modality);
        var bodyPart = ds.GetString(DicomTags.BodyPartExamined);
        if (modality is { Length: > 16 }) return (null, Fail(StoreStatus.CannotUnderstand, $"(0008,0060) Modality '{modality}' is longer than 16 characters"));
        if (bodyPart is { Length: > 64 }) return (null, Fail(StoreStatus.CannotUnderstand, $"(0018,0015) Body Part Examined '{bodyPart}' is longer than 64 characters"));

        // Keyed (ADR 0007) over the canonical form (ADR 0016); the domain changed with the form, so no old hash can equal a new one.
        var canonical = t_canonical ??= new ArrayBufferWriter<byte>(8192);
        canonical.ResetWrittenCount();
        ContentHash.Write(ds, canonical);
        var hash = pseudonyms.Digest("content/canonical-1", canonical.WrittenSpan);
        if (canonical.Capacity > 1 << 20) t_canonical = null; // an unusually large header must not stay pinned to the thread
        // The 负责方 is matched on InstitutionName before the split sends the name to the vault; only the code is kept.
        var institutionName = ds.GetString(DicomTags.InstitutionName);
        var institution = institutions.Match(institutionName)?.Code;
        var split = PhiSplitter.Split(ds);
        var link = StudyLink(ds, studyUid!, adapter);
        var instanceLink = link is null ? null : ds.GetString(DicomTags.RetrieveURL) is { Length: > 0 } ? link : $"{link}/series/{seriesUid}/instances/{sopInstance}";
        var prepared = new PreparedInstance(ordinal, incoming.SizeBytes, sopClass!, sopInstance!, studyUid!, seriesUid!,
            incoming.TransferSyntaxUid, hash, DicomJsonWriter.Serialize(split.Catalogue),
            split.Phi.Count == 0 ? null : vault.Prepare(split.Phi),
            pseudonyms.Patient(split.PatientId, split.Issuer),
            split.Accession is { Length: > 0 } accession ? pseudonyms.Digest("accession", accession)[..32] : null,
            institution,
            modality, bodyPart,
            // Descriptions as the catalogue copy has them: cleaned of the patient's names and identifiers (ADR 0015).
            split.Catalogue.GetString(DicomTags.SeriesDescription), SafeInt(ds, DicomTags.SeriesNumber),
            StudyDate(ds), split.Catalogue.GetString(DicomTags.StudyDescription), link ?? NodeLink(studyUid!), instanceLink,
            !string.IsNullOrWhiteSpace(ds.GetString(DicomTags.ContrastBolusAgent)),
            institution is null && !string.IsNullOrWhiteSpace(institutionName) ? Truncate(institutionName.Trim(), 200) : null,
            link is null);
        return (prepared, null);
    }

    private string? StudyLink(DicomDataset ds, string studyUid, string adapter)
    {
        if (ds.GetString(DicomTags.RetrieveURL) is { Length: > 0 } url) return url;
        return options.Value.PacsBaseUrlFor(adapter, host.Node) is { } pacs ? $"{pacs.AbsoluteUri.TrimEnd('/')}/studies/{studyUid}" : null;
    }

    /// <summary>
    /// Without a Retrieve URL or a PACS base URL for the adapter, the study is still described here: the link is this node's
    /// DICOMweb query for it through the gateway (QIDO-RS, <c>/dicomweb/studies?StudyInstanceUID=…</c>), which answers with
    /// what the catalogue holds. Its pixel data cannot be fetched from this link; the entry says so (CatalogueRequirements).
    /// </summary>
    private string? NodeLink(string studyUid)
        => host.Node?.GatewayUrl is { } gateway ? new Uri(gateway, $"dicomweb/studies?StudyInstanceUID={Uri.EscapeDataString(studyUid)}").AbsoluteUri : null;

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];

    private static string? TooLong(params string?[] uids) => uids.FirstOrDefault(u => u is { Length: > 64 });

    private static DateOnly? StudyDate(DicomDataset ds)
        => DateOnly.TryParseExact(ds.GetString(DicomTags.StudyDate)?.Trim(), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static int? SafeInt(DicomDataset ds, DicomTag tag)
    {
        try { return ds.GetInt32(tag); }
        catch (FormatException) { return null; }
        catch (OverflowException) { return null; }
    }
}
