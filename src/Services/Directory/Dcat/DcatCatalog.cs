using System.Globalization;
using MedImaging.Directory.Domain;
using MedImaging.Directory.Search;
using MedImaging.ServiceDefaults.Node;

namespace MedImaging.Directory.Dcat;

/// <summary>
/// One page of the catalogue as DCAT-AP 3 (with HealthDCAT-AP terms where one exists): a <c>dcat:Catalog</c> of the
/// node, a <c>dcat:Dataset</c> per entry, and <c>hydra:PagedCollection</c> links that CKAN's DCAT harvester follows
/// (<c>hydra:next</c>, and the older <c>hydra:nextPage</c> it falls back to). The mapping is the README's table.
/// </summary>
public sealed class DcatCatalog(NodeDescriptor node, string baseUrl)
{
    private const string EuAccessRight = "http://publications.europa.eu/resource/authority/access-right/";
    private const string EuLanguage = "http://publications.europa.eu/resource/authority/language/";
    private const string IanaMediaTypes = "https://www.iana.org/assignments/media-types/";

    /// <summary>The catalogue's IRI: the export's own address through the node gateway.</summary>
    public string CatalogIri => $"{baseUrl}/dcat";

    public RdfGraph Page(CatalogHits hits, string pageUrl, string firstUrl, string? nextUrl, int pageSize)
    {
        ArgumentNullException.ThrowIfNull(hits);
        var g = new RdfGraph();
        var catalog = new Iri(CatalogIri);
        g.Type(catalog, "dcat:Catalog")
            .Add(catalog, "dct:title", new Literal(node.Name.Zh, "zh")).Add(catalog, "dct:title", new Literal(node.Name.En, "en"))
            .Add(catalog, "dct:description", new Literal($"{node.Name.Zh}公开资源目录（医学影像学大数据资源）", "zh"))
            .Add(catalog, "dct:description", new Literal($"Public entries of the {node.Name.En} (medical imaging big-data resources)", "en"))
            .Add(catalog, "dct:publisher", NodeAgent(g))
            .Add(catalog, "dct:language", new Iri(EuLanguage + "ZHO"))
            .Add(catalog, "foaf:homepage", new Iri(node.GatewayUrl.AbsoluteUri));

        foreach (var hit in hits.Items) g.Add(catalog, "dcat:dataset", Dataset(g, hit.Entry));

        var page = new Iri(pageUrl);
        g.Type(page, "hydra:PagedCollection")
            .Add(page, "hydra:totalItems", Integer(hits.Total, "xsd:integer"))
            .Add(page, "hydra:itemsPerPage", Integer(pageSize, "xsd:integer"))
            .Add(page, "hydra:first", new Iri(firstUrl)).Add(page, "hydra:firstPage", new Iri(firstUrl));
        if (nextUrl is not null) g.Add(page, "hydra:next", new Iri(nextUrl)).Add(page, "hydra:nextPage", new Iri(nextUrl));
        return g;
    }

    private Iri NodeAgent(RdfGraph g)
    {
        var agent = new Iri($"{baseUrl}/dcat/publishers/node-{Uri.EscapeDataString(node.NodeId)}");
        g.Type(agent, "foaf:Agent").Add(agent, "foaf:name", new Literal(node.Name.Zh, "zh")).Add(agent, "foaf:name", new Literal(node.Name.En, "en"));
        return agent;
    }

    private Iri Dataset(RdfGraph g, CatalogEntry e)
    {
        var ds = new Iri($"{baseUrl}/dcat/datasets/{Uri.EscapeDataString(e.OriginNode)}/{e.ResourceId}");
        g.Type(ds, "dcat:Dataset")
            .Add(ds, "dct:identifier", new Literal(e.ResourceIdentifier ?? $"{e.OriginNode}/{e.ResourceId}"))
            .Add(ds, "dct:title", Text(e.Title))
            .Add(ds, "dct:description", Text(e.Abstract ?? e.StudyDescription ?? e.Title))
            .Add(ds, "dct:issued", new Literal(e.PublishedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), Datatype: "xsd:dateTime"))
            .Add(ds, "dct:modified", new Literal(e.UpdatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), Datatype: "xsd:dateTime"))
            // Only public entries are ever exported (DcatApi): the EU access-right authority's PUBLIC.
            .Add(ds, "dct:accessRights", new Iri(EuAccessRight + "PUBLIC"));
        foreach (var keyword in e.Keywords) g.Add(ds, "dcat:keyword", Text(keyword));
        foreach (var modality in e.Modalities) g.Add(ds, "dcat:keyword", new Literal(modality));
        if (e.ClassificationCode is { } code) g.Add(ds, "dcat:theme", Theme(g, code, e.Values.GetValueOrDefault("categoryName"), e.Values.GetValueOrDefault("categorySchemeCode")));
        if (e.Institution is not null || e.InstitutionName is not null) g.Add(ds, "dct:publisher", Publisher(g, e));
        if (ContactPoint(g, e) is { } contact) g.Add(ds, "dcat:contactPoint", contact);
        if (e.StudyDate is { } date)
        {
            var period = g.NewBlank();
            var day = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            g.Type(period, "dct:PeriodOfTime").Add(period, "dcat:startDate", new Literal(day, Datatype: "xsd:date")).Add(period, "dcat:endDate", new Literal(day, Datatype: "xsd:date"));
            g.Add(ds, "dct:temporal", period);
        }
        if (e.InstanceCount > 0) g.Add(ds, "healthdcatap:numberOfRecords", Integer(e.InstanceCount, "xsd:nonNegativeInteger"));
        // A study is one patient's: its pseudonym says there is one individual, and nothing about who.
        if (e.PatientPseudonym is not null) g.Add(ds, "healthdcatap:numberOfUniqueIndividuals", Integer(1, "xsd:nonNegativeInteger"));
        if (Uri.TryCreate(e.OnlineResourceLink, UriKind.Absolute, out var link) && link.Scheme is "http" or "https")
        {
            var distribution = new Iri(ds.Value + "/distribution");
            g.Type(distribution, "dcat:Distribution").Add(distribution, "dcat:accessURL", new Iri(link.AbsoluteUri))
                .Add(distribution, "dct:title", Text(e.Title));
            if (string.Equals(e.Format, "DICOM", StringComparison.OrdinalIgnoreCase))
                g.Add(distribution, "dct:format", new Iri(IanaMediaTypes + "application/dicom")).Add(distribution, "dcat:mediaType", new Iri(IanaMediaTypes + "application/dicom"));
            else g.Add(distribution, "dct:format", new Literal(e.Format));
            g.Add(ds, "dcat:distribution", distribution);
        }
        return ds;
    }

    private Iri Theme(RdfGraph g, string code, string? name, string? scheme)
    {
        var concept = new Iri($"{baseUrl}/dcat/classification/{Uri.EscapeDataString(code)}");
        var schemeIri = new Iri($"{baseUrl}/dcat/classification");
        g.Type(concept, "skos:Concept").Add(concept, "skos:notation", new Literal(code)).Add(concept, "skos:inScheme", schemeIri);
        if (name is not null) g.Add(concept, "skos:prefLabel", new Literal(name, "zh"));
        g.Type(schemeIri, "skos:ConceptScheme").Add(schemeIri, "dct:title", new Literal("医学影像学大数据与智能技术信息资源分类", "zh"));
        if (scheme is not null) g.Add(schemeIri, "dct:identifier", new Literal(scheme));
        return concept;
    }

    private Iri Publisher(RdfGraph g, CatalogEntry e)
    {
        var publisher = new Iri($"{baseUrl}/dcat/publishers/{Uri.EscapeDataString(e.Institution ?? e.InstitutionName!)}");
        var registered = node.Institutions.FirstOrDefault(i => i.Code == e.Institution);
        g.Type(publisher, "foaf:Organization").Add(publisher, "foaf:name", Text(e.InstitutionName ?? registered?.Name.Zh))
            .Add(publisher, "foaf:name", registered is null ? null : new Literal(registered.Name.En, "en"))
            .Add(publisher, "dct:identifier", e.Institution is null ? null : new Literal(e.Institution));
        return publisher;
    }

    private static Blank? ContactPoint(RdfGraph g, CatalogEntry e)
    {
        var email = e.Values.GetValueOrDefault("electronicMailAddress");
        var phone = e.Values.GetValueOrDefault("contactNumber");
        if (email is null && phone is null) return null;
        var contact = g.NewBlank();
        g.Type(contact, "vcard:Organization").Add(contact, "vcard:fn", Text(e.InstitutionName ?? e.Title))
            .Add(contact, "vcard:hasEmail", email is null ? null : new Iri("mailto:" + email))
            .Add(contact, "vcard:hasTelephone", phone is null ? null : new Iri("tel:" + phone.Replace(" ", "", StringComparison.Ordinal)));
        return contact;
    }

    private static Literal Integer(long n, string type) => new(n.ToString(CultureInfo.InvariantCulture), Datatype: type);

    /// <summary>Text in Chinese (any Han character) is tagged <c>@zh</c>, other text <c>@en</c>.</summary>
    private static Literal? Text(string? s) => string.IsNullOrWhiteSpace(s) ? null : new Literal(s, s.Any(TextNormalizer.IsHan) ? "zh" : "en");
}
