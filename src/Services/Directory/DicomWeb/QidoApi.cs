using MedImaging.Contracts.Audit;
using MedImaging.Directory.Catalog;
using MedImaging.Directory.Domain;
using MedImaging.Directory.Search;
using MedImaging.ServiceDefaults.Audit;
using MedImaging.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Directory.DicomWeb;

/// <summary>
/// DICOMweb QIDO-RS (PS3.18 10.6 Search Transaction) over the published catalogue: studies are catalogue entries of
/// imaging studies, series their series summary. The node gateway routes <c>GET /dicomweb/**</c> here with the path
/// kept. Every search goes through <see cref="ICatalogSearch"/>, so the caller's clearance bounds what is found
/// (anonymous: public entries only). No matches is 200 with an empty array (PS3.18 as amended by CP-2473, not the
/// earlier 204). A bad key or value is 400 naming it (ADR 0028).
/// </summary>
public static class QidoApi
{
    public static IEndpointRouteBuilder MapQidoApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/dicomweb/studies", SearchStudies).WithTags("DICOMweb")
            .WithName("QidoSearchStudies").WithSummary("QIDO-RS: search for studies (PS3.18 10.6, PS3.4 C.2.2.2 matching)")
            .RequireAuthorization(Policies.Discover);
        app.MapGet("/dicomweb/studies/{study}/series", SearchSeries).WithTags("DICOMweb")
            .WithName("QidoSearchSeries").WithSummary("QIDO-RS: search for a study's series, from the entry's series summary")
            .RequireAuthorization(Policies.Discover);
        return app;
    }

    public static async Task<IResult> SearchStudies(HttpContext http, ICatalogSearch search, ICatalogUsage usage, CancellationToken ct)
    {
        if (QidoResponse.Negotiate(http) is not { } format) return QidoResponse.NotAcceptable(http);
        QidoRequest request;
        CatalogQuery query;
        try
        {
            request = QidoRequest.Parse(QidoLevel.Study, http.Request.Query);
            var where = QidoStudyFilter.Build(request);
            System.Linq.Expressions.Expression<Func<CatalogEntry, bool>> isStudy = e => e.StudyInstanceUid != null;
            query = new CatalogQuery { Where = where is null ? isStudy : QidoStudyFilter.AndAlso(isStudy, where), Sort = CatalogSort.Date, Descending = true, ExpandConcepts = false };
        }
        catch (QidoBadRequestException ex)
        {
            return QidoResponse.BadRequest(http, ex.Message);
        }
        var caller = http.User.Scope();
        // Keys first, in the engine's order, then the page's rows: offset works whatever cursor the engine uses.
        var keys = await search.KeysAsync(query, caller, request.Offset + request.Limit + 1, ct);
        var page = keys.Skip(request.Offset).Take(request.Limit).ToList();
        var entries = await Load(search, caller, page, ct);
        await usage.RecordAsync(UsageKind.SearchHit, page, caller, ct);
        var more = keys.Count > request.Offset + request.Limit;
        return QidoResponse.Results(http, format, [.. entries.Select(e => QidoResults.Study(e, request.Answered))], more);
    }

    public static async Task<IResult> SearchSeries(HttpContext http, [FromRoute] string study, ICatalogSearch search, ICatalogUsage usage,
        IAuditTrail audit, CancellationToken ct)
    {
        if (QidoResponse.Negotiate(http) is not { } format) return QidoResponse.NotAcceptable(http);
        QidoRequest request;
        try
        {
            if (DicomMatchParser.Parse(QidoAttributes.Study.First(a => a.Tag == QidoAttributes.StudyInstanceUid), study) is not DicomMatch.Exact)
                throw new QidoBadRequestException($"StudyInstanceUID (0020000D) in the path: '{study}' is not one UID.");
            request = QidoRequest.Parse(QidoLevel.Series, http.Request.Query);
        }
        catch (QidoBadRequestException ex)
        {
            return QidoResponse.BadRequest(http, ex.Message);
        }
        var caller = http.User.Scope();
        var entries = await search.Visible(caller).Where(e => e.StudyInstanceUid == study)
            .OrderBy(e => e.OriginNode).ThenBy(e => e.ResourceId).Take(16).ToListAsync(ct);
        // Hidden and unknown read the same: the caller learns nothing about entries above its clearance.
        if (entries.Count == 0) return Results.NotFound();
        await usage.RecordAsync(UsageKind.View, [.. entries.Select(e => new EntryKey(e.OriginNode, e.ResourceId))], caller, ct);
        foreach (var e in entries.Where(e => SecurityLevels.Rank(e.SecurityClassification) >= SecurityLevels.Rank(SecurityLevels.Restricted)))
            await audit.WriteAsync(AuditEvents.For(http, AuditActions.EntryRead, new AuditResource
            {
                Kind = "catalogue-entry", Id = e.ResourceId.ToString(), Identifier = e.ResourceIdentifier,
                Classification = e.SecurityClassification, Institution = e.Institution,
            }, details: new Dictionary<string, string> { ["binding"] = "qido-rs series", ["originNode"] = e.OriginNode }), ct);
        var series = entries
            .SelectMany(e => e.Series.Select(s => (Entry: e, Series: s)))
            .DistinctBy(x => x.Series.SeriesInstanceUid, StringComparer.Ordinal)
            .Where(x => QidoSeriesFilter.Matches(x.Series, request))
            .OrderBy(x => x.Series.SeriesNumber ?? int.MaxValue).ThenBy(x => x.Series.SeriesInstanceUid, StringComparer.Ordinal)
            .ToList();
        var page = series.Skip(request.Offset).Take(request.Limit).Select(x => QidoResults.Series(x.Entry, x.Series, request.Answered)).ToList();
        return QidoResponse.Results(http, format, page, series.Count > request.Offset + request.Limit);
    }

    private static async Task<List<CatalogEntry>> Load(ICatalogSearch search, CallerScope caller, List<EntryKey> keys, CancellationToken ct)
    {
        if (keys.Count == 0) return [];
        var ids = keys.Select(k => k.ResourceId).ToArray();
        var rows = await search.Visible(caller).Where(e => ids.Contains(e.ResourceId)).ToListAsync(ct);
        var byKey = rows.ToDictionary(e => new EntryKey(e.OriginNode, e.ResourceId));
        return [.. keys.Where(byKey.ContainsKey).Select(k => byKey[k])];
    }
}
