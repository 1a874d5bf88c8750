namespace MedImaging.Registration.Domain;

/// <summary>Names of the values an entry carries: basic metadata of §4.7.2 and the imaging extension elements.</summary>
public static class MetadataElements
{
    public const string ResourceName = "resourceName";              // §4.7.2.2
    public const string Keywords = "keywords";                      // §4.7.2.8
    public const string Abstract = "abstract";                      // §4.7.2.9
    public const string Format = "format";                          // §4.7.2.17
    public const string OnlineResourceLink = "onlineResourceLink";  // §4.7.2.19
    public const string Modality = "modality";
    public const string BodyPart = "bodyPart";
    public const string StudyDate = "studyDate";
    public const string SeriesCount = "seriesCount";
    public const string InstanceCount = "instanceCount";
    public const string TotalSize = "totalSizeBytes";
}
