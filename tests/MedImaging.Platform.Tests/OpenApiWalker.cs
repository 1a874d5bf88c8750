using System.Text.Json.Nodes;
using MedImaging.Directory;
using MedImaging.Exchange;
using MedImaging.Gateway;
using MedImaging.Inference;
using MedImaging.Metadata;
using MedImaging.Registration;
using MedImaging.TestSupport;

namespace MedImaging.Platform.Tests;

/// <summary>One operation of a host's OpenAPI document, with its parameters (path-level and operation-level).</summary>
internal sealed record ApiOperation(string Method, string Path, IReadOnlyList<JsonObject> Parameters, bool JsonBody, JsonObject? OkSchema)
{
    public override string ToString() => $"{Method.ToUpperInvariant()} {Path}";
}

/// <summary>Reads a host's /openapi/v1.json and builds requests from it, so the tests reach every endpoint there is.</summary>
internal static class OpenApiWalker
{
    public static readonly string[] Hosts = ["registration", "metadata", "directory", "exchange", "inference", "gateway"];

    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    public static ITestHost Create(string service, NodeTestEnvironment node) => service switch
    {
        "registration" => new ServiceFactory<RegistrationServiceMarker>(node),
        "metadata" => new ServiceFactory<MetadataServiceMarker>(node),
        "directory" => new ServiceFactory<DirectoryServiceMarker>(node),
        "exchange" => new ServiceFactory<ExchangeServiceMarker>(node),
        "inference" => new ServiceFactory<InferenceServiceMarker>(node),
        "gateway" => new ServiceFactory<GatewayMarker>(node),
        _ => throw new ArgumentOutOfRangeException(nameof(service)),
    };

    public static async Task<(JsonObject Document, List<ApiOperation> Operations)> ReadAsync(HttpClient client)
    {
        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!.AsObject();
        var operations = new List<ApiOperation>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            var shared = item!["parameters"]?.AsArray().Select(p => Resolve(document, p)!).ToList() ?? [];
            foreach (var method in Methods)
            {
                if (item[method] is not JsonObject op) continue;
                var parameters = shared.Concat(op["parameters"]?.AsArray().Select(p => Resolve(document, p)!) ?? []).ToList();
                var body = Resolve(document, op["requestBody"])?["content"]?.AsObject();
                var json = body?.Any(c => c.Key.Contains("json", StringComparison.OrdinalIgnoreCase)) ?? false;
                var ok = op["responses"]?["200"]?["content"]?["application/json"]?["schema"];
                operations.Add(new ApiOperation(method, path, parameters, json, ok is null ? null : Resolve(document, ok)));
            }
        }
        return (document, operations);
    }

    /// <summary>Follows a local <c>$ref</c> (#/components/…).</summary>
    public static JsonObject? Resolve(JsonObject document, JsonNode? node)
    {
        for (var i = 0; i < 16 && node is JsonObject o && o["$ref"]?.GetValue<string>() is { } reference; i++)
            node = reference.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries).Aggregate((JsonNode?)document, (n, part) => n?[part]);
        return node as JsonObject;
    }

    /// <summary>The schema's JSON types ("type" may be a string or, in OpenAPI 3.1, an array such as ["integer","string"]).</summary>
    public static IReadOnlyList<string> Types(JsonObject? schema) => schema?["type"] switch
    {
        JsonArray a => [.. a.Select(t => t!.GetValue<string>())],
        JsonValue v => [v.GetValue<string>()],
        _ => [],
    };

    /// <summary>A parameter whose value is not free text: a number, a boolean, a UUID or a date.</summary>
    public static bool IsTyped(JsonObject document, JsonObject parameter)
    {
        var schema = Resolve(document, parameter["schema"]);
        var format = schema?["format"]?.GetValue<string>();
        return Types(schema).Any(t => t is "integer" or "number" or "boolean")
               || format is "uuid" or "date-time" or "date" or "int32" or "int64" or "double" or "float";
    }

    public static string Sample(JsonObject document, JsonObject parameter)
    {
        var schema = Resolve(document, parameter["schema"]);
        var types = Types(schema);
        return schema?["format"]?.GetValue<string>() switch
        {
            "uuid" => Guid.NewGuid().ToString(),
            "date-time" => "2024-01-01T00:00:00Z",
            "date" => "2024-01-01",
            _ when types.Contains("integer") || types.Contains("number") => "1",
            _ when types.Contains("boolean") => "true",
            _ => "x",
        };
    }

    public static string Name(JsonObject parameter) => parameter["name"]!.GetValue<string>();

    public static string In(JsonObject parameter) => parameter["in"]!.GetValue<string>();

    /// <summary>The operation's URL with sample values for path parameters and required query parameters, then the given query values.</summary>
    public static string Url(JsonObject document, ApiOperation op, IReadOnlyDictionary<string, string>? values = null)
    {
        values ??= new Dictionary<string, string>();
        var path = op.Path;
        var query = new List<string>();
        foreach (var p in op.Parameters)
        {
            var name = Name(p);
            var value = values.TryGetValue(name, out var given) ? given : Sample(document, p);
            if (In(p) == "path") path = path.Replace("{" + name + "}", Uri.EscapeDataString(value), StringComparison.Ordinal);
            else if (In(p) == "query" && (values.ContainsKey(name) || p["required"]?.GetValue<bool>() == true))
                query.Add($"{Uri.EscapeDataString(name)}={Uri.EscapeDataString(value)}");
        }
        return query.Count == 0 ? path : path + "?" + string.Join('&', query);
    }
}
