using System.Security.Claims;
using MedImaging.Contracts.Audit;
using MedImaging.Contracts.Metadata;
using MedImaging.Metadata.Domain;
using MedImaging.Metadata.Infrastructure;
using MedImaging.ServiceDefaults.Audit;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Http;
using MedImaging.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Metadata.Apis;

/// <summary>资源目录分类模型 (§4.9.2): the 类目/亚目/细目 scheme, its editing, and the DICOM → classification mapping.</summary>
public static class ClassificationApi
{
    public sealed record NodeView(string Code, string FullCode, string Level, string LevelZh, string NameZh, string NameEn, bool Withdrawn, IReadOnlyList<NodeView> Children);
    public sealed record SchemeView(string Code, string NameZh, string NameEn, int Revision, DateTimeOffset UpdatedAt, string UpdatedBy, IReadOnlyList<NodeView> Categories);
    public sealed record NodeRequest(string? ParentCode, string Code, string NameZh, string NameEn, string? Reason, string? Source);
    public sealed record NodeEdit(string? NameZh, string? NameEn, bool? Withdrawn, string? Reason, string? Source);
    public sealed record RuleView(string Attribute, string Value, string Level, string Code, string? Category);
    public sealed record RuleRequest(string Attribute, string Value, string? Code, string? Reason, string? Source, string? Category = null);
    public sealed record ClassifyRequest(string? Modality, string? BodyPartExamined, string? StudyDescription, IReadOnlyList<string>? SeriesDescriptions = null, bool? ContrastBolusAgent = null);
    public sealed record ClassifyResult(string? FullCode, IReadOnlyList<NodeView> Path, IReadOnlyList<string> MatchedRules);

    public static IEndpointRouteBuilder MapClassificationApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/classification").WithTags("Classification");
        g.MapGet("/", GetScheme).WithName("GetClassificationScheme").WithSummary("The scheme as a tree 类目 → 亚目 → 细目 with its revision").RequireAuthorization(Policies.MetadataRead);
        g.MapPost("/nodes", AddNode).WithName("AddClassificationNode").WithSummary("Add a node under a parent (or a 类目 at the top)").RequireAuthorization(Policies.MetadataAdmin);
        g.MapPatch("/nodes/{fullCode}", EditNode).WithName("EditClassificationNode").WithSummary("Rename or withdraw a node (codes are never deleted or reused)").RequireAuthorization(Policies.MetadataAdmin);
        g.MapGet("/revisions", ListRevisions).WithName("ListClassificationRevisions").WithSummary("Every revision of the scheme: when, who, what changed").RequireAuthorization(Policies.MetadataRead);
        g.MapGet("/revisions/{revision:int}", GetRevision).WithName("GetClassificationRevision").WithSummary("The scheme and its DICOM mapping as they stood at a revision").RequireAuthorization(Policies.MetadataRead);
        g.MapGet("/dicom-mapping", GetMapping).WithName("GetDicomClassificationMapping").WithSummary("DICOM attribute → classification code rules").RequireAuthorization(Policies.MetadataRead);
        g.MapPut("/dicom-mapping", PutRule).WithName("PutDicomClassificationRule").WithSummary("Add, change or (code null) remove a mapping rule").RequireAuthorization(Policies.MetadataAdmin);
        g.MapPost("/classify", Classify).WithName("ClassifyDicomStudy").WithSummary("Classify a study from Modality, BodyPartExamined, StudyDescription, SeriesDescriptions and whether it carries a Contrast/Bolus Agent").RequireAuthorization(Policies.MetadataRead);
        return app;
    }

    public static async Task<Ok<SchemeView>> GetScheme(MetadataCatalog catalog, CancellationToken ct) => TypedResults.Ok(View(await catalog.SchemeAsync(ct)));

    public static async Task<Created<NodeView>> AddNode(NodeRequest request, MetadataCatalog catalog, MetadataDbContext db, IOutbox outbox, ServiceHostContext host, ClaimsPrincipal user,
        IAuditTrail audit, HttpContext http, CancellationToken ct)
    {
        var scheme = await catalog.SchemeAsync(ct);
        var parent = request.ParentCode is null ? null : scheme.Node(request.ParentCode)
            ?? throw new ValidationProblemException("parentCode", $"'{request.ParentCode}' is not a node of scheme '{scheme.Code}'.");
        if (parent is { Level: ClassificationLevel.Detail }) throw new ValidationProblemException("parentCode", "细目 is the third and last level (§4.9.2); it takes no children.");
        // A code is one OID arc of the resource identifier: a number without leading zeros.
        if (!System.Text.RegularExpressions.Regex.IsMatch(request.Code ?? "", "^[1-9][0-9]{0,8}$"))
            throw new ValidationProblemException("code", "A node code is one OID arc: a positive number without leading zeros.");
        var full = parent is null ? request.Code! : $"{parent.FullCode}.{request.Code}";
        if (scheme.Node(full) is not null)
            throw new ValidationProblemException("Classification code exists", new Dictionary<string, string[]> { ["code"] = [$"Code {full} exists (withdrawn codes are never reused)."] }, StatusCodes.Status409Conflict);
        if (string.IsNullOrWhiteSpace(request.NameZh) || string.IsNullOrWhiteSpace(request.NameEn)) throw new ValidationProblemException("nameZh", "nameZh and nameEn are required.");

        var node = new ClassificationNode
        {
            SchemeId = scheme.Id, Code = request.Code!, FullCode = full, ParentCode = parent?.FullCode,
            Level = parent is null ? ClassificationLevel.Category : parent.Level + 1, NameZh = request.NameZh, NameEn = request.NameEn,
        };
        db.ClassificationNodes.Add(node);
        Changed(scheme, "node-added", full, new(request.Reason, request.Source), db, outbox, host, user, new { node.NameZh, node.NameEn, level = node.Level.ToString() });
        audit.StageChange(http, AuditActions.ClassificationChange, MetadataAudit.ClassificationNode, $"scheme:{scheme.Code}/{full}", full, "node-added",
            ("scheme", scheme.Code), ("revision", scheme.Revision), ("level", node.Level));
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/classification/nodes/{full}", View(node, scheme));
    }

    public static async Task<Results<Ok<NodeView>, ProblemHttpResult>> EditNode(string fullCode, NodeEdit edit, MetadataCatalog catalog, MetadataDbContext db, IOutbox outbox, ServiceHostContext host, ClaimsPrincipal user,
        IAuditTrail audit, HttpContext http, CancellationToken ct)
    {
        var scheme = await catalog.SchemeAsync(ct);
        if (scheme.Node(fullCode) is not { } node)
            return TypedResults.Problem(title: "Not found", detail: $"'{fullCode}' is not a node of scheme '{scheme.Code}'.", statusCode: 404);
        var old = new { node.NameZh, node.NameEn, node.Withdrawn };
        if (!string.IsNullOrWhiteSpace(edit.NameZh)) node.NameZh = edit.NameZh;
        if (!string.IsNullOrWhiteSpace(edit.NameEn)) node.NameEn = edit.NameEn;
        var kind = "node-renamed";
        var affected = 1;
        if (edit.Withdrawn is { } withdrawn && withdrawn != node.Withdrawn)
        {
            // Withdrawing a parent withdraws its subtree: no identifier may be issued under it any more.
            var subtree = scheme.Nodes.Where(n => n.FullCode == fullCode || n.FullCode.StartsWith(fullCode + ".", StringComparison.Ordinal)).ToList();
            foreach (var n in subtree) n.Withdrawn = withdrawn;
            (kind, affected) = (withdrawn ? "node-withdrawn" : "node-reinstated", subtree.Count);
        }
        Changed(scheme, kind, fullCode, new(edit.Reason, edit.Source), db, outbox, host, user, new { old, @new = new { node.NameZh, node.NameEn, node.Withdrawn } });
        audit.StageChange(http, AuditActions.ClassificationChange, MetadataAudit.ClassificationNode, $"scheme:{scheme.Code}/{fullCode}", fullCode, kind,
            ("scheme", scheme.Code), ("revision", scheme.Revision), ("nodes", affected));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(View(node, scheme));
    }

    public sealed record RevisionView(int Revision, DateTimeOffset CreatedAt, string CreatedBy, string ChangeKind, string Subject);

    public static async Task<Ok<Paged<RevisionView>>> ListRevisions(MetadataCatalog catalog, MetadataDbContext db, [AsParameters] PageQuery paging, CancellationToken ct)
    {
        var scheme = await catalog.SchemeAsync(ct);
        return TypedResults.Ok(await db.ClassificationSchemeRevisions.AsNoTracking().Where(r => r.SchemeId == scheme.Id)
            .OrderBy(r => r.Revision).Select(r => new RevisionView(r.Revision, r.CreatedAt, r.CreatedBy, r.ChangeKind, r.Subject)).ToPagedAsync(paging, ct));
    }

    public static async Task<Results<Ok<SchemeSnapshot>, ProblemHttpResult>> GetRevision(int revision, MetadataCatalog catalog, MetadataDbContext db, CancellationToken ct)
    {
        var scheme = await catalog.SchemeAsync(ct);
        var stored = await db.ClassificationSchemeRevisions.AsNoTracking().FirstOrDefaultAsync(r => r.SchemeId == scheme.Id && r.Revision == revision, ct);
        return stored is null
            ? TypedResults.Problem(title: "Not found", detail: $"Scheme '{scheme.Code}' has no revision {revision} (current: {scheme.Revision}).", statusCode: 404)
            : TypedResults.Ok(System.Text.Json.JsonSerializer.Deserialize<SchemeSnapshot>(stored.Snapshot, System.Text.Json.JsonSerializerOptions.Web)!);
    }

    public static async Task<Ok<Paged<RuleView>>> GetMapping(MetadataCatalog catalog, [AsParameters] PageQuery paging, CancellationToken ct) =>
        TypedResults.Ok((await catalog.SchemeAsync(ct)).DicomRules.OrderBy(r => r.Attribute).ThenBy(r => r.Category).ThenBy(r => r.Value).Select(View).ToPaged(paging));

    public static async Task<Ok<RuleView?>> PutRule(RuleRequest request, MetadataCatalog catalog, MetadataDbContext db, IOutbox outbox, ServiceHostContext host, ClaimsPrincipal user,
        IAuditTrail audit, HttpContext http, CancellationToken ct)
    {
        var scheme = await catalog.SchemeAsync(ct);
        if (!DicomClassificationRule.Attributes.Contains(request.Attribute))
            throw new ValidationProblemException("attribute", $"Mapped attributes are {string.Join(", ", DicomClassificationRule.Attributes)}.");
        if (string.IsNullOrWhiteSpace(request.Value) || request.Value.Length > 64) throw new ValidationProblemException("value", "A value of 1 to 64 characters is required.");
        var level = DicomClassificationRule.LevelOf(request.Attribute);
        var category = request.Category?.Trim() ?? "";
        if (category.Length > 0 && level != ClassificationLevel.Detail)
            throw new ValidationProblemException("category", $"Only 细目 rules are limited to a 类目; {request.Attribute} decides the {ClassificationNode.LevelNameZh(level)}.");
        if (category.Length > 0 && scheme.Node(category) is not { Level: ClassificationLevel.Category })
            throw new ValidationProblemException("category", $"'{category}' is not a 类目 of scheme '{scheme.Code}'.");
        if (request.Attribute == DicomClassificationRule.ContrastBolusAgent && !new[] { DicomClassificationRule.Present, DicomClassificationRule.Absent }.Contains(request.Value))
            throw new ValidationProblemException("value", $"A ContrastBolusAgent rule's value is '{DicomClassificationRule.Present}' or '{DicomClassificationRule.Absent}'.");
        if (request.Code is { } code && !scheme.Nodes.Any(n => n.Level == level && n.Code == code && !n.Withdrawn && (category.Length == 0 || n.FullCode.StartsWith(category + ".", StringComparison.Ordinal))))
            throw new ValidationProblemException("code", $"No {ClassificationNode.LevelNameZh(level)} of scheme '{scheme.Code}'{(category.Length == 0 ? "" : $" under 类目 {category}")} has code '{code}'.");
        var rule = scheme.DicomRules.FirstOrDefault(r => r.Attribute == request.Attribute && r.Category == category && string.Equals(r.Value, request.Value, StringComparison.OrdinalIgnoreCase));
        var (previousCode, change) = (rule?.Code, request.Code is null ? "rule-removed" : rule is null ? "rule-added" : "rule-changed");
        if (request.Code is null) { if (rule is not null) db.DicomClassificationRules.Remove(rule); }
        else if (rule is null) db.DicomClassificationRules.Add(rule = new() { SchemeId = scheme.Id, Attribute = request.Attribute, Value = request.Value, Level = level, Code = request.Code, Category = category });
        else rule.Code = request.Code;
        var subject = $"{request.Attribute}={request.Value}{(category.Length == 0 ? "" : $"@{category}")}";
        Changed(scheme, "mapping-changed", subject, new(request.Reason, request.Source), db, outbox, host, user, new { request.Code, category });
        audit.StageChange(http, AuditActions.ClassificationChange, MetadataAudit.ClassificationRule, $"scheme:{scheme.Code}/{subject}", subject, change,
            ("scheme", scheme.Code), ("revision", scheme.Revision), ("code", request.Code), ("previousCode", previousCode));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok<RuleView?>(request.Code is null ? null : View(rule!));
    }

    public static async Task<Ok<ClassifyResult>> Classify(ClassifyRequest request, MetadataCatalog catalog, CancellationToken ct)
    {
        var scheme = await catalog.SchemeAsync(ct);
        var (full, matched) = DicomClassifier.Classify(scheme, new DicomStudyFacts(request.Modality, request.BodyPartExamined, request.StudyDescription,
            request.SeriesDescriptions, request.ContrastBolusAgent));
        var path = full is null ? [] : Prefixes(full).Select(c => View(scheme.Node(c)!, scheme, withChildren: false)).ToList();
        return TypedResults.Ok(new ClassifyResult(full, path, matched));
    }

    private static void Changed(ClassificationScheme scheme, string kind, string subject, ChangeReason reason, MetadataDbContext db, IOutbox outbox, ServiceHostContext host, ClaimsPrincipal user, object details)
    {
        scheme.Touch(user.Actor());
        // Snapshot the scheme as this change leaves it (rules being deleted in this unit of work are already gone).
        db.ChangeTracker.DetectChanges();
        var rules = scheme.DicomRules.Where(r => db.Entry(r).State != Microsoft.EntityFrameworkCore.EntityState.Deleted);
        db.ClassificationSchemeRevisions.Add(ClassificationSchemeRevision.Of(scheme, rules, kind, subject));
        db.Record(user.Actor(), reason, kind, $"scheme:{scheme.Code}/{subject}", kind, details);
        outbox.Enqueue(new ClassificationSchemeChanged
        {
            OriginNode = host.RequiredNode.NodeId, SchemeCode = scheme.Code, Revision = scheme.Revision, ChangeKind = kind, Subject = subject,
            ChangedBy = user.Actor(), Reason = reason.Reason,
        });
    }

    private static RuleView View(DicomClassificationRule r) => new(r.Attribute, r.Value, r.Level.ToString(), r.Code, r.Category.Length == 0 ? null : r.Category);

    private static IEnumerable<string> Prefixes(string full)
    {
        var parts = full.Split('.');
        for (var i = 1; i <= parts.Length; i++) yield return string.Join('.', parts[..i]);
    }

    private static SchemeView View(ClassificationScheme s) => new(s.Code, s.NameZh, s.NameEn, s.Revision, s.UpdatedAt, s.UpdatedBy,
        [.. s.Nodes.Where(n => n.ParentCode is null).OrderBy(n => int.Parse(n.Code, System.Globalization.CultureInfo.InvariantCulture)).Select(n => View(n, s))]);

    private static NodeView View(ClassificationNode n, ClassificationScheme s, bool withChildren = true) =>
        new(n.Code, n.FullCode, n.Level.ToString(), ClassificationNode.LevelNameZh(n.Level), n.NameZh, n.NameEn, n.Withdrawn,
            withChildren ? [.. s.Nodes.Where(c => c.ParentCode == n.FullCode).OrderBy(c => int.Parse(c.Code, System.Globalization.CultureInfo.InvariantCulture)).Select(c => View(c, s))] : []);
}
