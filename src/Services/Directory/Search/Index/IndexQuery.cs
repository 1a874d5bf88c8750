using Lucene.Net.Index;
using Lucene.Net.Search;
using MedImaging.ServiceDefaults.Auth;

namespace MedImaging.Directory.Search.Index;

/// <summary>
/// A <see cref="CatalogQuery"/> and the caller's scope as one Lucene query, with the SQL engine's semantics (ADR 0025,
/// 0030): visibility and element filters as exact terms that add nothing to the score; each text group as the maximum
/// of its field weights (title 1, keywords 0.5, abstract 0.25, other 0.1), the groups summed.
/// </summary>
internal static class IndexQuery
{
    private const float Title = 1.0f, Keywords = 0.5f, Body = 0.25f, Other = 0.1f;

    /// <summary>The query, and whether it ranks (has text): without text every score is equal and relevance means newest first.</summary>
    public static (Query Query, bool Ranked) Build(CatalogQuery q, CallerScope caller, ExpandedText? text)
    {
        var all = new BooleanQuery(disableCoord: true);
        Filter(all, AnyTerm(IndexFields.Security, caller.VisibleClassifications));
        if (caller.Institution is { } institution) Filter(all, new TermQuery(new Term(IndexFields.Institution, institution)));
        Filters(all, q);
        var ranked = false;
        if (text is not null)
            foreach (var group in text.Groups.Where(g => g.Any(t => SearchText.Runs(t).Count > 0)))
            {
                all.Add(GroupScore(group), Occur.MUST);
                ranked = true;
            }
        return (all.Clauses.Count == 0 ? new MatchAllDocsQuery() : all, ranked);
    }

    private static void Filters(BooleanQuery all, CatalogQuery q)
    {
        if (q.Classifications.Count > 0) Filter(all, AnyTerm(IndexFields.Classification, q.Classifications));
        if (q.Modalities.Count > 0) Filter(all, AnyTerm(IndexFields.Modality, q.Modalities));
        if (q.BodyParts.Count > 0) Filter(all, AnyTerm(IndexFields.BodyPart, q.BodyParts));
        if (q.Institutions.Count > 0) Filter(all, AnyTerm(IndexFields.Institution, q.Institutions));
        if (q.Nodes.Count > 0) Filter(all, AnyTerm(IndexFields.Origin, q.Nodes));
        if (q.SecurityClassifications.Count > 0) Filter(all, AnyTerm(IndexFields.Security, q.SecurityClassifications));
        if (q.Kinds.Count > 0) Filter(all, AnyTerm(IndexFields.Kind, q.Kinds));
        if (q.StudyInstanceUids.Count > 0) Filter(all, AnyTerm(IndexFields.StudyUid, q.StudyInstanceUids));
        if (q.StudyDateFrom is not null || q.StudyDateTo is not null)
            Filter(all, NumericRangeQuery.NewInt32Range(IndexFields.StudyDate, q.StudyDateFrom is { } f ? IndexFields.DateNumber(f) : null,
                q.StudyDateTo is { } t ? IndexFields.DateNumber(t) : null, true, true));
        if (q.PublishedFrom is not null || q.PublishedTo is not null)
            Filter(all, NumericRangeQuery.NewInt64Range(IndexFields.Published, q.PublishedFrom?.UtcTicks, q.PublishedTo?.UtcTicks, true, true));
    }

    // A condition that must hold and adds nothing to the score, as a cached match set (MatchSets): the same visibility
    // and element filters come back in query after query, and a disjunction of terms over a million documents costs
    // far more per document than reading a cached set. The query's text form names its fields and values.
    private static void Filter(BooleanQuery all, Query condition) =>
        all.Add(new ConstantScoreQuery(MatchSets.For("filter\u001f" + condition, () => condition)) { Boost = 0f }, Occur.MUST);

    private static BooleanQuery AnyTerm(string field, IEnumerable<string> values)
    {
        var any = new BooleanQuery(disableCoord: true);
        foreach (var v in values.Distinct(StringComparer.Ordinal)) any.Add(new TermQuery(new Term(field, v)), Occur.SHOULD);
        // No values (a caller who may see nothing): a query no document matches.
        if (any.Clauses.Count == 0) any.Add(new TermQuery(new Term(field, "\u0000none")), Occur.SHOULD);
        return any;
    }

    // The group's best field: each alternative in title (1), keywords (0.5), abstract (0.25) or the rest (0.1). An
    // alternative of several script runs (CT肺结节) matches with its runs in different fields too, at the lowest weight,
    // as the unweighted tsquery does; one of a single run (nearly all) is covered by the four fields.
    private static DisjunctionMaxQuery GroupScore(IReadOnlyList<string> group)
    {
        var runs = group.Select(SearchText.Runs).Where(r => r.Count > 0).ToList();
        var other = Alternatives(runs, [IndexFields.TextD]);
        foreach (var split in runs.Where(r => r.Count > 1)) other.Add(AllRuns(split, IndexFields.TextFields), Occur.SHOULD);
        // Each field's match set is cached for the whole group (MatchSets): the concept dictionary expands a popular word
        // into the same dozens of alternatives every time, and combining them is most of a query's cost.
        var key = string.Join('\u001e', group.Order(StringComparer.Ordinal));
        return new DisjunctionMaxQuery(0f)
        {
            new ConstantScoreQuery(MatchSets.For(IndexFields.TextA + key, () => Alternatives(runs, [IndexFields.TextA]))) { Boost = Title },
            new ConstantScoreQuery(MatchSets.For(IndexFields.TextB + key, () => Alternatives(runs, [IndexFields.TextB]))) { Boost = Keywords },
            new ConstantScoreQuery(MatchSets.For(IndexFields.TextC + key, () => Alternatives(runs, [IndexFields.TextC]))) { Boost = Body },
            new ConstantScoreQuery(MatchSets.For(IndexFields.TextD + key, () => other)) { Boost = Other },
        };
    }

    // Any alternative with all its runs in one of the fields.
    private static BooleanQuery Alternatives(List<IReadOnlyList<IReadOnlyList<(string Lexeme, int Position)>>> alternatives, IReadOnlyList<string> fields)
    {
        var any = new BooleanQuery(disableCoord: true);
        foreach (var runs in alternatives) any.Add(AllRuns(runs, fields), Occur.SHOULD);
        return any;
    }

    // Every run (AND), each as its phrase in any of the fields.
    private static Query AllRuns(IReadOnlyList<IReadOnlyList<(string Lexeme, int Position)>> runs, IReadOnlyList<string> fields)
    {
        if (runs.Count == 1 && fields.Count == 1) return Phrase(fields[0], runs[0]);
        var every = new BooleanQuery(disableCoord: true);
        foreach (var run in runs)
        {
            if (fields.Count == 1)
            {
                every.Add(Phrase(fields[0], run), Occur.MUST);
                continue;
            }
            var inAnyField = new BooleanQuery(disableCoord: true);
            foreach (var field in fields) inAnyField.Add(Phrase(field, run), Occur.SHOULD);
            every.Add(inAnyField, Occur.MUST);
        }
        return every;
    }

    private static Query Phrase(string field, IReadOnlyList<(string Lexeme, int Position)> run)
    {
        if (run.Count == 1) return new TermQuery(new Term(field, run[0].Lexeme));
        var phrase = new PhraseQuery();
        var first = run[0].Position;
        foreach (var (lexeme, position) in run) phrase.Add(new Term(field, lexeme), position - first);
        return phrase;
    }
}
