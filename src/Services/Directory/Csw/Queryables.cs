using System.Xml.Linq;

namespace MedImaging.Directory.Csw;

/// <summary>
/// The queryables of the binding: the OGC core ones (§6.3.2) over the Dublin Core mapping, plus the project's own
/// (mi:, the Metadata service's element ids). csw:AnyText is not here: it goes to the catalogue's text engine.
/// </summary>
internal static class Queryables
{
    public static readonly XName AnyText = CswNames.Csw + "AnyText";

    private static readonly XNamespace Dc = CswNames.Dc, Dct = CswNames.Dct, Mi = CswNames.Mi;

    private static readonly ClassificationQueryable Classification = new(Mi + "categoryCode", "classification code at any level (2, 2.2, 2.2.1)");

    public static readonly IReadOnlyList<Queryable> All =
    [
        new TextQueryable(Dc + "title", "资源名称", e => e.Title),
        new AnyOfQueryable(Dc + "subject", "keywords and classification codes",
            new ListQueryable(Dc + "subject", "", e => e.Keywords), Classification),
        new TextQueryable(Dc + "type", "kind of resource", e => e.Kind),
        new TextQueryable(Dc + "identifier", "资源标识符", e => e.ResourceIdentifier ?? e.OriginNode + "/" + e.ResourceId.ToString()),
        new TextQueryable(Dct + "abstract", "摘要", e => e.Abstract),
        new TimestampQueryable(Dct + "modified", "when the record version was published", e => e.PublishedAt),
        new DateQueryable(Dc + "date", "study date", e => e.StudyDate),
        new TextQueryable(Dc + "format", "数据格式", e => e.Format),
        new AnyOfQueryable(Dc + "publisher", "institution name or registry code",
            new TextQueryable(Dc + "publisher", "", e => e.InstitutionName), new TextQueryable(Dc + "publisher", "", e => e.Institution)),
        new TextQueryable(Dct + "accessRights", "安全限制分级", e => e.SecurityClassification),
        Classification,
        new ListQueryable(Mi + "modality", "DICOM modality (CT, MR …)", e => e.Modalities),
        new ListQueryable(Mi + "bodyPartExamined", "DICOM body part", e => e.BodyParts),
        new TextQueryable(Mi + "organizationCode", "institution registry code", e => e.Institution),
        new TextQueryable(Mi + "organizationName", "institution name", e => e.InstitutionName),
        new TextQueryable(Mi + "securityClassification", "安全限制分级", e => e.SecurityClassification),
        new DateQueryable(Mi + "studyDate", "study date", e => e.StudyDate),
        new TextQueryable(Mi + "studyInstanceUid", "DICOM Study Instance UID", e => e.StudyInstanceUid),
        new TextQueryable(Mi + "studyDescription", "study description", e => e.StudyDescription),
    ];

    /// <summary>AnyText outside a plain conjunction (under Or / Not): the same columns the text engine reads, case-insensitive.</summary>
    public static readonly Queryable AnyTextColumns = new AnyOfQueryable(AnyText, "",
        new TextQueryable(AnyText, "", e => e.Title), new TextQueryable(AnyText, "", e => e.Abstract),
        new TextQueryable(AnyText, "", e => e.StudyDescription), new TextQueryable(AnyText, "", e => e.InstitutionName),
        new ListQueryable(AnyText, "", e => e.Keywords));

    /// <summary>The well-known prefixes, for CQL text and for filters that use a prefix they did not declare.</summary>
    public static readonly IReadOnlyDictionary<string, XNamespace> Prefixes = new Dictionary<string, XNamespace>(StringComparer.Ordinal)
    {
        ["csw"] = CswNames.Csw, ["dc"] = Dc, ["dct"] = Dct, ["dcterms"] = Dct, ["mi"] = Mi,
    };

    /// <summary>
    /// A property named in a constraint: by qualified name, else by local name alone (unprefixed <c>AnyText</c> as in
    /// 07-006r1 §10.8.6, <c>Title</c>, <c>Modified</c>: the core queryables' names), case-insensitively.
    /// </summary>
    public static XName Resolve(XName name)
    {
        if (name == AnyText || All.Any(q => q.Name == name)) return name;
        if (name.LocalName.Equals(AnyText.LocalName, StringComparison.OrdinalIgnoreCase)) return AnyText;
        var byLocal = All.Where(q => q.Name.LocalName.Equals(name.LocalName, StringComparison.OrdinalIgnoreCase)).ToList();
        if ((name.Namespace == XNamespace.None || name.Namespace == CswNames.Csw || !Prefixes.Values.Contains(name.Namespace)) && byLocal.Count >= 1) return byLocal[0].Name;
        throw CswException.Invalid("Constraint", $"'{name.LocalName}' ({name.NamespaceName}) is not a queryable of this catalogue; see GetCapabilities.");
    }

    public static Queryable Get(XName name) => All.First(q => q.Name == name);
}
