using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Node;
using MedImaging.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Exchange.Apis;

/// <summary>
/// The node's links and the sharing rules in force on each (§4.4.1 交换管理: the effective exchange configuration), and
/// what those rules decide for an entry of a given classification and security classification — so an operator can
/// check a tier file's rules before anything is published under them.
/// </summary>
public static class FederationLinksApi
{
    /// <summary>A federation link of this node: to its parent (shares go up), to a child (shares go down), or between
    /// two children through this node (sideways).</summary>
    public sealed record FederationLink(string PeerNode, LinkDirection Direction, IReadOnlyList<SharingRule> Rules);

    public sealed record NodeLinks(string NodeId, string Tier, string AdministrativeCode, string NameZh, DirectoryMode DirectoryMode, IReadOnlyList<FederationLink> Links);

    public sealed record LinkDecisions(string? Classification, string SecurityClassification, IReadOnlyList<SharingDecision> Decisions);

    public static IEndpointRouteBuilder MapFederationLinksApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/links", GetLinks).WithTags("Federation")
            .WithName("GetFederationLinks").WithSummary("This node's place in the province → city → county tree, its links and the sharing rules of each")
            .RequireAuthorization(Policies.Audit);
        app.MapGet("/links/decisions", GetDecisions).WithTags("Federation")
            .WithName("GetSharingDecisions").WithSummary("What the sharing rules decide, link by link, for an entry of this classification code and security classification")
            .RequireAuthorization(Policies.Audit);
        app.MapGet("/links/status", GetStatus).WithTags("Federation")
            .WithName("GetFederationLinkStatus").WithSummary("Each link's state, backlog, last sent and received, lag, entries held and refused, and last error (§4.4.1)")
            .RequireAuthorization(Policies.Audit);
        app.MapGet("/federation/refusals", GetRefusals).WithTags("Federation")
            .WithName("GetFederationRefusals").WithSummary("Entries from the neighbours refused by the checks (signature, path, addressee), newest first")
            .RequireAuthorization(Policies.Audit);
        return app;
    }

    public static async Task<Ok<Paged<Federation.LinkStatus.Link>>> GetStatus(Federation.LinkStatus status, [AsParameters] PageQuery page, CancellationToken ct)
    {
        page.Checked();
        return TypedResults.Ok((await status.AllAsync(ct)).ToPaged(page));
    }

    public sealed record Refusal(long Id, DateTimeOffset ReceivedAt, string? Sender, string? OriginNode, Guid? ResourceId, int? RecordVersion, string? Kind, string Reason);

    public static async Task<Ok<Paged<Refusal>>> GetRefusals(Infrastructure.ExchangeDbContext db, [AsParameters] PageQuery page, CancellationToken ct) =>
        TypedResults.Ok(await db.FederationRefusals.OrderByDescending(r => r.Id)
            .Select(r => new Refusal(r.Id, r.ReceivedAt, r.Sender, r.OriginNode, r.ResourceId, r.RecordVersion, r.Kind, r.Reason))
            .ToPagedAsync(page, ct));

    public static Ok<NodeLinks> GetLinks(ServiceHostContext host)
    {
        var node = host.RequiredNode;
        var routing = node.Routing;
        var links = Links(node).Select(l => new FederationLink(l.Peer, l.Direction,
            [.. routing.Rules(l.Direction).Where(r => l.Direction == LinkDirection.Up || r.To.Count == 0 || r.To.Contains(l.Peer, StringComparer.Ordinal))])).ToList();
        return TypedResults.Ok(new NodeLinks(node.NodeId, node.Tier.ToString().ToLowerInvariant(), node.AdministrativeCode, node.Name.Zh, routing.DirectoryMode, links));
    }

    public static Ok<LinkDecisions> GetDecisions(ServiceHostContext host, [FromQuery] string? classification, [FromQuery] string? securityClassification)
    {
        if (!SecurityLevels.IsLevel(securityClassification))
            throw new ValidationProblemException("securityClassification", $"securityClassification is one of {string.Join(", ", SecurityLevels.All)}; got '{securityClassification}'.");
        if (classification is { Length: > 0 } c && !(c.Length <= 14 && c.Split('.') is { Length: <= 3 } parts && parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit))))
            throw new ValidationProblemException("classification", $"classification is a code such as 3, 3.6 or 3.6.1; got '{classification}'.");
        var node = host.RequiredNode;
        var code = string.IsNullOrEmpty(classification) ? null : classification;
        var decisions = Links(node).Select(l => node.Routing.Decide(l.Direction, l.Peer, code, securityClassification)).ToList();
        return TypedResults.Ok(new LinkDecisions(code, securityClassification!, decisions));
    }

    // Up to the parent, down to each child, and sideways to each child (entries of its siblings passing through here).
    private static IEnumerable<(string Peer, LinkDirection Direction)> Links(NodeDescriptor node)
    {
        if (node.Parent is { } parent) yield return (parent, LinkDirection.Up);
        foreach (var child in node.Children) yield return (child, LinkDirection.Down);
        if (node.Children.Count >= 2)
            foreach (var child in node.Children) yield return (child, LinkDirection.Sideways);
    }
}
