namespace MedImaging.Registration.Domain;

/// <summary>
/// The element ids an entry's values are keyed by: the §4.7.2 basic set and the DICOM extension set exactly as the
/// Metadata service defines them (its Seed/basic-elements.json and dicom-extension.json), so a record goes to
/// <c>POST /validation</c> as is.
/// </summary>
public static class MetadataElements
{
    public const string BasicSet = "basic-metadata";
    public const string DicomSet = "dicom-imaging";

    public const string ResourceId = "resourceId";                          // §4.7.2.1
    public const string ResourceTitle = "resourceTitle";                    // §4.7.2.2
    public const string ResourceCategory = "resourceCategory";              // §4.7.2.3 (entity)
    public const string CategorySchemeName = "categorySchemeName";          // §4.7.2.4
    public const string CategorySchemeCode = "categorySchemeCode";          // §4.7.2.5
    public const string CategoryName = "categoryName";                      // §4.7.2.6
    public const string CategoryCode = "categoryCode";                      // §4.7.2.7
    public const string Keyword = "keyword";                                // §4.7.2.8
    public const string Abstract = "abstract";                              // §4.7.2.9
    public const string PointOfContact = "pointOfContact";                  // §4.7.2.10 (entity)
    public const string OrganizationName = "organizationName";              // §4.7.2.11
    public const string OrganizationCode = "organizationCode";              // §4.7.2.12
    public const string ElectronicMailAddress = "electronicMailAddress";    // §4.7.2.13
    public const string ContactNumber = "contactNumber";                    // §4.7.2.14
    public const string ContactAddress = "contactAddress";                  // §4.7.2.15
    public const string ZipCode = "zipCode";                                // §4.7.2.16
    public const string DataFormat = "dataFormat";                          // §4.7.2.17
    public const string SecurityClassification = "securityClassification";  // §4.7.2.18
    public const string OnlineResourceLink = "onlineResourceLink";          // §4.7.2.19
    public const string ChargeSign = "chargeSign";                          // §4.7.2.20

    public const string Modality = "modality";
    public const string BodyPartExamined = "bodyPartExamined";
    public const string StudyDate = "studyDate";
    public const string StudyInstanceUid = "studyInstanceUid";
    public const string NumberOfSeries = "numberOfSeries";
    public const string NumberOfInstances = "numberOfInstances";
    public const string TotalSize = "totalSize";
    public const string StudyDescription = "studyDescription";

    /// <summary>The four levels of the seed's securityClassification code list, least restricted first.</summary>
    public static readonly IReadOnlyList<string> SecurityLevels = ["public", "internal", "restricted", "confidential"];

    /// <summary>The names (zh, en) of the 资源分类 elements, as the Metadata service's seed gives them.</summary>
    public static readonly IReadOnlyDictionary<string, (string Zh, string En)> ClassificationNames = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
    {
        [CategoryCode] = ("医学影像学大数据与智能技术信息资源分类类目代码", "Resource Category Code"),
        [CategoryName] = ("医学影像学大数据与智能技术信息资源分类类目名称", "Resource Category Name"),
        [CategorySchemeCode] = ("医学影像学大数据与智能技术信息资源分类方案编码", "Resource Category Schema Code"),
        [CategorySchemeName] = ("医学影像学大数据与智能技术信息资源分类方案名称", "Resource Category Schema Name"),
    };

    /// <summary>Elements kept inside an entity of the record.</summary>
    public static readonly IReadOnlyDictionary<string, string> EntityOf = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [CategorySchemeName] = ResourceCategory, [CategorySchemeCode] = ResourceCategory, [CategoryName] = ResourceCategory, [CategoryCode] = ResourceCategory,
        [OrganizationName] = PointOfContact, [OrganizationCode] = PointOfContact, [ElectronicMailAddress] = PointOfContact,
        [ContactNumber] = PointOfContact, [ContactAddress] = PointOfContact, [ZipCode] = PointOfContact,
    };

    /// <summary>Elements that occur N times; their value is held as one text with ';' between the occurrences.</summary>
    public static readonly IReadOnlySet<string> Repeating = new HashSet<string>(StringComparer.Ordinal)
        { Keyword, DataFormat, OnlineResourceLink, Modality, BodyPartExamined };

    /// <summary>Elements of a non-text data type: how their text becomes JSON.</summary>
    public static readonly IReadOnlySet<string> Integers = new HashSet<string>(StringComparer.Ordinal) { NumberOfSeries, NumberOfInstances, TotalSize };

    public static readonly IReadOnlySet<string> Booleans = new HashSet<string>(StringComparer.Ordinal) { ChargeSign };

    /// <summary>Names the old rules wrote before the values were keyed by the sets' element ids (kept for the data migration).</summary>
    public static readonly IReadOnlyDictionary<string, string> Renamed = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["resourceName"] = ResourceTitle, ["keywords"] = Keyword, ["format"] = DataFormat, ["bodyPart"] = BodyPartExamined,
        ["seriesCount"] = NumberOfSeries, ["instanceCount"] = NumberOfInstances, ["totalSizeBytes"] = TotalSize,
    };
}
