using System.Text.RegularExpressions;

namespace MedImaging.Metadata.Domain;

/// <summary>One arc (or run of arcs) of an OID and what it means.</summary>
public sealed record OidArc(string Arcs, string Role, string MeaningZh, string MeaningEn);

/// <summary>An OID read against the node's root and the classification scheme: its arcs, and what is wrong with it.</summary>
public sealed record OidExplanation(string Oid, bool Valid, IReadOnlyList<OidArc> Arcs, IReadOnlyList<string> Problems)
{
    public string? CategoryCode { get; init; }
    public string? ClassificationCode { get; init; }
    public long? Serial { get; init; }
}

/// <summary>
/// Reads resource identifiers (§2.12–2.15, §4.9.3) against the node's OID root and the classification scheme. Pure:
/// the caller supplies the scheme and whether the serial was issued here.
/// </summary>
public sealed partial class IdentifierRules(string oidRoot, string nodeAdministrativeCode, ClassificationScheme scheme)
{
    [GeneratedRegex(@"^[0-2](\.(0|[1-9][0-9]*))+$")]
    private static partial Regex OidSyntax();

    [GeneratedRegex(@"^[1-8][0-9]{5}$")]
    private static partial Regex AdministrativeCodeSyntax();

    public static bool IsWellFormedOid(string? oid) => oid is not null && oid.Length <= 256 && OidSyntax().IsMatch(oid);

    public string OidRoot => oidRoot;

    /// <summary>Explains an OID arc by arc; <paramref name="serialStatus"/> says whether this node issued the serial.</summary>
    public OidExplanation Explain(string oid, Func<string, string?>? serialStatus = null)
    {
        var problems = new List<string>();
        var arcs = new List<OidArc>();
        if (!IsWellFormedOid(oid))
            return new(oid, false, arcs, ["Not an OID: arcs must be numbers without leading zeros separated by dots, the first 0, 1 or 2."]);
        if (!oid.StartsWith(oidRoot + ".", StringComparison.Ordinal))
            return new(oid, false, arcs, [$"Not under this node's resource identifier root {oidRoot}."]);

        arcs.Add(new(oidRoot, "root", "卫生信息标识体系下的医学影像学大数据资源根节点 (节点配置)", "Resource identifier root of the health-information OID arc (node configuration)"));
        var rest = oid[(oidRoot.Length + 1)..].Split('.');
        if (rest.Length != 5)
        {
            problems.Add($"Expected 5 arcs under the root (行政区划代码.类目.亚目.细目.后段码), found {rest.Length}.");
            return new(oid, false, arcs, problems);
        }

        var admin = rest[0];
        if (!AdministrativeCodeSyntax().IsMatch(admin)) problems.Add($"Administrative code '{admin}' is not a 6-digit GB/T 2260 code.");
        arcs.Add(new(admin, "administrativeCode", admin == nodeAdministrativeCode ? "行政区划代码 (本节点)" : "行政区划代码",
            admin == nodeAdministrativeCode ? "Administrative division code (this node)" : "Administrative division code"));

        var code = "";
        foreach (var (arc, level) in rest.Skip(1).Take(3).Zip([ClassificationLevel.Category, ClassificationLevel.Subcategory, ClassificationLevel.Detail]))
        {
            code = code.Length == 0 ? arc : $"{code}.{arc}";
            var node = scheme.Node(code);
            var role = level.ToString().ToLowerInvariant();
            if (node is null)
            {
                problems.Add($"{ClassificationNode.LevelNameZh(level)} code {code} is not in classification scheme '{scheme.Code}'.");
                arcs.Add(new(arc, role, $"{ClassificationNode.LevelNameZh(level)}码 (未知)", $"{level} code (unknown)"));
                break;
            }
            arcs.Add(new(arc, role, $"{ClassificationNode.LevelNameZh(level)}码: {node.NameZh}{(node.Withdrawn ? " (已停用)" : "")}",
                $"{level} code: {node.NameEn}{(node.Withdrawn ? " (withdrawn)" : "")}"));
        }

        var serialText = rest[4];
        long? serial = long.TryParse(serialText, out var s) && s > 0 ? s : null;
        if (serial is null) problems.Add($"Serial (后段码) '{serialText}' is not a positive integer.");
        var status = problems.Count == 0 && admin == nodeAdministrativeCode ? serialStatus?.Invoke(oid) : null;
        arcs.Add(new(serialText, "serial", $"后段码 (自动生成的顺序号){(status is null ? "" : $": {status}")}", $"Serial{(status is null ? "" : $": {status}")}"));
        if (status == "not issued") problems.Add($"Serial {serialText} was never issued by this node under this classification.");
        // A withdrawn identifier still explains, but it names no current resource: records may not use it.
        if (status == "withdrawn") problems.Add($"Identifier was withdrawn; serial {serialText} is retired and never reused.");

        return new(oid, problems.Count == 0, arcs, problems)
        {
            CategoryCode = rest[1],
            ClassificationCode = string.Join('.', rest[1..4]),
            Serial = serial,
        };
    }
}
