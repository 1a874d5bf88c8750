using System.Globalization;
using System.Xml.Linq;
using MedImaging.Directory.Domain;

namespace MedImaging.Directory.Csw;

/// <summary>One of the standard's 20 basic elements (§4.7.2) and the Dublin Core / DCMI term it is written as.</summary>
/// <param name="Term">The csw:Record element, null where Dublin Core has no term (the value is in the project's own schema only).</param>
/// <param name="Scheme">The <c>scheme</c> attribute that tells this element's value apart from others under the same term.</param>
public sealed record ElementMapping(string Clause, string ElementId, string NameZh, XName? Term, string? Scheme, Func<CatalogEntry, IEnumerable<string>> Values, string Note);

/// <summary>
/// The one mapping of the catalogue to Dublin Core: the 20 basic elements of §4.7.2 (element ids as the Metadata
/// service defines them), then what the directory adds (kind, dates). The csw:Record writer, the queryables and the
/// README table all come from here.
/// </summary>
public static class DublinCoreMapping
{
    public const string ClassificationScheme = "urn:medimaging:classification";
    public const string InstitutionScheme = "urn:medimaging:institution";
    public const string SecurityScheme = "urn:medimaging:security-classification";
    public const string ChargeScheme = "urn:medimaging:charge-sign";

    private static readonly XNamespace Dc = CswNames.Dc, Dct = CswNames.Dct;

    public static readonly IReadOnlyList<ElementMapping> Basic =
    [
        new("4.7.2.1", "resourceId", "资源标识符", Dc + "identifier", null, e => [Identifier(e)], "the OID; origin/resource id until one is issued"),
        new("4.7.2.2", "resourceTitle", "资源名称", Dc + "title", null, e => [e.Title], ""),
        new("4.7.2.3", "resourceCategory", "资源分类 (entity)", Dc + "subject", ClassificationScheme, _ => [], "its members below, each a scheme-qualified dc:subject"),
        new("4.7.2.4", "categorySchemeName", "资源分类方案名称", null, null, e => Value(e, "categorySchemeName"), "own schema only; Dublin Core names the scheme by the subjects' scheme URI"),
        new("4.7.2.5", "categorySchemeCode", "资源分类方案编码", null, null, e => Value(e, "categorySchemeCode"), "own schema only; Dublin Core names the scheme by the subjects' scheme URI"),
        new("4.7.2.6", "categoryName", "资源分类类目名称", Dc + "subject", ClassificationScheme, e => Value(e, "categoryName"), ""),
        new("4.7.2.7", "categoryCode", "资源分类类目代码", Dc + "subject", ClassificationScheme, e => Opt(e.ClassificationCode ?? e.Values.GetValueOrDefault("categoryCode")), "full dotted code (类目.亚目.细目)"),
        new("4.7.2.8", "keyword", "关键字", Dc + "subject", null, e => e.Keywords, "one dc:subject per keyword"),
        new("4.7.2.9", "abstract", "资源摘要", Dct + "abstract", null, e => Opt(e.Abstract), ""),
        new("4.7.2.10", "pointOfContact", "资源负责方 (entity)", Dc + "publisher", null, _ => [], "its members below"),
        new("4.7.2.11", "organizationName", "资源负责单位名称", Dc + "publisher", null, e => Opt(e.InstitutionName ?? e.Values.GetValueOrDefault("organizationName")), ""),
        new("4.7.2.12", "organizationCode", "资源负责单位代码", Dc + "publisher", InstitutionScheme, e => Opt(e.Institution ?? e.Values.GetValueOrDefault("organizationCode")), "registry code, scheme-qualified"),
        new("4.7.2.13", "electronicMailAddress", "资源负责单位电子邮件地址", null, null, e => Value(e, "electronicMailAddress"), "own schema only: Dublin Core has no contact terms"),
        new("4.7.2.14", "contactNumber", "资源负责方联系电话", null, null, e => Value(e, "contactNumber"), "own schema only: Dublin Core has no contact terms"),
        new("4.7.2.15", "contactAddress", "资源负责方通讯地址", null, null, e => Value(e, "contactAddress"), "own schema only: Dublin Core has no contact terms"),
        new("4.7.2.16", "zipCode", "资源负责方邮政编码", null, null, e => Value(e, "zipCode"), "own schema only: Dublin Core has no contact terms"),
        new("4.7.2.17", "dataFormat", "资源格式", Dc + "format", null, e => [e.Format], ""),
        new("4.7.2.18", "securityClassification", "资源安全限制分级", Dct + "accessRights", SecurityScheme, e => Opt(e.SecurityClassification), "public / internal / restricted / confidential"),
        new("4.7.2.19", "onlineResourceLink", "在线资源链接地址", Dct + "references", null, e => Split(e.OnlineResourceLink ?? e.Values.GetValueOrDefault("onlineResourceLink")), ""),
        new("4.7.2.20", "chargeSign", "资源使用收费标识", Dc + "rights", ChargeScheme, e => Value(e, "chargeSign"), "true / false"),
    ];

    /// <summary>What the directory adds beyond the 20 elements.</summary>
    public static readonly IReadOnlyList<ElementMapping> Directory =
    [
        new("—", "kind", "资源类型", Dc + "type", null, e => [e.Kind], "ImagingStudy, Database, Document, Dataset, Other"),
        new("—", "publishedAt", "发布时间", Dct + "modified", null, e => [e.PublishedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)], "when this record version was published"),
        new("—", "studyDate", "检查日期", Dc + "date", null, e => Opt(e.StudyDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), "DICOM extension set"),
        new("—", "studyDescription", "检查描述", Dc + "description", null, e => Opt(e.StudyDescription), "DICOM extension set"),
    ];

    public static IEnumerable<ElementMapping> All => Basic.Concat(Directory);

    /// <summary>dc:identifier: the 资源标识符 (OID), or origin/resource id while the entry has none.</summary>
    public static string Identifier(CatalogEntry e) => e.ResourceIdentifier ?? $"{e.OriginNode}/{e.ResourceId}";

    private static IEnumerable<string> Opt(string? v) => string.IsNullOrWhiteSpace(v) ? [] : [v];

    private static IEnumerable<string> Value(CatalogEntry e, string elementId) => Opt(e.Values.GetValueOrDefault(elementId));

    private static string[] Split(string? v) => v?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}
