using MedImaging.Registration.Domain;
using E = MedImaging.Registration.Domain.MetadataElements;

namespace MedImaging.Registration.Cataloguing;

/// <summary>
/// What Registration itself requires of an entry beyond the Metadata service's checks, in one place: ingest records it on
/// the prepared entry, and every workflow check (catalogue, register, approve, publish) reports it, so the catalogue step
/// names exactly what register will refuse — same element, same words. Register issues the identifier only when nothing
/// here holds the entry back.
/// </summary>
public static class CatalogueRequirements
{
    public const string ClassificationKind = "classification";
    public const string InstitutionKind = "institution";
    public const string LinkKind = "link";

    public static readonly IReadOnlyList<string> Kinds = [ClassificationKind, InstitutionKind, LinkKind];

    /// <param name="scheme">The classification scheme; null when it could not be read (ingest, Metadata unreachable).</param>
    /// <param name="gateway">This node's gateway URL, to tell its own link from a PACS's.</param>
    public static IReadOnlyList<CatalogueProblem> Check(Resource resource, Study? study, SchemeView? scheme, Uri? gateway)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var problems = new List<CatalogueProblem>();
        if (Classification(resource, scheme) is { } detail) problems.Add(CatalogueProblem.Classification(E.CategoryCode, ClassificationKind, detail));
        if (study?.UnmatchedInstitutionName is { } sent && resource.Values.FirstOrDefault(v => v.Element == E.OrganizationName) is not { Source: ValueSource.Manual })
            problems.Add(Problem(E.OrganizationName, "医学影像学大数据与智能技术信息资源负责单位名称", "Organization Name", $"{E.PointOfContact}.{E.OrganizationName}", InstitutionKind,
                $"the study's InstitutionName (0008,0080) is '{sent}', which is no institution of this node's registry (tier file institutions); " +
                (resource.Value(E.OrganizationName) is { } attributed
                    ? $"负责方 '{attributed}' was taken from the adapter that pushed it ({study.SourceAdapter}). "
                    : "no 负责方 could be assigned. ") +
                "Confirm or correct the 负责方 (organizationName, organizationCode), or add the name to the institution's dicomNames."));
        if (study is not null && (study.OnlineResourceLink is null || IsNodeLink(study.OnlineResourceLink, gateway)))
            problems.Add(Problem(E.OnlineResourceLink, "医学影像学大数据与智能技术信息在线资源链接地址", "Online resource link address", E.OnlineResourceLink, LinkKind,
                $"adapter '{study.SourceAdapter}' has no DICOMweb base URL (tier file adapters.{study.SourceAdapter}.dicomWebBaseUrl) and the instances carry no " +
                "Retrieve URL (0008,1190), so the study's data cannot be fetched from its PACS through this entry; " +
                (study.OnlineResourceLink is { } link ? $"the link is this node's DICOMweb query for the study ({link}), which answers with what the catalogue holds." : "the entry has no link.")) with { Advisory = true });
        return problems;
    }

    /// <summary>Whether a link is this node's own DICOMweb query rather than a link to the study's data.</summary>
    public static bool IsNodeLink(string link, Uri? gateway)
        => gateway is not null && link.StartsWith(new Uri(gateway, "dicomweb/studies?").AbsoluteUri, StringComparison.Ordinal);

    // Identifiers are issued under a 细目 (§4.8.2 c, §4.9.3): anything less, or a code the scheme does not hold, stops register.
    private static string? Classification(Resource resource, SchemeView? scheme)
    {
        var value = resource.Values.FirstOrDefault(v => v.Element == E.CategoryCode);
        if (value is null)
            return "the entry is not classified; a resource identifier is issued under a 细目 (类目.亚目.细目). Choose the 细目 (categoryCode).";
        var code = value.Value;
        var path = scheme?.PathTo(code);
        var named = path is null ? $"'{code}'" : $"'{code}' ({string.Join(" / ", path.Select(n => n.NameZh))})";
        var levels = code.Split('.').Length;
        if (levels != 3)
        {
            var why = value.Source == ValueSource.Manual ? "set by a cataloguer"
                : levels == 1 ? "assigned automatically: the DICOM names no body part the mapping knows (BodyPartExamined), so neither 亚目 nor 细目 follows"
                : "assigned automatically: nothing in the DICOM (study or series description, contrast agent, modality) tells the mapping which 细目";
            return $"the entry is classified as {named}, {why}; a resource identifier is issued under a 细目 (类目.亚目.细目). Choose the 细目 (categoryCode).";
        }
        if (scheme is null) return null;
        if (path is null) return $"'{code}' is not a code of classification scheme {scheme.Code} (revision {scheme.Revision}); choose the 细目 (categoryCode).";
        return path.Any(n => n.Withdrawn)
            ? $"{named} is withdrawn from classification scheme {scheme.Code} (revision {scheme.Revision}); choose another 细目 (categoryCode)."
            : null;
    }

    private static CatalogueProblem Problem(string element, string zh, string en, string path, string kind, string detail) => new(element, zh, en, path, kind, detail);
}
