using MedImaging.Inference.Domain;
using MedImaging.Inference.Infrastructure;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Inference.Apis;

public static class AnalysisJobsApi
{
    public static IEndpointRouteBuilder MapAnalysisJobsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/jobs", ListJobs).WithTags("Analysis jobs")
            .WithName("ListAnalysisJobs").WithSummary("Analysis jobs, newest first, with their progress")
            .RequireAuthorization(Policies.Analyse);
        return app;
    }

    public static async Task<Ok<Paged<AnalysisJob>>> ListJobs(InferenceDbContext db, [AsParameters] PageQuery paging, CancellationToken ct) =>
        TypedResults.Ok(await db.AnalysisJobs.AsNoTracking().OrderByDescending(j => j.CreatedAt).ThenBy(j => j.Id).ToPagedAsync(paging, ct));
}
