using System.Globalization;
using MedImaging.Contracts.Audit;
using MedImaging.Registration.Auditing;
using MedImaging.Registration.Privacy;
using MedImaging.ServiceDefaults.Audit;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MedImaging.Registration.Apis;

/// <summary>
/// PHI vault key rotation for the node's administrators (ADR 0010): rows per key id, and re-sealing the rows an older
/// key sealed under the active one, in pages. Nothing here returns PHI.
/// </summary>
public static class PhiVaultAdminApi
{
    public const int DefaultPageSize = 200;
    public const int DefaultMaxPages = 50;

    public static IEndpointRouteBuilder MapPhiVaultAdminApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/admin/phi-vault").WithTags("PHI vault administration").RequireAuthorization(Policies.Admin);
        g.MapGet("/keys", Keys).WithName("GetPhiVaultKeys")
            .WithSummary("Vault rows per key id, whether each key is configured and active, and which can be removed from configuration");
        g.MapPost("/rotation", Rotate).WithName("RotatePhiVaultKeys")
            .WithSummary("Re-seal rows not under the active key, up to maxPages pages of pageSize rows; call again until done");
        return app;
    }

    /// <summary>A read of the vault (its rows per key, no PHI), audited as one.</summary>
    public static async Task<Ok<VaultKeyStatus>> Keys(PhiKeyRotation rotation, IAuditTrail audit, HttpContext http, CancellationToken ct)
    {
        var status = await rotation.StatusAsync(ct);
        await audit.WriteAsync(AuditEvents.For(http, AuditActions.PhiRead, new AuditResource { Kind = RegistrationAudit.VaultKind, Id = "keys" },
            AuditOutcome.Success, new Dictionary<string, string>
            {
                ["view"] = "keys", ["activeKeyId"] = status.ActiveKeyId, ["rowsToReseal"] = status.RowsToReseal.ToString(CultureInfo.InvariantCulture),
            }), ct);
        return TypedResults.Ok(status);
    }

    public static async Task<Results<Ok<RotationRun>, ProblemHttpResult>> Rotate(PhiKeyRotation rotation, HttpContext http, int? pageSize, int? maxPages, CancellationToken ct)
    {
        if (pageSize is < 1 or > 1000) throw new ValidationProblemException("pageSize", "Give between 1 and 1000 rows per page (each page is one transaction).");
        if (maxPages is < 1 or > 10_000) throw new ValidationProblemException("maxPages", "Give between 1 and 10000 pages per call.");
        var audit = AuditEvents.For(http, AuditActions.PhiKeyRotation, new AuditResource { Kind = RegistrationAudit.VaultKind, Id = "rotation" });
        var run = await rotation.RunAsync(pageSize ?? DefaultPageSize, maxPages ?? DefaultMaxPages, audit, ct);
        if (run.Failures.Count == 0) return TypedResults.Ok(run);
        // What could be re-sealed was; the rest is named by key id so the operator knows which key to configure (or which
        // rows to look at) before the old key may go.
        return TypedResults.Problem(title: "Some vault rows could not be re-sealed", statusCode: StatusCodes.Status409Conflict,
            detail: string.Join("; ", run.Failures.Select(f => $"{f.Rows} row(s) under key '{f.KeyId}': {f.Reason}"))
                + $". {run.Resealed} row(s) were re-sealed under '{run.Status.ActiveKeyId}'.",
            extensions: new Dictionary<string, object?>
            {
                ["errors"] = run.Failures.GroupBy(f => $"Registration:PhiVault:Keys:{f.KeyId}")
                    .ToDictionary(g => g.Key, g => g.Select(f => $"{f.Rows} row(s): {f.Reason}").ToArray()),
                ["failures"] = run.Failures, ["resealed"] = run.Resealed, ["pages"] = run.Pages, ["vault"] = run.Status,
            });
    }
}
