using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MedImaging.ServiceDefaults.Hosting;

namespace MedImaging.Registration.Cataloguing;

/// <summary>
/// Completeness and conformance checks (§4.8.2 d, §4.9.4) belong to the Metadata service, which owns the metadata set
/// versions. This is the seam through which registration will ask it; the workflow does not call it yet: mapping an entry's values to the set's element ids is still to be agreed.
/// </summary>
public interface IMetadataValidation
{
    Task<MetadataValidationResult> ValidateAsync(string setCode, int? version, JsonObject record, string bearerToken, CancellationToken ct);
}

public sealed record MetadataValidationProblem(string ElementId, string NameZh, string NameEn, string Path, string Kind, string Detail);

public sealed record MetadataValidationResult(string SetCode, int Version, bool Valid, IReadOnlyList<MetadataValidationProblem> Problems);

/// <summary>Calls the Metadata service's <c>POST /validation</c> through the node's gateway (<c>/api/metadata</c>), with the caller's token.</summary>
public sealed class HttpMetadataValidation(HttpClient http, ServiceHostContext host) : IMetadataValidation
{
    public async Task<MetadataValidationResult> ValidateAsync(string setCode, int? version, JsonObject record, string bearerToken, CancellationToken ct)
    {
        var url = new Uri(host.RequiredNode.GatewayUrl, "api/metadata/validation");
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(new { setCode, version, record }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        using var response = await http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<MetadataValidationResult>(ct)
            ?? throw new InvalidOperationException($"The Metadata service answered {url} with an empty body.");
    }
}
