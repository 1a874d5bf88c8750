using System.Security.Claims;
using MedImaging.Contracts.Audit;
using MedImaging.Metadata.Domain;
using MedImaging.Metadata.Infrastructure;
using MedImaging.ServiceDefaults.Audit;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Metadata.Apis;

/// <summary>资源标识符 (§2.12–2.15, §4.8.2 c, §4.9.3): issue, withdraw, validate and explain OIDs.</summary>
public static class IdentifiersApi
{
    public sealed record IssueRequest(string ClassificationCode, string? Reason = null, string? Source = null);
    public sealed record WithdrawRequest(string Reason, string? Source = null);
    public sealed record IdentifierView(string Oid, string AdministrativeCode, string ClassificationCode, long Serial, DateTimeOffset IssuedAt, string IssuedBy,
        DateTimeOffset? WithdrawnAt, string? WithdrawalReason);

    public static IEndpointRouteBuilder MapIdentifiersApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/identifiers").WithTags("Resource identifiers");
        // Cataloguers issue too: Registration asks with the registering cataloguer's token (§4.8.2 c). Withdrawal stays with admins.
        g.MapPost("/", Issue).WithName("IssueResourceIdentifier").WithSummary("Issue a new OID under a 细目 with the next serial (后段码); metadata admins and cataloguers")
            .RequireAuthorization(p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin, Roles.Cataloguer));
        g.MapPost("/{oid}/withdraw", Withdraw).WithName("WithdrawResourceIdentifier").WithSummary("Withdraw an identifier; its serial is never reused").RequireAuthorization(Policies.MetadataAdmin);
        g.MapGet("/{oid}", Get).WithName("GetResourceIdentifier").WithSummary("An identifier issued by this node").RequireAuthorization(Policies.MetadataRead);
        g.MapGet("/{oid}/explain", Explain).WithName("ExplainOid").WithSummary("Explain an OID arc by arc and say whether it is valid").RequireAuthorization(Policies.MetadataRead);
        return app;
    }

    public static async Task<Created<IdentifierView>> Issue(IssueRequest request, MetadataCatalog catalog, MetadataDbContext db, ServiceHostContext host, ClaimsPrincipal user,
        IAuditTrail audit, HttpContext http, CancellationToken ct)
    {
        var scheme = await catalog.SchemeAsync(ct);
        var node = scheme.Node(request.ClassificationCode ?? "");
        if (node is null) throw new ValidationProblemException("classificationCode", $"'{request.ClassificationCode}' is not a node of classification scheme '{scheme.Code}'.");
        if (node.Level != ClassificationLevel.Detail) throw new ValidationProblemException("classificationCode", $"'{node.FullCode}' is a {ClassificationNode.LevelNameZh(node.Level)}; identifiers are issued under a 细目 (类目.亚目.细目).");
        if (node.Withdrawn) throw new ValidationProblemException("classificationCode", $"'{node.FullCode}' is withdrawn; no new identifiers are issued under it.");

        var serial = await db.NextSerialAsync(ct);
        var parts = node.FullCode.Split('.');
        var node_ = host.RequiredNode;
        var id = new ResourceIdentifier
        {
            Oid = ResourceIdentifier.Compose(node_.OidRoot, node_.AdministrativeCode, node.FullCode, serial),
            AdministrativeCode = node_.AdministrativeCode, CategoryCode = parts[0], SubcategoryCode = parts[1], DetailCode = parts[2],
            Serial = serial, IssuedBy = user.Actor(),
        };
        db.ResourceIdentifiers.Add(id);
        db.Record(user.Actor(), new(request.Reason, request.Source), "identifier issued", $"identifier:{id.Oid}", "issued", new { node.FullCode, serial });
        audit.StageChange(http, AuditActions.IdentifierChange, MetadataAudit.Identifier, $"identifier:{id.Oid}", id.Oid, "issued",
            ("classificationCode", node.FullCode), ("serial", serial));
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/identifiers/{id.Oid}", View(id));
    }

    public static async Task<Results<Ok<IdentifierView>, ProblemHttpResult>> Withdraw(string oid, WithdrawRequest request, MetadataDbContext db, ClaimsPrincipal user,
        IAuditTrail audit, HttpContext http, CancellationToken ct)
    {
        if (await db.ResourceIdentifiers.FindAsync([oid], ct) is not { } id) return NotFound(oid);
        if (string.IsNullOrWhiteSpace(request.Reason)) throw new ValidationProblemException("reason", "A withdrawal needs a reason.");
        id.Withdraw(user.Actor(), request.Reason);
        db.Record(user.Actor(), new(request.Reason, request.Source), "identifier withdrawn", $"identifier:{oid}", "withdrawn");
        audit.StageChange(http, AuditActions.IdentifierChange, MetadataAudit.Identifier, $"identifier:{oid}", oid, "withdrawn",
            ("classificationCode", $"{id.CategoryCode}.{id.SubcategoryCode}.{id.DetailCode}"), ("serial", id.Serial));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(View(id));
    }

    public static async Task<Results<Ok<IdentifierView>, ProblemHttpResult>> Get(string oid, MetadataDbContext db, CancellationToken ct) =>
        await db.ResourceIdentifiers.AsNoTracking().FirstOrDefaultAsync(r => r.Oid == oid, ct) is { } id ? TypedResults.Ok(View(id)) : NotFound(oid);

    public static async Task<Ok<OidExplanation>> Explain(string oid, MetadataCatalog catalog, CancellationToken ct)
    {
        var rules = catalog.Rules(await catalog.SchemeAsync(ct));
        var status = await catalog.SerialStatusAsync([oid], ct);
        return TypedResults.Ok(rules.Explain(oid, o => status.GetValueOrDefault(o)));
    }

    private static ProblemHttpResult NotFound(string oid) =>
        TypedResults.Problem(title: "Not found", detail: $"This node issued no identifier {oid}.", statusCode: 404);

    private static IdentifierView View(ResourceIdentifier r) => new(r.Oid, r.AdministrativeCode, $"{r.CategoryCode}.{r.SubcategoryCode}.{r.DetailCode}",
        r.Serial, r.IssuedAt, r.IssuedBy, r.WithdrawnAt, r.WithdrawalReason);
}
