using System.Globalization;
using MedImaging.Contracts.Audit;
using MedImaging.Exchange.Audit;
using MedImaging.ServiceDefaults.Audit;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MedImaging.Exchange.Apis;

/// <summary>The regulator's check of the whole trail, and the public keys an outside verifier needs (ADR 0020).</summary>
public static class AuditVerifyApi
{
    public sealed record AuditKey(string KeyId, string Algorithm, bool Current, IReadOnlyDictionary<string, string> Jwk, string Pem);

    public sealed record AuditKeys(string Node, IReadOnlyList<AuditKey> Keys);

    public static IEndpointRouteBuilder MapAuditVerifyApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/audit/verify", Verify).WithTags("Audit")
            .WithName("VerifyAuditTrail")
            .WithSummary("Reads the whole audit chain, recomputes every hash and checks every anchor; names the first broken row and why")
            .RequireAuthorization(Policies.Audit);
        app.MapGet("/audit/keys", GetKeys).WithTags("Audit")
            .WithName("GetAuditKeys")
            .WithSummary("The public halves of the audit keys that sign the chain's anchors (JWK and PEM, with key ids)")
            .RequireAuthorization(Policies.Audit);
        return app;
    }

    public static async Task<Ok<VerifyResult>> Verify(HttpContext http, ChainVerifier verifier, IAuditTrail audit, ServiceHostContext host, CancellationToken ct)
    {
        var result = await verifier.VerifyAsync(ct);
        var details = new Dictionary<string, string>
        {
            ["ok"] = result.Ok ? "true" : "false",
            ["rowsChecked"] = result.RowsChecked.ToString(CultureInfo.InvariantCulture),
            ["anchorsChecked"] = result.AnchorsChecked.ToString(CultureInfo.InvariantCulture),
        };
        if (result.FirstProblem is { } p)
        {
            details["problemSequence"] = p.Sequence.ToString(CultureInfo.InvariantCulture);
            details["problemKind"] = p.Kind;
        }
        // The check is itself audited, through this service's outbox like every other record: it lands in the chain it checked.
        await audit.WriteAsync(AuditEvents.For(http, AuditActions.AuditVerify,
            new AuditResource { Kind = "audit-trail", Id = host.Node?.NodeId }, details: details), ct);
        return TypedResults.Ok(result);
    }

    public static Ok<AuditKeys> GetKeys(AnchorSigner signer, ServiceHostContext host) =>
        TypedResults.Ok(new AuditKeys(host.RequiredNode.NodeId, [.. signer.Keys.Select(k => new AuditKey(k.KeyId, AnchorKey.Algorithm, k.Current,
            new Dictionary<string, string>
            {
                ["kty"] = "EC", ["crv"] = "P-256", ["x"] = k.X, ["y"] = k.Y, ["kid"] = k.KeyId, ["alg"] = AnchorKey.Algorithm, ["use"] = "sig",
            }, k.PublicKeyPem))]));
}
