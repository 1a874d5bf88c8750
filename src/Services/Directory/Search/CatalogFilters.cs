using MedImaging.Directory.Domain;

namespace MedImaging.Directory.Search;

/// <summary>The element filters of a <see cref="CatalogQuery"/> as SQL conditions, each served by its own index (ADR 0025).</summary>
public static class CatalogFilters
{
    public static IQueryable<CatalogEntry> Apply(IQueryable<CatalogEntry> e, CatalogQuery q)
    {
        ArgumentNullException.ThrowIfNull(q);
        if (q.Classifications.Count > 0)
        {
            // A code at any of the three levels: 类目 "2", 亚目 "2.2", 细目 "2.2.1".
            var codes = q.Classifications.ToArray();
            e = e.Where(x => codes.Contains(x.Category!) || codes.Contains(x.Subcategory!) || codes.Contains(x.ClassificationCode!));
        }
        if (q.Modalities.Count > 0) { var v = q.Modalities.ToArray(); e = e.Where(x => x.Modalities.Any(m => v.Contains(m))); }
        if (q.BodyParts.Count > 0) { var v = q.BodyParts.ToArray(); e = e.Where(x => x.BodyParts.Any(b => v.Contains(b))); }
        if (q.Institutions.Count > 0) { var v = q.Institutions.ToArray(); e = e.Where(x => v.Contains(x.Institution!)); }
        if (q.Nodes.Count > 0) { var v = q.Nodes.ToArray(); e = e.Where(x => v.Contains(x.OriginNode)); }
        if (q.SecurityClassifications.Count > 0) { var v = q.SecurityClassifications.ToArray(); e = e.Where(x => v.Contains(x.SecurityClassification!)); }
        if (q.Kinds.Count > 0) { var v = q.Kinds.ToArray(); e = e.Where(x => v.Contains(x.Kind)); }
        if (q.StudyInstanceUids.Count > 0) { var v = q.StudyInstanceUids.ToArray(); e = e.Where(x => v.Contains(x.StudyInstanceUid!)); }
        if (q.StudyDateFrom is { } sf) e = e.Where(x => x.StudyDate >= sf);
        if (q.StudyDateTo is { } st) e = e.Where(x => x.StudyDate <= st);
        if (q.PublishedFrom is { } pf) e = e.Where(x => x.PublishedAt >= pf);
        if (q.PublishedTo is { } pt) e = e.Where(x => x.PublishedAt <= pt);
        if (q.Where is { } where) e = e.Where(where);
        return e;
    }
}
