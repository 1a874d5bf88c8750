using MedImaging.Directory.Search;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Http;
using MedImaging.ServiceDefaults.Node;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MedImaging.Directory.Federation;

/// <summary>
/// <c>GET /search?mode=distributed</c> (or without <c>mode</c> at a node whose tier file says distributed): the fan-out
/// answer of <see cref="FanOutSearch"/>. Pages after the first are not offered in this mode (each node pages alone).
/// </summary>
public static class DistributedSearchEndpoint
{
    public static bool IsDistributed(HttpContext http)
    {
        var host = http.RequestServices.GetRequiredService<ServiceHostContext>();
        return http.Request.Query["mode"].ToString() switch
        {
            "" => host.RequiredNode.Routing.DirectoryMode == DirectoryMode.Distributed,
            "distributed" => true,
            "centralised" or "centralized" => false,
            var other => throw new ValidationProblemException("mode", $"'{other}' is not a directory mode; use centralised or distributed."),
        };
    }

    public static async Task<IResult> SearchAsync(HttpContext http, CatalogQuery query, CatalogPage page, CancellationToken ct)
    {
        if (page.After is not null)
            throw new ValidationProblemException("cursor", "distributed answers have one page: ask for more with limit (up to 1000), or search centralised.");
        var services = http.RequestServices;
        var options = services.GetRequiredService<IOptionsMonitor<FanOutOptions>>().CurrentValue;
        var request = await FanOutRequest.FromAsync(http, options, services.GetRequiredService<ServiceHostContext>(), services.GetRequiredService<IConnectionMultiplexer>());
        var passOn = QueryString.Create(http.Request.Query.Where(p => p.Key is not ("mode" or "cursor")).SelectMany(p => p.Value.Select(v => KeyValuePair.Create(p.Key, v))));
        var answer = await services.GetRequiredService<FanOutSearch>().SearchAsync(query, page, request.Caller, passOn, request.QueryId, request.Hops, request.Local, request.Deadline, ct);
        return TypedResults.Ok(answer);
    }
}
