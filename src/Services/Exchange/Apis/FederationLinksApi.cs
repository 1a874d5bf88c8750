using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MedImaging.Exchange.Apis;

public static class FederationLinksApi
{
    /// <summary>A federation link of this node: to its parent (shares go up) or to a child (shares come up from it).</summary>
    public sealed record FederationLink(string PeerNode, string Direction, int RoutingRules);

    public sealed record NodeLinks(string NodeId, string Tier, string AdministrativeCode, string NameZh, IReadOnlyList<FederationLink> Links);

    public static IEndpointRouteBuilder MapFederationLinksApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/links", GetLinks).WithTags("Federation")
            .WithName("GetFederationLinks").WithSummary("This node's place in the province → city → county tree and its links")
            .RequireAuthorization(Policies.Audit);
        return app;
    }

    public static Ok<NodeLinks> GetLinks(ServiceHostContext host)
    {
        var node = host.RequiredNode;
        var links = new List<FederationLink>();
        if (node.Parent is { } parent) links.Add(new FederationLink(parent, "up", node.Routing.Up.Count));
        links.AddRange(node.Children.Select(c => new FederationLink(c, "down", node.Routing.Down.Count)));
        return TypedResults.Ok(new NodeLinks(node.NodeId, node.Tier.ToString().ToLowerInvariant(), node.AdministrativeCode, node.Name.Zh, links));
    }
}
