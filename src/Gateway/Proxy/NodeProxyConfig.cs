using MedImaging.ServiceDefaults.Node;
using Yarp.ReverseProxy.Configuration;

namespace MedImaging.Gateway.Proxy;

/// <summary>
/// The node's routes, derived from its tier file: <c>/api/{service}/…</c> to each service with the prefix stripped and
/// announced in X-Forwarded-Prefix, and DICOMweb (<c>/dicomweb/…</c>): STOW-RS (POST) to registration, QIDO-RS (GET)
/// to directory, path kept. A route or cluster with the same id in the <c>ReverseProxy</c> section replaces it.
/// </summary>
internal static class NodeProxyConfig
{
    public const string RateLimiterPolicy = "gateway-proxy";

    // YARP's reserved policy name: no authorization at the gateway. The services validate tokens themselves, and the
    // gateway's fallback policy (authenticated caller) would otherwise answer 401 before the service could.
    public const string NoAuthorization = "anonymous";

    public static (IReadOnlyList<RouteConfig> Routes, IReadOnlyList<ClusterConfig> Clusters) Build(
        NodeDescriptor node, ICollection<string> configuredRouteIds, ICollection<string> configuredClusterIds)
    {
        var routes = new List<RouteConfig>();
        foreach (var service in ServiceNames.Apis)
        {
            var prefix = $"/api/{service}";
            routes.Add(Route($"api-{service}", service, $"{prefix}/{{**catch-all}}", methods: null,
            [
                new Dictionary<string, string> { ["PathRemovePrefix"] = prefix },
                // The defaults would set X-Forwarded-Prefix from the gateway's own (empty) path base.
                new Dictionary<string, string> { ["X-Forwarded"] = "Set", ["Prefix"] = "Off" },
                new Dictionary<string, string> { ["RequestHeader"] = "X-Forwarded-Prefix", ["Set"] = prefix },
            ]));
        }
        routes.Add(Route("dicomweb-stow", ServiceNames.Registration, "/dicomweb/{**catch-all}", ["POST"], []));
        routes.Add(Route("dicomweb-qido", ServiceNames.Directory, "/dicomweb/{**catch-all}", ["GET", "HEAD"], []));

        var clusters = ServiceNames.Apis.Select(service => new ClusterConfig
        {
            ClusterId = service,
            Destinations = new Dictionary<string, DestinationConfig>
            {
                [service] = new() { Address = node.Endpoints[service].AbsoluteUri },
            },
        });

        return ([.. routes.Where(r => !configuredRouteIds.Contains(r.RouteId))],
                [.. clusters.Where(c => !configuredClusterIds.Contains(c.ClusterId))]);
    }

    private static RouteConfig Route(string id, string cluster, string path, string[]? methods, IReadOnlyList<IReadOnlyDictionary<string, string>> transforms) => new()
    {
        RouteId = id,
        ClusterId = cluster,
        Match = new RouteMatch { Path = path, Methods = methods },
        AuthorizationPolicy = NoAuthorization,
        RateLimiterPolicy = RateLimiterPolicy,
        Transforms = transforms,
    };
}
