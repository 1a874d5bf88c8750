using MedImaging.Registration.Domain;
using MedImaging.Registration.Infrastructure;
using MedImaging.Registration.Ingest;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Registration.Apis;

/// <summary>
/// The acquisition log (§4.9.4): what each adapter pushed, batch by batch, and what became of every instance. An adapter
/// sees its own batches; an institution-bound caller (hospital staff) the batches of the adapters the node file maps to
/// its institution; node-wide cataloguers and admins all. Batches carry no security classification (their items hold
/// DICOM UIDs and outcomes, never catalogue values), so clearance does not narrow them further.
/// </summary>
public static class AcquisitionsApi
{
    /// <summary>A batch and one page of its items (a batch holds up to Registration:Ingest:MaxPartsPerRequest of them).</summary>
    public sealed record BatchDetail(AcquisitionBatch Batch, Paged<AcquisitionItem> Items);

    public static IEndpointRouteBuilder MapAcquisitionsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/acquisitions").WithTags("Acquisition log").RequireAuthorization(RegistrationPolicies.AcquisitionLog);
        g.MapGet("/", List).WithName("ListAcquisitions").WithSummary("Batches by adapter, status and date range, newest first, paged");
        g.MapGet("/{batchId:guid}", Get).WithName("GetAcquisition").WithSummary("One batch with the outcome of each instance, paged by part order");
        return app;
    }

    public static async Task<Ok<Paged<AcquisitionBatch>>> List(RegistrationDbContext db, HttpContext http, string? adapter, string? status,
        DateTimeOffset? from, DateTimeOffset? to, [AsParameters] PageQuery paging, CancellationToken ct)
    {
        var q = db.AcquisitionBatches.AsNoTracking();
        // An adapter sees its own batches only, whatever it asks for; hospital staff their institution's adapters'.
        if (OwnOnly(http)) adapter = IngestHandler.Adapter(http);
        else if (http.User.Scope().Institution is { } institution)
        {
            var adapters = EntryVisibility.AdaptersOf(http.RequestServices.GetRequiredService<ServiceHostContext>(), institution);
            q = q.Where(b => adapters.Contains(b.Adapter));
        }
        if (!string.IsNullOrEmpty(adapter)) q = q.Where(b => b.Adapter == adapter);
        if (QueryValues.Parse<AcquisitionStatus>("status", status) is { } s) q = q.Where(b => b.Status == s);
        if (from is { } f) q = q.Where(b => b.StartedAt >= f);
        if (to is { } t) q = q.Where(b => b.StartedAt < t);
        return TypedResults.Ok(await q.OrderByDescending(b => b.StartedAt).ThenBy(b => b.Id).ToPagedAsync(paging, ct));
    }

    public static async Task<Results<Ok<BatchDetail>, NotFound>> Get(Guid batchId, RegistrationDbContext db, HttpContext http, [AsParameters] PageQuery paging, CancellationToken ct)
    {
        paging.Checked();
        var batch = await db.AcquisitionBatches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == batchId, ct);
        if (batch is null || !MaySee(http, batch)) return TypedResults.NotFound();
        var items = await db.AcquisitionItems.AsNoTracking().Where(i => i.BatchId == batchId).OrderBy(i => i.Ordinal).ToPagedAsync(paging, ct);
        return TypedResults.Ok(new BatchDetail(batch, items));
    }

    private static bool MaySee(HttpContext http, AcquisitionBatch batch)
    {
        if (OwnOnly(http)) return batch.Adapter == IngestHandler.Adapter(http);
        return http.User.Scope().Institution is not { } institution
            || EntryVisibility.AdaptersOf(http.RequestServices.GetRequiredService<ServiceHostContext>(), institution).Contains(batch.Adapter);
    }

    private static bool OwnOnly(HttpContext http) => !http.User.IsInRole(Roles.Cataloguer) && !http.User.IsInRole(Roles.Admin);
}
