using System.Text.Json.Nodes;
using MedImaging.Directory.Discovery;
using MedImaging.Directory.Infrastructure;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MedImaging.Directory.Apis;

/// <summary>服务自描述 (§4.10 基础接口).</summary>
public static class DescriptionApi
{
    public static IEndpointRouteBuilder MapDescriptionApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/description", Describe).WithTags("Discovery").WithName("DescribeDirectoryService")
            .WithSummary("服务自描述: operations and paths, output formats, element sets, limits, and the queryable elements of the active metadata sets (zh/en)")
            .RequireAuthorization(Policies.Discover);
        return app;
    }

    public static async Task<Ok<JsonObject>> Describe(DirectoryDbContext db, IOptionsMonitor<DiscoveryOptions> options, ServiceHostContext host, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(SelfDescription.Build(http.Request.PathBase, host.Node?.NodeId, options.CurrentValue.Limits, await ActiveSchemas.LoadAsync(db, ct)));
}
