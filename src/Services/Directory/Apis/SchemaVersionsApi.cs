using MedImaging.Directory.Domain;
using MedImaging.Directory.Infrastructure;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Directory.Apis;

public static class SchemaVersionsApi
{
    public static IEndpointRouteBuilder MapSchemaVersionsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/schema-versions", List).WithTags("Schema")
            .WithName("ListSchemaVersions").WithSummary("Metadata set versions the directory knows, newest first")
            .RequireAuthorization(Policies.Search);
        return app;
    }

    public static async Task<Ok<Paged<SchemaVersion>>> List(DirectoryDbContext db, [AsParameters] PageQuery paging, CancellationToken ct) =>
        TypedResults.Ok(await db.SchemaVersions.AsNoTracking().OrderBy(v => v.SetCode).ThenByDescending(v => v.Version).ToPagedAsync(paging, ct));
}
