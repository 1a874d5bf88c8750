using System.Text.Json.Nodes;
using MedImaging.Metadata.Domain;
using MedImaging.Metadata.Infrastructure;
using MedImaging.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace MedImaging.Metadata.Apis;

/// <summary>
/// Validation as a service (§4.9.4 数据完整性 and 逻辑一致性): Registration sends a record and the set version it was
/// written with, and gets one problem per failing element. Nothing is stored.
/// </summary>
public static class ValidationApi
{
    public sealed record ValidateRequest(string SetCode, int? Version, JsonObject Record);

    public static IEndpointRouteBuilder MapValidationApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/validation", Validate).WithTags("Validation").WithName("ValidateRecord")
            .WithSummary("Completeness and conformance of a record against a set version (default: the active one)").RequireAuthorization(Policies.MetadataRead);
        return app;
    }

    public static async Task<Results<Ok<ValidationReport>, ProblemHttpResult>> Validate(ValidateRequest request, MetadataCatalog catalog, CancellationToken ct)
    {
        if (await catalog.FindVersionAsync(request.SetCode, request.Version, ct) is not var (set, v))
            return MetadataSetsApi.NotFound($"{request.SetCode} version {request.Version}");
        return TypedResults.Ok(await catalog.ValidateAsync(set, v, request.Record ?? [], ct));
    }
}
