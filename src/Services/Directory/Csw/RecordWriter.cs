using System.Globalization;
using System.Xml.Linq;
using MedImaging.Directory.Domain;

namespace MedImaging.Directory.Csw;

/// <summary>
/// Entries as records: csw:BriefRecord / csw:SummaryRecord / csw:Record in Dublin Core (record.xsd's element order
/// for brief and summary), or the project's own mi:record, each element set a subset of the full one.
/// </summary>
internal static class RecordWriter
{
    private static readonly XNamespace Csw = CswNames.Csw, Dc = CswNames.Dc, Dct = CswNames.Dct, Mi = CswNames.Mi;

    // record.xsd SummaryRecordType: identifier+, title+, type?, subject*, format*, relation*, modified*, abstract*, spatial*
    private static readonly XName[] SummaryTerms = [Dc + "identifier", Dc + "title", Dc + "type", Dc + "subject", Dc + "format", Dc + "relation", Dct + "modified", Dct + "abstract", Dct + "spatial"];
    private static readonly XName[] BriefTerms = [Dc + "identifier", Dc + "title", Dc + "type"];

    public static XElement Write(CatalogEntry e, string schema, ElementSet set, IReadOnlyList<XName> elementNames) =>
        schema == CswNames.OwnSchema ? Own(e, elementNames.Count > 0 ? ElementSet.Full : set, elementNames) : DublinCore(e, set, elementNames);

    private static XElement DublinCore(CatalogEntry e, ElementSet set, IReadOnlyList<XName> elementNames)
    {
        var terms = DublinCoreMapping.All.Where(m => m.Term is not null)
            .SelectMany(m => m.Values(e).Select(v => (Term: m.Term!, m.Scheme, Value: v))).ToList();
        IEnumerable<XElement> Elements(IEnumerable<XName> order) => order.SelectMany(t => terms.Where(x => x.Term == t).Select(Literal));
        if (elementNames.Count > 0) return new XElement(Csw + "Record", Elements(elementNames));
        return set switch
        {
            ElementSet.Brief => new XElement(Csw + "BriefRecord", Elements(BriefTerms)),
            ElementSet.Summary => new XElement(Csw + "SummaryRecord", Elements(SummaryTerms)),
            _ => new XElement(Csw + "Record", terms.Select(Literal)),
        };
    }

    private static XElement Literal((XName Term, string? Scheme, string Value) t) =>
        new(t.Term, t.Scheme is null ? null : new XAttribute("scheme", t.Scheme), t.Value);

    /// <summary>The project's own record: the Metadata service's element ids, entities as in its export (§4.7.2 order).</summary>
    private static XElement Own(CatalogEntry e, ElementSet set, IReadOnlyList<XName> elementNames)
    {
        bool In(ElementSet level, string id) => elementNames.Count > 0 ? elementNames.Contains(Mi + id) : level <= set;
        IEnumerable<XElement> El(ElementSet level, string id, IEnumerable<string> values) => In(level, id) ? values.Select(v => new XElement(Mi + id, v)) : [];
        XElement? Entity(string id, params IEnumerable<XElement>[] members)
        {
            var content = members.SelectMany(m => m).ToList();
            return content.Count == 0 ? null : new XElement(Mi + id, content);
        }
        string? V(string id) => e.Values.GetValueOrDefault(id);
        IEnumerable<string> Opt(string? v) => string.IsNullOrWhiteSpace(v) ? [] : [v];
        IEnumerable<string> Many(string? v) => v?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        string N(long n) => n.ToString(CultureInfo.InvariantCulture);

        return new XElement(Mi + "record",
            new XAttribute("originNode", e.OriginNode), new XAttribute("resourceKey", e.ResourceId), new XAttribute("recordVersion", e.RecordVersion),
            El(ElementSet.Brief, "resourceId", [DublinCoreMapping.Identifier(e)]),
            El(ElementSet.Brief, "resourceTitle", [e.Title]),
            Entity("resourceCategory",
                El(ElementSet.Full, "categorySchemeName", Opt(V("categorySchemeName"))),
                El(ElementSet.Full, "categorySchemeCode", Opt(V("categorySchemeCode"))),
                El(ElementSet.Summary, "categoryName", Opt(V("categoryName"))),
                El(ElementSet.Summary, "categoryCode", Opt(e.ClassificationCode ?? V("categoryCode")))),
            El(ElementSet.Summary, "keyword", e.Keywords),
            El(ElementSet.Summary, "abstract", Opt(e.Abstract)),
            Entity("pointOfContact",
                El(ElementSet.Summary, "organizationName", Opt(e.InstitutionName ?? V("organizationName"))),
                El(ElementSet.Summary, "organizationCode", Opt(e.Institution ?? V("organizationCode"))),
                El(ElementSet.Full, "electronicMailAddress", Opt(V("electronicMailAddress"))),
                El(ElementSet.Full, "contactNumber", Opt(V("contactNumber"))),
                El(ElementSet.Full, "contactAddress", Opt(V("contactAddress"))),
                El(ElementSet.Full, "zipCode", Opt(V("zipCode")))),
            El(ElementSet.Summary, "dataFormat", [e.Format]),
            El(ElementSet.Brief, "securityClassification", Opt(e.SecurityClassification)),
            El(ElementSet.Full, "onlineResourceLink", Many(e.OnlineResourceLink ?? V("onlineResourceLink"))),
            El(ElementSet.Full, "chargeSign", Opt(V("chargeSign"))),
            // The DICOM extension set and what the directory adds.
            El(ElementSet.Summary, "modality", e.Modalities),
            El(ElementSet.Full, "bodyPartExamined", e.BodyParts),
            El(ElementSet.Summary, "studyDate", Opt(e.StudyDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))),
            El(ElementSet.Full, "studyInstanceUid", Opt(e.StudyInstanceUid)),
            El(ElementSet.Full, "numberOfSeries", e.StudyInstanceUid is null ? [] : [N(e.SeriesCount)]),
            El(ElementSet.Full, "numberOfInstances", e.StudyInstanceUid is null ? [] : [N(e.InstanceCount)]),
            El(ElementSet.Full, "totalSize", e.StudyInstanceUid is null ? [] : [N(e.TotalSizeBytes)]),
            El(ElementSet.Full, "studyDescription", Opt(e.StudyDescription)),
            El(ElementSet.Brief, "kind", [e.Kind]),
            El(ElementSet.Summary, "publishedAt", [e.PublishedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)]));
    }
}
