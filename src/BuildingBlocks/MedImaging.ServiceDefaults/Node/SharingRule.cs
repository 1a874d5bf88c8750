using System.Text.Json.Serialization;
using MedImaging.ServiceDefaults.Auth;

namespace MedImaging.ServiceDefaults.Node;

/// <summary>
/// Share types of GB/T 21063 (政务信息资源目录): what a rule lets cross a link.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ShareType>))]
public enum ShareType
{
    /// <summary>不予共享: never leaves the node. Also the answer when no rule matches.</summary>
    [JsonStringEnumMemberName("none")]
    None,

    /// <summary>有条件共享: the entry is listed across the link; its data only after the origin approves a request.</summary>
    [JsonStringEnumMemberName("conditional")]
    Conditional,

    /// <summary>无条件共享: listed, and a request is approved by the rule itself.</summary>
    [JsonStringEnumMemberName("unconditional")]
    Unconditional,
}

/// <summary>What happens to patient pseudonyms on a link.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PseudonymPolicy>))]
public enum PseudonymPolicy
{
    /// <summary>Re-keyed per link (the default): the other side cannot join a patient's entries with another node's.</summary>
    [JsonStringEnumMemberName("rekey")]
    Rekey,

    /// <summary>Kept as the origin issued them: joinable across the link. Only where the rule says so.</summary>
    [JsonStringEnumMemberName("keep")]
    Keep,
}

/// <summary>Where a link goes from this node.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LinkDirection>))]
public enum LinkDirection
{
    /// <summary>To the parent node.</summary>
    [JsonStringEnumMemberName("up")]
    Up,

    /// <summary>To a child node: the node's own entries and those of its parent that the parent sent down.</summary>
    [JsonStringEnumMemberName("down")]
    Down,

    /// <summary>From one child to another child of this node (city↔city only through the province, §4.1.1).</summary>
    [JsonStringEnumMemberName("sideways")]
    Sideways,
}

/// <summary>
/// One sharing rule of a node's tier file (<c>routing.up</c>, <c>routing.down</c>, <c>routing.sideways</c>): which
/// entries it covers (classification nodes at any of the three levels, security classifications; empty means any)
/// and what it lets cross. A link's rules are read in file order and the first that covers an entry decides; an entry
/// no rule covers is not shared (ADR 0031).
/// </summary>
public sealed record SharingRule
{
    /// <summary>What the rule is for, for operators and the exchange API (free text, Chinese welcome).</summary>
    public string? Name { get; init; }

    /// <summary>Classification codes (类目 <c>3</c>, 亚目 <c>3.6</c>, 细目 <c>3.6.1</c>); a code covers itself and every
    /// code below it. Empty: every classification, including entries without one.</summary>
    public IReadOnlyList<string> Classifications { get; init; } = [];

    /// <summary>Security classification codes (public, internal, restricted, confidential). Empty: any.</summary>
    public IReadOnlyList<string> SecurityClassifications { get; init; } = [];

    public ShareType Share { get; init; } = ShareType.None;

    public PseudonymPolicy Pseudonyms { get; init; } = PseudonymPolicy.Rekey;

    /// <summary><c>down</c> rules only: the children the rule applies to; empty means every child.</summary>
    public IReadOnlyList<string> To { get; init; } = [];

    /// <summary>Whether the rule covers an entry of this classification code and security classification.</summary>
    public bool Covers(string? classificationCode, string? securityClassification)
    {
        if (SecurityClassifications.Count > 0 && (securityClassification is null || !SecurityClassifications.Contains(securityClassification, StringComparer.Ordinal)))
            return false;
        return Classifications.Count == 0 || (classificationCode is not null && Classifications.Any(c => IsAtOrBelow(classificationCode, c)));
    }

    // "3.6.1" is at or below "3.6" and "3", not below "3.60" or "36".
    private static bool IsAtOrBelow(string code, string node) =>
        code.Length == node.Length ? string.Equals(code, node, StringComparison.Ordinal)
        : code.Length > node.Length && code[node.Length] == '.' && code.StartsWith(node, StringComparison.Ordinal);
}

/// <summary>What the rules decide for one entry on one link, and which rule decided it (null: none covered it).</summary>
public sealed record SharingDecision(ShareType Share, PseudonymPolicy Pseudonyms, LinkDirection Direction, string Target, int? Rule, string? RuleName)
{
    public bool Crosses => Share != ShareType.None;
}

/// <summary>Tier file <c>routing</c>: the sharing rules of each kind of link, and the directory mode searches use by default.</summary>
public sealed record NodeRouting
{
    public IReadOnlyList<SharingRule> Up { get; init; } = [];
    public IReadOnlyList<SharingRule> Down { get; init; } = [];
    public IReadOnlyList<SharingRule> Sideways { get; init; } = [];

    /// <summary>§4.10: centralised (answer from the replicated read model) or distributed (fan out to the children).</summary>
    public DirectoryMode DirectoryMode { get; init; } = DirectoryMode.Centralised;

    /// <summary>The first rule of the link to <paramref name="target"/> that covers the entry decides; none: not shared.</summary>
    public SharingDecision Decide(LinkDirection direction, string target, string? classificationCode, string? securityClassification)
    {
        var rules = Rules(direction);
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            if (direction != LinkDirection.Up && rule.To.Count > 0 && !rule.To.Contains(target, StringComparer.Ordinal)) continue;
            if (rule.Covers(classificationCode, securityClassification))
                return new SharingDecision(rule.Share, rule.Pseudonyms, direction, target, i, rule.Name);
        }
        return new SharingDecision(ShareType.None, PseudonymPolicy.Rekey, direction, target, null, null);
    }

    public IReadOnlyList<SharingRule> Rules(LinkDirection direction) => direction switch
    {
        LinkDirection.Up => Up,
        LinkDirection.Down => Down,
        _ => Sideways,
    };

    /// <summary>The problems of the rules for this node (field path, why); empty when they hold.</summary>
    internal IEnumerable<(string Field, string Why)> Problems(NodeDescriptor node)
    {
        if (node.Parent is null && Up.Count > 0) yield return ("routing.up", "this node has no parent: leave the up rules out.");
        if (node.Children.Count == 0 && Down.Count > 0) yield return ("routing.down", "this node has no children: leave the down rules out.");
        if (node.Children.Count < 2 && Sideways.Count > 0)
            yield return ("routing.sideways", "sideways rules pass entries between this node's children; it has fewer than two.");
        foreach (var direction in Enum.GetValues<LinkDirection>())
        {
            var name = direction.ToString().ToLowerInvariant();
            var rules = Rules(direction);
            for (var i = 0; i < rules.Count; i++)
            {
                var at = $"routing.{name}[{i}]";
                if (rules[i] is not { } rule)
                {
                    yield return (at, "a rule is an object; null is not one.");
                    continue;
                }
                if (!Enum.IsDefined(rule.Share)) yield return ($"{at}.share", "one of unconditional (无条件共享), conditional (有条件共享), none (不予共享).");
                foreach (var code in rule.Classifications)
                    if (!ClassificationCode(code))
                        yield return ($"{at}.classifications", $"'{code}' is not a classification code (类目, 类目.亚目 or 类目.亚目.细目: digits separated by dots).");
                foreach (var level in rule.SecurityClassifications)
                    if (!SecurityLevels.IsLevel(level))
                        yield return ($"{at}.securityClassifications", $"'{level}' is not one of {string.Join(", ", SecurityLevels.All)}.");
                if (direction == LinkDirection.Up && rule.To.Count > 0) yield return ($"{at}.to", "an up rule goes to the parent: leave 'to' out.");
                foreach (var child in rule.To)
                    if (!node.Children.Contains(child, StringComparer.Ordinal))
                        yield return ($"{at}.to", $"'{child}' is not a child of this node ({string.Join(", ", node.Children)}).");
            }
        }
    }

    private static bool ClassificationCode(string? code)
    {
        if (string.IsNullOrEmpty(code)) return false;
        var parts = code.Split('.');
        return parts.Length <= 3 && parts.All(p => p.Length is > 0 and <= 4 && p.All(char.IsAsciiDigit));
    }
}

/// <summary>§4.10's two directory services: a parent answers alone from what its children replicated to it, or asks them.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DirectoryMode>))]
public enum DirectoryMode
{
    [JsonStringEnumMemberName("centralised")]
    Centralised,

    [JsonStringEnumMemberName("distributed")]
    Distributed,
}
