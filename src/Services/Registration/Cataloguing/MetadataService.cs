using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MedImaging.Registration.Domain;
using MedImaging.ServiceDefaults.Hosting;

namespace MedImaging.Registration.Cataloguing;

/// <summary>
/// What Registration asks the Metadata service, which owns the metadata set versions, the classification scheme and
/// the identifier serials: completeness and conformance checks (§4.8.2 d, §4.9.4), classification (§4.8.2 e, §4.9.2)
/// and resource identifiers (§4.8.2 c, §4.9.3). Always with the caller's token, so Metadata's own policies apply.
/// </summary>
public interface IMetadataService
{
    Task<MetadataValidationResult> ValidateAsync(string setCode, int? version, JsonObject record, string bearerToken, CancellationToken ct);

    Task<ClassifyResult> ClassifyAsync(ClassifyInput input, string bearerToken, CancellationToken ct);

    Task<SchemeView> SchemeAsync(string bearerToken, CancellationToken ct);

    Task<IssuedIdentifier> IssueIdentifierAsync(string detailCode, string reason, string bearerToken, CancellationToken ct);
}

public sealed record MetadataValidationResult(string SetCode, int Version, bool Valid, IReadOnlyList<CatalogueProblem> Problems);

public sealed record ClassificationNodeView(string Code, string FullCode, string Level, string NameZh, string NameEn, bool Withdrawn, IReadOnlyList<ClassificationNodeView> Children);

public sealed record ClassifyResult(string? FullCode, IReadOnlyList<ClassificationNodeView> Path, IReadOnlyList<string> MatchedRules);

public sealed record SchemeView(string Code, string NameZh, string NameEn, int Revision, IReadOnlyList<ClassificationNodeView> Categories)
{
    /// <summary>The nodes from the 类目 down to <paramref name="fullCode"/>, or null when the scheme has no such node.</summary>
    public IReadOnlyList<ClassificationNodeView>? PathTo(string fullCode)
    {
        var path = new List<ClassificationNodeView>();
        var level = Categories;
        foreach (var code in fullCode.Split('.'))
        {
            var node = level.FirstOrDefault(n => n.Code == code);
            if (node is null) return null;
            path.Add(node);
            level = node.Children;
        }
        return path;
    }
}

public sealed record IssuedIdentifier(string Oid, string ClassificationCode, long Serial);

/// <summary>The Metadata service could not be asked (down, timed out, or answered with a server error): a 503, never a pass.</summary>
public sealed class MetadataUnavailableException(string operation, string why, Exception? inner = null)
    : Exception($"The Metadata service could not {operation}: {why}", inner)
{
    public string Operation { get; } = operation;
}

/// <summary>The Metadata service refused a request (4xx); <see cref="Detail"/> is its problem detail.</summary>
public sealed class MetadataRejectedException(string operation, HttpStatusCode status, string detail)
    : Exception($"The Metadata service refused to {operation} ({(int)status}): {detail}")
{
    public string Operation { get; } = operation;
    public HttpStatusCode Status { get; } = status;
    public string Detail { get; } = detail;
}

/// <summary>Calls the Metadata service through the node's gateway (<c>/api/metadata/…</c>) with the caller's token.</summary>
public sealed class HttpMetadataService(HttpClient http, ServiceHostContext host) : IMetadataService
{
    public Task<MetadataValidationResult> ValidateAsync(string setCode, int? version, JsonObject record, string bearerToken, CancellationToken ct)
        => SendAsync<MetadataValidationResult>("check the record", HttpMethod.Post, "validation", new { setCode, version, record }, bearerToken, ct);

    public Task<ClassifyResult> ClassifyAsync(ClassifyInput input, string bearerToken, CancellationToken ct)
        => SendAsync<ClassifyResult>("classify the study", HttpMethod.Post, "classification/classify", new
        {
            modality = input.Modality, bodyPartExamined = input.BodyPartExamined, studyDescription = input.StudyDescription,
            seriesDescriptions = input.SeriesDescriptions, contrastBolusAgent = input.ContrastBolusAgent,
        }, bearerToken, ct);

    public Task<SchemeView> SchemeAsync(string bearerToken, CancellationToken ct)
        => SendAsync<SchemeView>("read the classification scheme", HttpMethod.Get, "classification", null, bearerToken, ct);

    public Task<IssuedIdentifier> IssueIdentifierAsync(string detailCode, string reason, string bearerToken, CancellationToken ct)
        => SendAsync<IssuedIdentifier>("issue a resource identifier", HttpMethod.Post, "identifiers", new { classificationCode = detailCode, reason, source = "registration" }, bearerToken, ct);

    private async Task<T> SendAsync<T>(string operation, HttpMethod method, string path, object? body, string bearerToken, CancellationToken ct)
    {
        var url = new Uri(host.RequiredNode.GatewayUrl, "api/metadata/" + path);
        using var request = new HttpRequestMessage(method, url);
        if (body is not null) request.Content = JsonContent.Create(body);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (HttpRequestException ex)
        {
            throw new MetadataUnavailableException(operation, $"{url} is unreachable ({ex.Message})", ex);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new MetadataUnavailableException(operation, $"{url} did not answer within {http.Timeout.TotalSeconds:0} s", ex);
        }
        using (response)
        {
            if ((int)response.StatusCode >= 500)
                throw new MetadataUnavailableException(operation, $"{url} answered {(int)response.StatusCode}");
            if (!response.IsSuccessStatusCode)
                throw new MetadataRejectedException(operation, response.StatusCode, await DetailAsync(response, ct));
            return await response.Content.ReadFromJsonAsync<T>(ct)
                ?? throw new MetadataUnavailableException(operation, $"{url} answered with an empty body");
        }
    }

    // The problem's errors (field: messages) when it has them, else its detail or title.
    private static async Task<string> DetailAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        try
        {
            if (JsonNode.Parse(text) is JsonObject problem)
            {
                if (problem["errors"] is JsonObject errors)
                    return string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value?.AsArray().Select(m => m?.ToString()) ?? [])}"));
                return problem["detail"]?.ToString() ?? problem["title"]?.ToString() ?? text;
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // not JSON: the text as it came
        }
        return text.Length > 500 ? text[..500] : text;
    }
}
