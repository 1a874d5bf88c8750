using System.Xml.Linq;
using MedImaging.Directory.Search;

namespace MedImaging.Directory.Csw;

/// <summary>A CSW request, whichever encoding (key-value pairs or XML) it came in.</summary>
internal abstract record CswRequest;

internal sealed record GetCapabilitiesRequest(IReadOnlyList<string> Sections) : CswRequest;

internal sealed record DescribeRecordRequest(IReadOnlyList<XName> TypeNames) : CswRequest;

internal enum ResultType
{
    Hits,
    Results,
    Validate,
}

internal enum ElementSet
{
    Brief,
    Summary,
    Full,
}

internal sealed record GetRecordsRequest : CswRequest
{
    public ResultType ResultType { get; init; } = ResultType.Hits;
    public int StartPosition { get; init; } = 1;
    public int MaxRecords { get; init; } = CswNames.DefaultMaxRecords;
    public ElementSet ElementSet { get; init; } = ElementSet.Summary;

    /// <summary>ElementName instead of ElementSetName: the full record cut to these elements.</summary>
    public IReadOnlyList<XName> ElementNames { get; init; } = [];
    public string OutputSchema { get; init; } = CswNames.CswSchema;
    public FilterNode? Filter { get; init; }
    public CatalogSort? Sort { get; init; }
    public bool Descending { get; init; }
    public string? RequestId { get; init; }

    /// <summary>The request as received, echoed by resultType=validate.</summary>
    public required XElement Echo { get; init; }
}

internal sealed record GetRecordByIdRequest(IReadOnlyList<string> Ids, ElementSet ElementSet, string OutputSchema) : CswRequest;

/// <summary>Checks and parsing shared by both encodings, each naming the parameter (the exception's locator).</summary>
internal static class CswParameters
{
    private static readonly string[] Operations = ["GetCapabilities", "DescribeRecord", "GetRecords", "GetRecordById"];

    /// <summary>Operations of the CSW 2.0.2 interface this catalogue does not offer (read-only: no publication, no GetDomain).</summary>
    private static readonly string[] NotOffered = ["GetDomain", "Transaction", "Harvest"];

    public static string Operation(string? name, string locator)
    {
        if (string.IsNullOrWhiteSpace(name)) throw CswException.Missing(locator);
        if (Operations.FirstOrDefault(o => o.Equals(name, StringComparison.OrdinalIgnoreCase)) is { } op) return op;
        if (NotOffered.Any(o => o.Equals(name, StringComparison.OrdinalIgnoreCase)))
            throw new CswException(OwsExceptionCodes.OperationNotSupported, name, $"{name} is not offered by this catalogue (read-only discovery).");
        throw new CswException(OwsExceptionCodes.OperationNotSupported, name, $"'{name}' is not a CSW 2.0.2 operation; offered: {string.Join(", ", Operations)}.");
    }

    public static void Service(string? service)
    {
        if (string.IsNullOrWhiteSpace(service)) throw CswException.Missing("service");
        if (!service.Equals(CswNames.Service, StringComparison.OrdinalIgnoreCase)) throw CswException.Invalid("service", $"service must be CSW, not '{service}'.");
    }

    public static void Version(string? version)
    {
        if (string.IsNullOrWhiteSpace(version)) throw CswException.Missing("version");
        if (version != CswNames.Version) throw CswException.Invalid("version", $"This catalogue speaks CSW {CswNames.Version}, not '{version}'.");
    }

    /// <summary>AcceptVersions of GetCapabilities: one of them must be ours.</summary>
    public static void AcceptVersions(IReadOnlyCollection<string> versions)
    {
        if (versions.Count > 0 && !versions.Contains(CswNames.Version))
            throw new CswException(OwsExceptionCodes.VersionNegotiationFailed, "AcceptVersions",
                $"None of {string.Join(", ", versions)} is supported; this catalogue speaks CSW {CswNames.Version}.");
    }

    public static void OutputFormat(string? format)
    {
        if (format is null or CswNames.OutputFormat or "text/xml") return;
        throw CswException.Invalid("outputFormat", $"outputFormat '{format}' is not offered; use {CswNames.OutputFormat}.");
    }

    public static string OutputSchema(string? schema)
    {
        if (string.IsNullOrWhiteSpace(schema) || schema == "csw:Record") return CswNames.CswSchema;
        return CswNames.OutputSchemas.FirstOrDefault(s => s == schema)
            ?? throw CswException.Invalid("outputSchema", $"outputSchema '{schema}' is not offered; offered: {string.Join(", ", CswNames.OutputSchemas)}.");
    }

    public static ResultType ResultType(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "hits" => Csw.ResultType.Hits,
        "results" => Csw.ResultType.Results,
        "validate" => Csw.ResultType.Validate,
        _ => throw CswException.Invalid("resultType", $"resultType must be hits, results or validate, not '{value}'."),
    };

    public static ElementSet ElementSet(string? value, string locator = "ElementSetName") => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "summary" => Csw.ElementSet.Summary,
        "brief" => Csw.ElementSet.Brief,
        "full" => Csw.ElementSet.Full,
        _ => throw CswException.Invalid(locator, $"ElementSetName must be brief, summary or full, not '{value}'."),
    };

    public static int Integer(string? value, string locator, int fallback, int minimum)
    {
        if (string.IsNullOrWhiteSpace(value)) return fallback;
        if (!int.TryParse(value.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n < minimum)
            throw CswException.Invalid(locator, $"{locator} must be an integer ≥ {minimum}, not '{value}'.");
        return n;
    }

    /// <summary>typeNames must name csw:Record (the only record type of this catalogue).</summary>
    public static void TypeNames(IReadOnlyCollection<XName> names, string locator)
    {
        if (names.Count == 0) throw CswException.Missing(locator);
        var unknown = names.Where(n => n != CswNames.Csw + "Record").ToList();
        if (unknown.Count > 0)
            throw CswException.Invalid(locator, $"Unknown type {string.Join(", ", unknown)}; this catalogue offers csw:Record.");
    }

    /// <summary>One sort key: dc:title or dct:modified (the engine's orders).</summary>
    public static (CatalogSort Sort, bool Descending) SortKey(IReadOnlyList<(XName Property, bool Descending)> keys)
    {
        if (keys.Count != 1) throw CswException.Invalid("SortBy", "Exactly one sort property is supported (dc:title or dct:modified).");
        var (property, descending) = keys[0];
        XName name;
        try { name = Queryables.Resolve(property); }
        catch (CswException e) { throw CswException.Invalid("SortBy", e.Message); }
        if (name == CswNames.Dc + "title") return (CatalogSort.Title, descending);
        if (name == CswNames.Dct + "modified") return (CatalogSort.Date, descending);
        throw CswException.Invalid("SortBy", $"Sorting by {name} is not supported; sort by dc:title or dct:modified.");
    }
}
