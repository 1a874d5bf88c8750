using MedImaging.Registration.Domain;
using E = MedImaging.Registration.Domain.MetadataElements;

namespace MedImaging.Registration.Cataloguing;

/// <summary>
/// What the Metadata service's DICOM mapping classifies a study by (<c>POST /classification/classify</c>): the entry's
/// modality, body part and study description (a cataloguer's correction included), the series descriptions and whether a
/// contrast agent was recorded. One builder for ingest, cataloguing and re-classification, so all three ask the same.
/// </summary>
public sealed record ClassifyInput(string? Modality, string? BodyPartExamined, string? StudyDescription,
    IReadOnlyList<string> SeriesDescriptions, bool? ContrastBolusAgent)
{
    /// <summary>Series descriptions sent at most: a keyword is in one of the first few distinct ones or in none.</summary>
    public const int MaxSeriesDescriptions = 16;

    public static ClassifyInput For(Resource resource, Study? study, IEnumerable<string?> seriesDescriptions)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return new(
            resource.Value(E.Modality)?.Replace(';', '\\'),
            resource.Value(E.BodyPartExamined)?.Split(';')[0],
            resource.Value(E.StudyDescription) ?? study?.StudyDescription,
            [.. seriesDescriptions.OfType<string>().Select(d => d.Trim()).Where(d => d.Length > 0).Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal).Take(MaxSeriesDescriptions)],
            study?.ContrastBolusAgent);
    }

    /// <summary>Equal inputs classify equally: the memo's key.</summary>
    public string Key => string.Join('\u001f', Modality, BodyPartExamined, StudyDescription, string.Join('\u001e', SeriesDescriptions), ContrastBolusAgent);
}
