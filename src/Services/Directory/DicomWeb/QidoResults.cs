using MedImaging.Contracts.Registration;
using MedImaging.Directory.Domain;

namespace MedImaging.Directory.DicomWeb;

/// <summary>One attribute of a result: its VR and values (strings, or numbers for IS); no values for a zero-length attribute.</summary>
public sealed record DicomValue(string Vr, IReadOnlyList<object> Values);

/// <summary>
/// Builds the result datasets from catalogue entries. Everything answered is what the entry carries; the patient
/// attributes hold no identity: PatientID and PatientName are the entry's patient pseudonym (Registration's keyed HMAC
/// digest of issuer and patient ID, 32 hex digits), PatientBirthDate and PatientSex are zero-length.
/// </summary>
public static class QidoResults
{
    /// <summary>UTF-8, so that Chinese names and descriptions come back as they were catalogued (PS3.5 Table C.12-4).</summary>
    public const string Utf8 = "ISO_IR 192";

    public static SortedDictionary<uint, DicomValue> Study(CatalogEntry e, IReadOnlySet<QidoElement> answered)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(answered);
        var ds = new SortedDictionary<uint, DicomValue> { [QidoAttributes.SpecificCharacterSet] = new("CS", [Utf8]) };
        foreach (var a in answered)
        {
            IReadOnlyList<object> values = a.Tag switch
            {
                QidoAttributes.StudyDate => e.StudyDate is { } d ? [d.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture)] : [],
                QidoAttributes.InstanceAvailability => [Retrieve(e) is null ? "UNAVAILABLE" : "ONLINE"],
                QidoAttributes.ModalitiesInStudy => [.. e.Modalities],
                QidoAttributes.InstitutionName => Text(e.InstitutionName),
                QidoAttributes.StudyDescription => Text(e.StudyDescription),
                QidoAttributes.RetrieveUrl => Retrieve(e) is { } url ? [url] : [],
                QidoAttributes.PatientName or QidoAttributes.PatientId => Text(e.PatientPseudonym),
                QidoAttributes.StudyInstanceUid => Text(e.StudyInstanceUid),
                QidoAttributes.NumberOfStudyRelatedSeries => [e.SeriesCount],
                QidoAttributes.NumberOfStudyRelatedInstances => [e.InstanceCount],
                _ => [],
            };
            // RetrieveURL only when there is somewhere to retrieve from (PS3.18: "if present").
            if (a.Tag == QidoAttributes.RetrieveUrl && values.Count == 0) continue;
            ds[a.Tag] = new DicomValue(a.Vr, values);
        }
        return ds;
    }

    public static SortedDictionary<uint, DicomValue> Series(CatalogEntry e, PublishedSeries s, IReadOnlySet<QidoElement> answered)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(answered);
        var ds = new SortedDictionary<uint, DicomValue>
        {
            [QidoAttributes.SpecificCharacterSet] = new("CS", [Utf8]),
            [QidoAttributes.StudyInstanceUid] = new("UI", Text(e.StudyInstanceUid)),
        };
        foreach (var a in answered)
        {
            IReadOnlyList<object> values = a.Tag switch
            {
                QidoAttributes.Modality => Text(s.Modality),
                QidoAttributes.SeriesDescription => Text(s.SeriesDescription),
                QidoAttributes.BodyPartExamined => Text(s.BodyPartExamined),
                QidoAttributes.SeriesInstanceUid => [s.SeriesInstanceUid],
                QidoAttributes.SeriesNumber => s.SeriesNumber is { } n ? [n] : [],
                QidoAttributes.NumberOfSeriesRelatedInstances => [s.InstanceCount],
                QidoAttributes.RetrieveUrl => Retrieve(e) is { } url && url.EndsWith("/studies/" + e.StudyInstanceUid, StringComparison.Ordinal)
                    ? [$"{url}/series/{s.SeriesInstanceUid}"] : [],
                _ => [],
            };
            if (a.Tag == QidoAttributes.RetrieveUrl && values.Count == 0) continue;
            ds[a.Tag] = new DicomValue(a.Vr, values);
        }
        return ds;
    }

    /// <summary>The entry's online resource link (§4.7.2.19) when it is an absolute http(s) URL a DICOMweb client can follow.</summary>
    public static string? Retrieve(CatalogEntry e) =>
        Uri.TryCreate(e?.OnlineResourceLink, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps)
            ? e!.OnlineResourceLink!.TrimEnd('/') : null;

    private static IReadOnlyList<object> Text(string? value) => string.IsNullOrEmpty(value) ? [] : [value];
}
