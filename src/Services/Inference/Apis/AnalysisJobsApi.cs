using MedImaging.Inference.Domain;
using MedImaging.Inference.Infrastructure;
using MedImaging.ServiceDefaults.Auth;
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

    public static async Task<Ok<List<AnalysisJob>>> ListJobs(InferenceDbContext db, int? take, CancellationToken ct) =>
        TypedResults.Ok(await db.AnalysisJobs.AsNoTracking().OrderByDescending(j => j.CreatedAt).Take(Math.Clamp(take ?? 50, 1, 500)).ToListAsync(ct));
}
