using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MedImaging.Contracts.Registration;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Hosting;

namespace MedImaging.Directory.Catalog.Rebuild;

/// <summary>
/// Registration's published-entries feed (<c>GET /api/registration/published</c>), read through the node's gateway with
/// Directory's own token (service client svc-directory: role node, clearance confidential, node-wide; ADR 0024).
/// </summary>
public sealed class RegistrationFeed(IHttpClientFactory clients, ServiceToken token, ServiceHostContext host)
{
    public const string HttpClientName = "registration-feed";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>One page of the feed: the records in id order, and the cursor of the next page (null after the last).</summary>
    public sealed record Page(IReadOnlyList<ResourcePublished> Items, string? NextCursor);

    public async Task<Page> ReadAsync(string? after, int limit, CancellationToken ct)
    {
        var query = $"api/registration/published?limit={limit.ToString(CultureInfo.InvariantCulture)}" + (after is null ? "" : $"&after={Uri.EscapeDataString(after)}");
        var url = new Uri(host.RequiredNode.GatewayUrl, query);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await token.GetAsync(ct));
        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(HttpClientName).SendAsync(request, ct);
        }
        catch (HttpRequestException ex)
        {
            throw new RegistrationFeedException($"Registration's feed {url} is unreachable ({ex.Message})", ex);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new RegistrationFeedException($"Registration's feed {url} did not answer", ex);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(ct);
                throw new RegistrationFeedException($"Registration's feed {url} answered {(int)response.StatusCode}: {(body.Length > 300 ? body[..300] : body)}");
            }
            try
            {
                return await response.Content.ReadFromJsonAsync<Page>(Json, ct)
                    ?? throw new RegistrationFeedException($"Registration's feed {url} answered an empty body");
            }
            catch (JsonException ex)
            {
                throw new RegistrationFeedException($"Registration's feed {url} answered what is not a page of published records ({ex.Message})", ex);
            }
        }
    }
}

/// <summary>The feed could not be read: the rebuild stops there, and says why.</summary>
public sealed class RegistrationFeedException(string message, Exception? inner = null) : Exception(message, inner);
