using MedImaging.Registration.Privacy;
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

    public static async Task<Ok<VaultKeyStatus>> Keys(PhiKeyRotation rotation, CancellationToken ct)
        => TypedResults.Ok(await rotation.StatusAsync(ct));

    public static async Task<Results<Ok<RotationRun>, ProblemHttpResult>> Rotate(PhiKeyRotation rotation, int? pageSize, int? maxPages, CancellationToken ct)
    {
        if (pageSize is < 1 or > 1000) throw new ValidationProblemException("pageSize", "Give between 1 and 1000 rows per page (each page is one transaction).");
        if (maxPages is < 1 or > 10_000) throw new ValidationProblemException("maxPages", "Give between 1 and 10000 pages per call.");
        var run = await rotation.RunAsync(pageSize ?? DefaultPageSize, maxPages ?? DefaultMaxPages, ct);
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
