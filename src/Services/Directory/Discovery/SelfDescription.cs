using System.Text.Json.Nodes;
using MedImaging.Directory.Domain;

namespace MedImaging.Directory.Discovery;

/// <summary>
/// 服务自描述 (§4.10 基础接口): the operations of the basic and discovery interfaces with their paths, the output formats,
/// the element sets, the session limits, and the queryable elements of every active metadata set with their Chinese and
/// English names — what a client needs to use the service without reading its source.
/// </summary>
public static class SelfDescription
{
    private sealed record Operation(string Name, string NameZh, string Method, string Path, string Summary);

    private static readonly Operation[] Basic =
    [
        new("InitializeSession", "目录服务初始化", "POST", "/sessions", "open a DirectorySession bound to the caller; answers its id, limits and expiry"),
        new("TerminateSession", "目录服务终止", "DELETE", "/sessions/{id}", "end the session and drop its result sets"),
        new("GetSession", "会话查询", "GET", "/sessions/{id}", "the session, its expiry renewed"),
        new("DescribeService", "服务自描述", "GET", "/description", "this description"),
    ];

    private static readonly Operation[] Discovery =
    [
        new("Search", "目录检索", "POST", "/sessions/{id}/searches", "a JSON body of the search fields; answers the exact hit count and a result set id"),
        new("RetrieveResults", "目录检索结果提取", "GET", "/sessions/{id}/result-sets/{resultSetId}?position=1&count=10&elementSet=brief&format=json",
            "records of a result set by 1-based position and count; stable while the result set lives"),
        new("GetRecord", "目录检索结果提取 (按标识符)", "GET", "/records/{identifier}?elementSet=full&format=json", "one record by its 资源标识符 (OID)"),
        new("GetRecordByKey", "目录检索结果提取 (按节点与资源号)", "GET", "/records/{originNode}/{resourceId}?elementSet=full&format=json", "one record by origin node and resource id"),
    ];

    public static JsonObject Build(string pathBase, string? node, DiscoveryLimits limits, ActiveSchemas schemas)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(schemas);
        JsonArray Ops(IEnumerable<Operation> ops) => [.. ops.Select(o => (JsonNode)new JsonObject
        {
            ["name"] = o.Name, ["nameZh"] = o.NameZh, ["method"] = o.Method, ["path"] = pathBase + o.Path, ["summary"] = o.Summary,
        })];
        return new JsonObject
        {
            ["service"] = new JsonObject
            {
                ["nameZh"] = "医学影像学大数据与智能技术资源目录服务", ["nameEn"] = "Medical imaging big data resource directory service",
                ["standard"] = "DB13/T 医学影像学大数据 §4.10", ["node"] = node,
            },
            ["interfaces"] = new JsonArray(
                new JsonObject { ["name"] = "basic", ["nameZh"] = "基础接口", ["operations"] = Ops(Basic) },
                new JsonObject { ["name"] = "discovery", ["nameZh"] = "发现接口", ["operations"] = Ops(Discovery) }),
            ["outputFormats"] = new JsonArray(
                new JsonObject { ["name"] = "json", ["mediaType"] = "application/json" },
                new JsonObject
                {
                    ["name"] = "xml", ["mediaType"] = "application/xml",
                    ["schema"] = "each record is the Metadata service's export of its set version (namespace urn:medimaging:metadata:{code}:{version}; "
                        + "XSD at /api/metadata/sets/{code}/versions/{version}/schema.xsd), inside a directory:entry (urn:medimaging:directory)",
                }),
            ["elementSets"] = new JsonArray(
                ElementSetNode(ElementSet.Brief, "简要", "identifier, title, kind, classification code and name, date"),
                ElementSetNode(ElementSet.Summary, "摘要", "brief + abstract, keywords, institution, modalities, body parts, security classification, online link, format"),
                ElementSetNode(ElementSet.Full, "完整", "summary + every value of the entry keyed by element id, grouped by metadata set; the XML record validates against its set version's XSD")),
            ["limits"] = new JsonObject
            {
                ["maxResultSets"] = limits.MaxResultSets, ["maxResultSetSize"] = limits.MaxResultSetSize,
                ["maxRecordsPerRetrieval"] = limits.MaxRecordsPerRetrieval, ["idleTimeout"] = limits.IdleTimeout,
            },
            ["search"] = new JsonObject
            {
                ["fields"] = new JsonArray([.. QueryableElements.SearchFields.Select(f => (JsonNode)new JsonObject
                {
                    ["name"] = f.Field, ["elements"] = new JsonArray([.. f.Elements.Select(e => (JsonNode)e)]), ["matching"] = f.Matching,
                })]),
                ["freeTextElements"] = new JsonArray([.. QueryableElements.FreeText.Select(e => (JsonNode)e)]),
            },
            ["metadataSets"] = new JsonArray([.. schemas.Versions.Select(v => (JsonNode)SetNode(v))]),
        };
    }

    private static JsonObject ElementSetNode(ElementSet set, string nameZh, string holds) => new()
    {
        ["name"] = ElementSets.Name(set), ["nameZh"] = nameZh, ["holds"] = holds,
        ["fields"] = new JsonArray([.. ElementSets.Fields(set).Select(f => (JsonNode)f)]),
        ["elements"] = set switch
        {
            ElementSet.Brief => new JsonArray([.. ElementSets.BriefElements.Select(e => (JsonNode)e)]),
            ElementSet.Summary => new JsonArray([.. ElementSets.SummaryElements.Select(e => (JsonNode)e)]),
            _ => "*",
        },
    };

    private static JsonObject SetNode(SchemaVersion v) => new()
    {
        ["code"] = v.SetCode, ["version"] = v.Version, ["nameZh"] = v.SetNameZh, ["nameEn"] = v.SetNameEn, ["activatedAt"] = v.ActivatedAt,
        ["namespace"] = ActiveSchemas.Namespace(v),
        ["elements"] = new JsonArray([.. v.Elements.Select(e =>
        {
            var entity = e.EntityId is null ? null : v.Entities.FirstOrDefault(x => x.EntityId == e.EntityId);
            return (JsonNode)new JsonObject
            {
                ["elementId"] = e.ElementId, ["nameZh"] = e.NameZh, ["nameEn"] = e.NameEn, ["dataType"] = e.DataType,
                ["entity"] = e.EntityId is null ? null : new JsonObject { ["entityId"] = e.EntityId, ["nameZh"] = entity?.NameZh, ["nameEn"] = entity?.NameEn },
                ["filter"] = QueryableElements.Filters.GetValueOrDefault(e.ElementId),
                ["freeText"] = QueryableElements.FreeText.Contains(e.ElementId),
            };
        })]),
    };
}
