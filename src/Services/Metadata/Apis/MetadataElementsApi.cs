using System.Security.Claims;
using MedImaging.Contracts.Audit;
using MedImaging.Metadata.Domain;
using MedImaging.Metadata.Infrastructure;
using MedImaging.ServiceDefaults.Audit;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Metadata.Apis;

/// <summary>元数据元素管理 / 元数据实体管理 (§4.3.4), the tree view (§4.8.5 a) and the provenance log (§4.8.5 d).</summary>
public static class MetadataElementsApi
{
    public sealed record VersionDetail(string SetCode, int Version, string Status, string ChangeNote, string Source, int? BasedOn,
        SchemaMigration Migration, IReadOnlyList<EntityDefinition> Entities, IReadOnlyList<ElementDefinition> Elements);

    public sealed record TreeNode(string Kind, string Id, string NameZh, string NameEn, string? Obligation, int? MaxOccurs, string? DataType, IReadOnlyList<TreeNode> Children);

    public sealed record ElementChange(ElementDefinition Element, string? Reason, string? Source);
    public sealed record EntityChange(EntityDefinition Entity, string? Reason, string? Source);

    public static IEndpointRouteBuilder MapMetadataElementsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/sets/{code}").WithTags("Metadata elements");
        g.MapGet("/versions/{version:int}", GetVersion).WithName("GetMetadataSetVersion").WithSummary("A version with its entities and elements (§4.6 attributes)").RequireAuthorization(Policies.MetadataRead);
        g.MapGet("/tree", GetTree).WithName("GetMetadataTree").WithSummary("Tree view set → entity → element of a version (default: the active one)").RequireAuthorization(Policies.MetadataRead);
        g.MapPut("/versions/{version:int}/elements/{elementId}", PutElement).WithName("PutMetadataElement").WithSummary("Add or change an element of a draft version").RequireAuthorization(Policies.MetadataAdmin);
        g.MapDelete("/versions/{version:int}/elements/{elementId}", DeleteElement).WithName("DeleteMetadataElement").WithSummary("Remove an element from a draft version").RequireAuthorization(Policies.MetadataAdmin);
        g.MapPut("/versions/{version:int}/entities/{entityId}", PutEntity).WithName("PutMetadataEntity").WithSummary("Add or change an entity of a draft version").RequireAuthorization(Policies.MetadataAdmin);
        app.MapGet("/provenance", GetProvenance).WithTags("Metadata elements").WithName("GetProvenance")
            .WithSummary("Who changed what, when, why and from which source (subject prefix filter)").RequireAuthorization(Policies.MetadataRead);
        return app;
    }

    public static async Task<Results<Ok<VersionDetail>, ProblemHttpResult>> GetVersion(string code, int version, MetadataCatalog catalog, CancellationToken ct) =>
        await catalog.FindVersionAsync(code, version, ct) is var (set, v) ? TypedResults.Ok(Detail(set, v)) : MetadataSetsApi.NotFound($"{code} version {version}");

    public static async Task<Results<Ok<TreeNode>, ProblemHttpResult>> GetTree(string code, int? version, MetadataCatalog catalog, CancellationToken ct)
    {
        if (await catalog.FindVersionAsync(code, version, ct) is not var (set, v)) return MetadataSetsApi.NotFound(code);
        TreeNode Leaf(MetadataElement e) => new("element", e.ElementId, e.NameZh, e.NameEn, e.Obligation.ToString(), e.MaxOccurs, e.DataType.ToString(), []);
        var children = new List<(int Order, TreeNode Node)>();
        children.AddRange(v.Entities.Select(en => (en.Order, new TreeNode("entity", en.EntityId, en.NameZh, en.NameEn, en.Obligation.ToString(), en.MaxOccurs, null,
            [.. v.ElementsOf(en.EntityId).Select(Leaf)]))));
        // Top-level elements and entities interleave in the standard's order; an entity sits where its first element would.
        children.AddRange(v.ElementsOf(null).Select(e => (e.Order, Leaf(e))));
        var ordered = children.OrderBy(c => c.Node.Kind == "entity" ? FirstOrder(v, c.Node.Id) : c.Order).Select(c => c.Node).ToList();
        return TypedResults.Ok(new TreeNode("set", $"{set.Code}/v{v.Version}", set.NameZh, set.NameEn, null, null, v.Status.ToString(), ordered));
    }

    private static double FirstOrder(MetadataSetVersion v, string entityId) =>
        v.ElementsOf(entityId).Select(e => (double?)e.Order - 0.5).FirstOrDefault() ?? double.MaxValue;

    public static async Task<Results<Ok<ElementDefinition>, ProblemHttpResult>> PutElement(
        string code, int version, string elementId, ElementChange change, MetadataCatalog catalog, MetadataDbContext db, ClaimsPrincipal user,
        IAuditTrail audit, HttpContext http, CancellationToken ct)
    {
        var (set, v) = await DraftAsync(catalog, code, version, ct) ?? default;
        if (v is null) return MetadataSetsApi.NotFound($"{code} version {version}");
        var definition = change.Element with { ElementId = elementId };
        var others = v.Elements.Where(e => e.ElementId != elementId).Select(ElementDefinition.From).Append(definition).ToList();
        var errors = new Dictionary<string, string[]>();
        VersionDerivation.CheckDefinition(definition, [.. v.Entities.Select(EntityDefinition.From)], others, errors);
        if (errors.Count > 0) throw new ValidationProblemException($"Element '{elementId}' is not valid", errors);

        var existing = v.Element(elementId);
        var old = existing is null ? null : ElementDefinition.From(existing);
        if (existing is not null) db.MetadataElements.Remove(existing);
        db.MetadataElements.Add(definition.ToElement(v.Id, existing?.Order ?? (v.Elements.Count == 0 ? 0 : v.Elements.Max(e => e.Order) + 1)));
        v.NoteElementPut(definition, existedInDraft: existing is not null);
        db.Record(user.Actor(), new(change.Reason, change.Source), "element edited", $"set:{set.Code}/v{version}/element:{elementId}",
            existing is null ? "element-added" : "element-changed", new { old, @new = definition });
        audit.StageChange(http, AuditActions.MetadataSchemaChange, MetadataAudit.Element, $"set:{set.Code}/v{version}/element:{elementId}",
            $"{set.Code}/v{version}/{elementId}", existing is null ? "element-added" : "element-changed", ("version", version), ("elements", others.Count));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(definition);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteElement(
        string code, int version, string elementId, string? reason, MetadataCatalog catalog, MetadataDbContext db, ClaimsPrincipal user,
        IAuditTrail audit, HttpContext http, CancellationToken ct)
    {
        var (set, v) = await DraftAsync(catalog, code, version, ct) ?? default;
        if (v?.Element(elementId) is not { } element) return MetadataSetsApi.NotFound($"{code} version {version} element {elementId}");
        var dependants = v.Elements.Where(e => e.Condition?.Element == elementId).Select(e => e.ElementId).ToList();
        if (dependants.Count > 0) throw new ValidationProblemException(elementId, $"Elements {string.Join(", ", dependants)} have a condition on '{elementId}'.");
        db.MetadataElements.Remove(element);
        v.NoteElementRemoved(elementId);
        db.Record(user.Actor(), new(reason, null), "element removed", $"set:{set.Code}/v{version}/element:{elementId}", "element-removed", ElementDefinition.From(element));
        audit.StageChange(http, AuditActions.MetadataSchemaChange, MetadataAudit.Element, $"set:{set.Code}/v{version}/element:{elementId}",
            $"{set.Code}/v{version}/{elementId}", "element-removed", ("version", version), ("elements", v.Elements.Count(e => e.ElementId != elementId)));
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<EntityDefinition>, ProblemHttpResult>> PutEntity(
        string code, int version, string entityId, EntityChange change, MetadataCatalog catalog, MetadataDbContext db, ClaimsPrincipal user,
        IAuditTrail audit, HttpContext http, CancellationToken ct)
    {
        var (set, v) = await DraftAsync(catalog, code, version, ct) ?? default;
        if (v is null) return MetadataSetsApi.NotFound($"{code} version {version}");
        var definition = change.Entity with { EntityId = entityId };
        if (!VersionDerivation.IsValidId(entityId) || v.Element(entityId) is not null)
            throw new ValidationProblemException(entityId, "entityId must be a free id of ASCII letters and digits starting with a letter.");
        if (string.IsNullOrWhiteSpace(definition.NameZh) || string.IsNullOrWhiteSpace(definition.NameEn))
            throw new ValidationProblemException(entityId, "nameZh and nameEn (§4.6.1, §4.6.3) are required.");
        var existing = v.Entities.FirstOrDefault(e => e.EntityId == entityId);
        if (existing is not null) db.MetadataEntities.Remove(existing);
        db.MetadataEntities.Add(definition.ToEntity(v.Id, existing?.Order ?? v.Entities.Count));
        db.Record(user.Actor(), new(change.Reason, change.Source), "entity edited", $"set:{set.Code}/v{version}/entity:{entityId}",
            existing is null ? "entity-added" : "entity-changed", definition);
        audit.StageChange(http, AuditActions.MetadataSchemaChange, MetadataAudit.Entity, $"set:{set.Code}/v{version}/entity:{entityId}",
            $"{set.Code}/v{version}/{entityId}", existing is null ? "entity-added" : "entity-changed", ("version", version));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(definition);
    }

    public static async Task<Ok<Paged<ProvenanceEntry>>> GetProvenance(string? subject, MetadataDbContext db, [AsParameters] PageQuery paging, CancellationToken ct) =>
        TypedResults.Ok(await db.Provenance.Where(p => subject == null || p.Subject.StartsWith(subject)).OrderBy(p => p.At).ThenBy(p => p.Id).ToPagedAsync(paging, ct));

    private static async Task<(MetadataSet, MetadataSetVersion)?> DraftAsync(MetadataCatalog catalog, string code, int version, CancellationToken ct)
    {
        if (await catalog.FindVersionAsync(code, version, ct) is not var (set, v)) return null;
        // An active or deprecated version is what records were validated against: it never changes.
        if (!v.IsDraft) throw new ValidationProblemException($"Version {version} of '{code}' is {v.Status}", new Dictionary<string, string[]> { ["version"] = ["Only a draft version can be edited; create a new version."] }, StatusCodes.Status409Conflict);
        return (set, v);
    }

    internal static VersionDetail Detail(MetadataSet set, MetadataSetVersion v) => new(set.Code, v.Version, v.Status.ToString(), v.ChangeNote, v.Source, v.BasedOnVersion,
        v.Migration, [.. v.Entities.OrderBy(e => e.Order).Select(EntityDefinition.From)], [.. v.Elements.OrderBy(e => e.Order).Select(ElementDefinition.From)]);
}
