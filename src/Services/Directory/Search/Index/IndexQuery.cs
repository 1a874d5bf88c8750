using Lucene.Net.Index;
using Lucene.Net.Search;
using MedImaging.ServiceDefaults.Auth;

namespace MedImaging.Directory.Search.Index;

/// <summary>A condition on the documents, named by <see cref="Key"/> (its fields and values), whose match set each segment
/// keeps (<see cref="SegmentCache"/>); <see cref="Query"/> finds the set when a segment has not seen it yet.</summary>
internal sealed record Condition(string Key, Func<Query> Query);

/// <summary>
/// What a search asks of the index: conditions that must all hold and add nothing to the score (visibility and element
/// filters), and text groups that must each match in one of the four text fields. A group scores the weight of its best
/// field (title 1, keywords 0.5, abstract 0.25, other 0.1), the groups summed: the SQL engine's ranking (ADR 0025, 0030).
/// </summary>
internal sealed record IndexPlan(IReadOnlyList<Condition> Filters, IReadOnlyList<IReadOnlyList<Condition>> Groups)
{
    /// <summary>The weights of a group's fields, in the order of <see cref="Groups"/>' conditions.</summary>
    public static readonly float[] FieldWeights = [1.0f, 0.5f, 0.25f, 0.1f];

    /// <summary>Whether the plan ranks (has text): without text every score is equal and relevance means newest first.</summary>
    public bool Ranked => Groups.Count > 0;
}

/// <summary>
/// A <see cref="CatalogQuery"/> and the caller's scope as an <see cref="IndexPlan"/>, with the SQL engine's semantics:
/// visibility and element filters as exact terms; each text group as any of its alternatives in a field.
/// </summary>
internal static class IndexQuery
{
    public static IndexPlan Build(CatalogQuery q, CallerScope caller, ExpandedText? text)
    {
        var filters = new List<Condition>();
        Filter(filters, AnyTerm(IndexFields.Security, caller.VisibleClassifications));
        if (caller.Institution is { } institution) Filter(filters, new TermQuery(new Term(IndexFields.Institution, institution)));
        Filters(filters, q);
        var groups = text is null
            ? []
            : text.Groups.Where(g => g.Any(t => SearchText.Runs(t).Count > 0)).Select(GroupFields).ToList();
        return new IndexPlan(filters, groups);
    }

    private static void Filters(List<Condition> all, CatalogQuery q)
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

    // The same visibility and element filters come back in query after query: each is a cached match set, named by the
    // query's text form (its fields and values).
    private static void Filter(List<Condition> all, Query condition) => all.Add(new Condition("filter\u001f" + condition, () => condition));

    private static BooleanQuery AnyTerm(string field, IEnumerable<string> values)
    {
        var any = new BooleanQuery(disableCoord: true);
        foreach (var v in values.Distinct(StringComparer.Ordinal)) any.Add(new TermQuery(new Term(field, v)), Occur.SHOULD);
        // No values (a caller who may see nothing): a query no document matches.
        if (any.Clauses.Count == 0) any.Add(new TermQuery(new Term(field, "\u0000none")), Occur.SHOULD);
        return any;
    }

    // The group in title, keywords, abstract and the rest, in the order of IndexPlan.FieldWeights: each alternative with
    // its runs in the field. An alternative of several script runs (CT肺结节) matches with its runs in different fields
    // too, at the lowest weight, as the unweighted tsquery does; one of a single run (nearly all) is covered by the four
    // fields. Each field's set is cached for the whole group: the concept dictionary expands a popular word into the
    // same dozens of alternatives every time, and combining them is most of a query's cost.
    private static IReadOnlyList<Condition> GroupFields(IReadOnlyList<string> group)
    {
        var runs = group.Select(SearchText.Runs).Where(r => r.Count > 0).ToList();
        var key = string.Join('\u001e', group.Order(StringComparer.Ordinal));
        return
        [
            new Condition(IndexFields.TextA + "\u001f" + key, () => Alternatives(runs, [IndexFields.TextA])),
            new Condition(IndexFields.TextB + "\u001f" + key, () => Alternatives(runs, [IndexFields.TextB])),
            new Condition(IndexFields.TextC + "\u001f" + key, () => Alternatives(runs, [IndexFields.TextC])),
            new Condition(IndexFields.TextD + "\u001f" + key, () =>
            {
                var other = Alternatives(runs, [IndexFields.TextD]);
                foreach (var split in runs.Where(r => r.Count > 1)) other.Add(AllRuns(split, IndexFields.TextFields), Occur.SHOULD);
                return other;
            }),
        ];
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
