using System.Xml.Linq;
using MedImaging.Directory.Domain;
using MedImaging.Directory.Search;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Http;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Directory.Discovery;

/// <summary>The retrieval parameters every record path shares, and the lookups and answers behind them.</summary>
public static class RecordOutput
{
    public const string XmlMediaType = "application/xml; charset=utf-8";

    /// <summary>elementSet and format, or a 400 naming the one at fault.</summary>
    public static (ElementSet Set, RecordFormat Format) Parse(string? elementSet, string? format, ElementSet defaultSet)
    {
        if (!ElementSets.TryParse(elementSet, defaultSet, out var set))
            throw new ValidationProblemException("elementSet", "One of brief, summary, full.");
        var f = format?.ToLowerInvariant() switch
        {
            null or "json" => RecordFormat.Json,
            "xml" => RecordFormat.Xml,
            _ => throw new ValidationProblemException("format", "One of json, xml."),
        };
        return (set, f);
    }

    /// <summary>
    /// The entries of these keys the caller may see now, through <see cref="ICatalogSearch.Visible"/>: a key whose entry
    /// was withdrawn, reopened, or is no longer within the caller's clearance and scope has none.
    /// </summary>
    public static async Task<Dictionary<EntryKey, CatalogEntry>> VisibleAsync(ICatalogSearch search, CallerScope scope, IReadOnlyList<EntryKey> keys, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(keys);
        var ids = keys.Select(k => k.ResourceId).Distinct().ToArray();
        var wanted = keys.ToHashSet();
        var rows = await search.Visible(scope).Where(e => ids.Contains(e.ResourceId)).ToListAsync(ct);
        return rows.Select(r => (Key: new EntryKey(r.OriginNode, r.ResourceId), Row: r)).Where(x => wanted.Contains(x.Key)).ToDictionary(x => x.Key, x => x.Row);
    }

    public static IResult Xml(XElement root) =>
        TypedResults.Text("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" + new XDocument(root).ToString(SaveOptions.None), XmlMediaType);
}
