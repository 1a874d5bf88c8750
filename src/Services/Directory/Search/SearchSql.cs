using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MedImaging.Directory.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace MedImaging.Directory.Search;

/// <summary>
/// Runs a search as one statement (ADR 0025): the matching rows, as EF builds them (visibility, filters, text, a binding's
/// own condition), are materialised once and counted, faceted and paged from there, so that total, facets and page agree
/// and the match is computed once. The page is a keyset page: rows after the cursor's (sort value, key) in the order.
/// </summary>
internal static class SearchSql
{
    /// <summary>What the statement needs of a matching row; the order is the CTE's column list below.</summary>
    public sealed record MatchRow(string OriginNode, Guid ResourceId, double Score, DateTimeOffset PublishedAt, string Title, string? Category,
        string? Subcategory, string? ClassificationCode, List<string> Modalities, List<string> BodyParts, string? Institution,
        string? SecurityClassification, string Kind, DateOnly? StudyDate);

    private const string Columns = "origin_node, resource_id, score, published_at, title, category, subcategory, classification_code, modalities, "
        + "body_parts, institution, security_classification, kind, study_date";

    public sealed record PageRow(EntryKey Key, double Score, DateTimeOffset PublishedAt, string Title);

    public sealed record Result(long Total, IReadOnlyDictionary<string, IReadOnlyList<FacetValue>> Facets, IReadOnlyList<PageRow> Page);

    private static readonly Dictionary<string, string> FacetSql = new(StringComparer.Ordinal)
    {
        [CatalogFacets.Category] = "SELECT category AS v, count(*) AS c FROM m WHERE category IS NOT NULL GROUP BY 1",
        [CatalogFacets.Subcategory] = "SELECT subcategory AS v, count(*) AS c FROM m WHERE subcategory IS NOT NULL GROUP BY 1",
        [CatalogFacets.Classification] = "SELECT classification_code AS v, count(*) AS c FROM m WHERE classification_code IS NOT NULL GROUP BY 1",
        [CatalogFacets.Modality] = "SELECT u.v, count(*) AS c FROM m, unnest(m.modalities) AS u(v) GROUP BY 1",
        [CatalogFacets.BodyPart] = "SELECT u.v, count(*) AS c FROM m, unnest(m.body_parts) AS u(v) GROUP BY 1",
        [CatalogFacets.Institution] = "SELECT institution AS v, count(*) AS c FROM m WHERE institution IS NOT NULL GROUP BY 1",
        [CatalogFacets.Node] = "SELECT origin_node AS v, count(*) AS c FROM m GROUP BY 1",
        [CatalogFacets.SecurityClassification] = "SELECT security_classification AS v, count(*) AS c FROM m WHERE security_classification IS NOT NULL GROUP BY 1",
        [CatalogFacets.Kind] = "SELECT kind AS v, count(*) AS c FROM m GROUP BY 1",
        [CatalogFacets.Year] = "SELECT extract(year FROM study_date)::int::text AS v, count(*) AS c FROM m WHERE study_date IS NOT NULL GROUP BY 1",
    };

    public static async Task<Result> RunAsync(DirectoryDbContext db, IQueryable<MatchRow> rows, IReadOnlyList<string> facets, CatalogSort sort,
        bool descending, SearchCursor? after, int limit, CancellationToken ct)
    {
        await using var command = rows.CreateDbCommand();
        var column = sort switch { CatalogSort.Relevance => "score", CatalogSort.Date => "published_at", _ => "title" };
        var direction = descending ? "DESC" : "ASC";
        var order = $"{column} {direction}, origin_node, resource_id";
        var sql = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"WITH m({Columns}) AS MATERIALIZED ({command.CommandText})\n")
            .Append("SELECT (SELECT count(*) FROM m), json_build_object(");
        var facetList = new List<string>();
        foreach (var facet in facets)
        {
            if (!FacetSql.TryGetValue(facet, out var f))
                throw new ArgumentException($"Unknown facet '{facet}'; known: {string.Join(", ", CatalogFacets.All)}.", nameof(facets));
            facetList.Add($"'{facet}', (SELECT coalesce(json_agg(json_build_array(f.v, f.c) ORDER BY f.c DESC, f.v), '[]') FROM ({f}) AS f)");
        }
        sql.Append(string.Join(", ", facetList)).Append("),\n");
        var keyset = "TRUE";
        if (after is not null)
        {
            var op = descending ? "<" : ">";
            keyset = $"({column} {op} @search_after OR ({column} = @search_after AND (origin_node, resource_id) > (@search_after_origin, @search_after_id)))";
            Add(command, "search_after", sort switch
            {
                CatalogSort.Relevance => (after.Score, NpgsqlDbType.Double),
                CatalogSort.Date => (after.PublishedAt, NpgsqlDbType.TimestampTz),
                _ => (after.Title, NpgsqlDbType.Text),
            });
            Add(command, "search_after_origin", (after.Key.OriginNode, NpgsqlDbType.Text));
            Add(command, "search_after_id", (after.Key.ResourceId, NpgsqlDbType.Uuid));
        }
        Add(command, "search_limit", (limit, NpgsqlDbType.Integer));
        sql.Append(CultureInfo.InvariantCulture,
            $"(SELECT coalesce(json_agg(json_build_array(p.origin_node, p.resource_id, p.score, p.published_at, p.title) ORDER BY {order.Replace("origin_node", "p.origin_node", StringComparison.Ordinal)}), '[]') "
            + $"FROM (SELECT * FROM m WHERE {keyset} ORDER BY {order} LIMIT @search_limit) AS p)");
        command.CommandText = sql.ToString();

        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            var total = reader.GetInt64(0);
            using var facetJson = JsonDocument.Parse(reader.GetString(1));
            using var pageJson = JsonDocument.Parse(reader.GetString(2));
            var facetValues = facetJson.RootElement.EnumerateObject().ToDictionary(p => p.Name,
                p => (IReadOnlyList<FacetValue>)[.. p.Value.EnumerateArray().Select(v => new FacetValue(v[0].GetString()!, v[1].GetInt64()))], StringComparer.Ordinal);
            var page = pageJson.RootElement.EnumerateArray().Select(r => new PageRow(new EntryKey(r[0].GetString()!, r[1].GetGuid()), r[2].GetDouble(),
                r[3].GetDateTimeOffset(), r[4].GetString()!)).ToList();
            return new Result(total, facetValues, page);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static void Add(DbCommand command, string name, (object Value, NpgsqlDbType Type) p) =>
        command.Parameters.Add(new NpgsqlParameter(name, p.Type) { Value = p.Value });
}
