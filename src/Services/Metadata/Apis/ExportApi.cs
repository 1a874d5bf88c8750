using MedImaging.Metadata.Infrastructure;
using MedImaging.Metadata.Infrastructure.Export;
using MedImaging.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace MedImaging.Metadata.Apis;

/// <summary>Export of a set version's schema (§4.9.4): JSON Schema, XML Schema and the data dictionary.</summary>
public static class ExportApi
{
    public static IEndpointRouteBuilder MapExportApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/sets/{code}/versions/{version:int}").WithTags("Export");
        g.MapGet("/schema.json", JsonSchema).WithName("ExportJsonSchema").WithSummary("JSON Schema (2020-12) of the version").RequireAuthorization(Policies.MetadataRead);
        g.MapGet("/schema.xsd", Xsd).WithName("ExportXmlSchema").WithSummary("XML Schema (XSD 1.0) of the version").RequireAuthorization(Policies.MetadataRead);
        g.MapGet("/dictionary.md", Dictionary).WithName("ExportDataDictionary").WithSummary("Human-readable data dictionary (Markdown)").RequireAuthorization(Policies.MetadataRead);
        return app;
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> JsonSchema(string code, int version, MetadataCatalog catalog, CancellationToken ct) =>
        await catalog.FindVersionAsync(code, version, ct) is var (set, v)
            ? TypedResults.Content(JsonSchemaExporter.Export(set, v).ToJsonString(JsonColumns.Options), "application/schema+json; charset=utf-8")
            : MetadataSetsApi.NotFound($"{code} version {version}");

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> Xsd(string code, int version, MetadataCatalog catalog, CancellationToken ct) =>
        await catalog.FindVersionAsync(code, version, ct) is var (set, v)
            ? TypedResults.Content(XsdExporter.Export(set, v).ToString(), "application/xml; charset=utf-8")
            : MetadataSetsApi.NotFound($"{code} version {version}");

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> Dictionary(string code, int version, MetadataCatalog catalog, CancellationToken ct) =>
        await catalog.FindVersionAsync(code, version, ct) is var (set, v)
            ? TypedResults.Content(DataDictionaryWriter.Write(set, v), "text/markdown; charset=utf-8")
            : MetadataSetsApi.NotFound($"{code} version {version}");
}
