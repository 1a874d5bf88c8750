using MedImaging.Registration.Domain;
using MedImaging.Registration.Infrastructure;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Registration.Apis;

public static class MetadataSetsApi
{
    public static IEndpointRouteBuilder MapActiveMetadataSetsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metadata-sets/active", ListActive).WithTags("Metadata sets")
            .WithName("ListActiveMetadataSets").WithSummary("The metadata set versions new entries are validated against")
            .RequireAuthorization(Policies.Catalogue);
        return app;
    }

    public static async Task<Ok<Paged<ActiveMetadataSet>>> ListActive(RegistrationDbContext db, [AsParameters] PageQuery paging, CancellationToken ct) =>
        TypedResults.Ok(await db.ActiveMetadataSets.AsNoTracking().OrderBy(s => s.SetCode).ToPagedAsync(paging, ct));
}
