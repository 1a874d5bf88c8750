using MedImaging.Contracts.Registration;
using MedImaging.Registration.Domain;
using E = MedImaging.Registration.Domain.MetadataElements;

namespace MedImaging.Registration.Cataloguing;

/// <summary>
/// What the directory is told about a published entry: the event the publish step sends and, the same shape, each record
/// of the published-entries feed the directory rebuilds from. One projection, so the two never disagree.
/// </summary>
public static class PublishedRecord
{
    public static ResourcePublished From(Resource r, Study? study, IReadOnlyList<Series> series, string origin, string actor)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(series);
        string[] List(string element) => r.Value(element)?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        return new ResourcePublished
        {
            OriginNode = origin, ResourceId = r.Id, RecordVersion = r.RecordVersion, Actor = actor, ResourceIdentifier = r.ResourceIdentifier,
            Kind = r.Kind.ToString(), Title = r.Title, Keywords = List(E.Keyword), Abstract = r.Value(E.Abstract),
            Format = r.Value(E.DataFormat) ?? "DICOM", OnlineResourceLink = r.Value(E.OnlineResourceLink),
            SecurityClassification = r.SecurityClassification,
            Institution = r.Institution, InstitutionName = r.Value(E.OrganizationName),
            ClassificationCode = r.Value(E.CategoryCode),
            Modalities = study?.Modalities ?? [], BodyParts = study?.BodyParts ?? [], StudyDate = study?.StudyDate,
            StudyInstanceUid = study?.StudyInstanceUid, StudyDescription = study?.StudyDescription ?? r.Value(E.StudyDescription),
            SeriesCount = study?.SeriesCount ?? 0, InstanceCount = study?.InstanceCount ?? 0, TotalSizeBytes = study?.TotalSizeBytes ?? 0,
            PatientPseudonym = study?.PatientPseudonym,
            Values = r.Values.ToDictionary(v => v.Element, v => v.Value, StringComparer.Ordinal),
            Series = [.. series.OrderBy(s => s.SeriesNumber ?? int.MaxValue).ThenBy(s => s.SeriesInstanceUid, StringComparer.Ordinal).Select(s => new PublishedSeries
            {
                SeriesInstanceUid = s.SeriesInstanceUid, Modality = s.Modality, BodyPartExamined = s.BodyPartExamined,
                SeriesDescription = s.SeriesDescription, SeriesNumber = s.SeriesNumber, InstanceCount = s.InstanceCount,
            })],
        };
    }
}
