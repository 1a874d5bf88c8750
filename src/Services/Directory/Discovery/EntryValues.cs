using System.Globalization;
using MedImaging.Directory.Domain;

namespace MedImaging.Directory.Discovery;

/// <summary>
/// An entry's metadata values keyed by element id (the ids of the Metadata service's sets, §4.7.2 and the DICOM
/// extension), repeating values as one text with ';' between occurrences, as Registration keeps them. The values the
/// publication carried come first; where it carried none for an element the read model has a column for (an entry
/// replicated from a node whose publication had no values), the column's value stands in.
/// </summary>
public static class EntryValues
{
    public const string ResourceId = "resourceId";
    public const string ResourceTitle = "resourceTitle";
    public const string ResourceCategory = "resourceCategory";
    public const string CategoryName = "categoryName";
    public const string CategoryCode = "categoryCode";
    public const string Keyword = "keyword";
    public const string Abstract = "abstract";
    public const string PointOfContact = "pointOfContact";
    public const string OrganizationName = "organizationName";
    public const string OrganizationCode = "organizationCode";
    public const string DataFormat = "dataFormat";
    public const string SecurityClassification = "securityClassification";
    public const string OnlineResourceLink = "onlineResourceLink";
    public const string Modality = "modality";
    public const string BodyPartExamined = "bodyPartExamined";
    public const string StudyDate = "studyDate";
    public const string StudyInstanceUid = "studyInstanceUid";
    public const string StudyDescription = "studyDescription";
    public const string NumberOfSeries = "numberOfSeries";
    public const string NumberOfInstances = "numberOfInstances";
    public const string TotalSize = "totalSize";

    public static IReadOnlyDictionary<string, string> Of(CatalogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var values = new Dictionary<string, string>(entry.Values, StringComparer.Ordinal);
        void Column(string element, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value) && !values.ContainsKey(element)) values[element] = value;
        }
        Column(ResourceId, entry.ResourceIdentifier);
        Column(ResourceTitle, entry.Title);
        Column(CategoryCode, entry.ClassificationCode);
        Column(Keyword, string.Join(';', entry.Keywords));
        Column(Abstract, entry.Abstract);
        Column(OrganizationName, entry.InstitutionName);
        Column(OrganizationCode, entry.Institution);
        Column(DataFormat, entry.Format);
        Column(SecurityClassification, entry.SecurityClassification);
        Column(OnlineResourceLink, entry.OnlineResourceLink);
        Column(Modality, string.Join(';', entry.Modalities));
        Column(BodyPartExamined, string.Join(';', entry.BodyParts));
        Column(StudyDate, entry.StudyDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Column(StudyInstanceUid, entry.StudyInstanceUid);
        Column(StudyDescription, entry.StudyDescription);
        if (entry.SeriesCount > 0) Column(NumberOfSeries, entry.SeriesCount.ToString(CultureInfo.InvariantCulture));
        if (entry.InstanceCount > 0) Column(NumberOfInstances, entry.InstanceCount.ToString(CultureInfo.InvariantCulture));
        if (entry.TotalSizeBytes > 0) Column(TotalSize, entry.TotalSizeBytes.ToString(CultureInfo.InvariantCulture));
        return values;
    }

    /// <summary>The occurrences of a value held as one text.</summary>
    public static string[] Occurrences(string text) => text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
