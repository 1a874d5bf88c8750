using MedImaging.Directory.Infrastructure;
using MedImaging.Directory.Search.Index;
using MedImaging.ServiceDefaults.Auth;

namespace MedImaging.Directory.Apis;

/// <summary>
/// Where this instance's search index stands (ADR 0030): its entries, its change-feed position against the read
/// model's, and how many searches it answered or left to PostgreSQL. For operators, and for the benchmark that must
/// not measure before the index has caught up. Administrators only.
/// </summary>
public static class SearchIndexApi
{
    public const string Path = "/admin/index";

    public sealed record IndexStatus(bool Enabled, bool Open, string? Location, int Entries, long Position, long ReadModelPosition, long Behind,
        long SearchesAnswered, long SearchesLeftToPostgreSql);

    public static IEndpointRouteBuilder MapSearchIndexApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, Status).WithTags("Administration").RequireAuthorization(Policies.Admin).WithName("GetSearchIndex")
            .WithSummary("This instance's search index: entries, change-feed position and lag behind the read model, searches answered");
        return app;
    }

    public static async Task<IndexStatus> Status(IServiceProvider services, DirectoryDbContext db, CancellationToken ct)
    {
        var head = await CatalogIndexFeeder.HeadAsync(db, ct);
        if (services.GetService<CatalogIndex>() is not { } index) return new(false, false, null, 0, 0, head, head, 0, 0);
        var (answered, declined) = index.Searches;
        return new(true, index.IsOpen, index.Location, index.Documents, index.Watermark, head, Math.Max(0, head - index.Watermark), answered, declined);
    }
}
