using System.Net;
using MedImaging.Contracts.Metadata;
using MedImaging.Gateway.Identity;
using MedImaging.Registration.Cataloguing;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;

namespace MedImaging.Registration.Tests;

/// <summary>
/// Registration holds no signing key (ADR 0003): the token for its own Metadata calls comes from the node gateway's
/// /connect/token by client credentials as svc-registration, whose role (adapter) passes Metadata's read policy and
/// nothing of Metadata's administration; it is cached until shortly before it expires.
/// </summary>
public sealed class ServiceTokenTests(RegistrationNode node) : IClassFixture<RegistrationNode>
{
    [Fact]
    public async Task TheReclassifierAsksMetadataWithTheTokenTheGatewayIssuedToSvcRegistration()
    {
        await node.IngestEntryAsync("CT_small.dcm");
        var seen = new List<string>();
        await using var host = node.WithMetadataHandler(() => new RecordingHandler(node.Metadata.Server.CreateHandler(), seen));
        host.CreateClient().Dispose();

        // The consumer's body (ClassificationSchemeChangedConsumer), run on this host so that its calls are the ones recorded.
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var outcome = await scope.ServiceProvider.GetRequiredService<Reclassifier>().RunAsync(new ClassificationSchemeChanged
            {
                OriginNode = node.Node.Node["nodeId"]!.GetValue<string>(), SchemeCode = "imaging", Revision = 1,
                ChangeKind = "mapping-changed", Subject = "Modality=CT", ChangedBy = "test",
            }, CancellationToken.None);
            Assert.True(outcome.Entries > 0, "the pass looked at no entry");
        }

        Assert.NotEmpty(seen);
        var token = Assert.Single(seen.Distinct(StringComparer.Ordinal)); // one token for the whole pass: cached
        var jwt = new JsonWebToken(token);
        Assert.Equal(new Uri(node.Node.Node["endpoints"]!["gateway"]!.GetValue<string>()).AbsoluteUri, jwt.Issuer);
        Assert.Equal(ServiceClients.RegistrationClientId, jwt.Subject);
        Assert.Equal([Roles.Adapter], jwt.Claims.Where(c => c.Type == "role").Select(c => c.Value));
        Assert.Equal(NodeSigningKey.Load(node.Node.SigningKeyPath).KeyId, jwt.Kid);
        // Issued by the token server, not signed by Registration: OpenIddict's token id is in it.
        Assert.True(jwt.TryGetPayloadValue<string>("oi_tkn_id", out _) || jwt.TryGetPayloadValue<string>("jti", out _), jwt.EncodedPayload);
    }

    [Fact]
    public async Task TheTokenPassesMetadatasReadPolicyButNotItsAdministration()
    {
        var token = await node.Host.Services.GetRequiredService<ServiceToken>().GetAsync(CancellationToken.None);
        Assert.Equal(token, await node.Host.Services.GetRequiredService<ServiceToken>().GetAsync(CancellationToken.None));

        using var metadata = node.Metadata.CreateClient().WithToken(token);
        Assert.Equal(HttpStatusCode.OK, (await metadata.GetAsync("/classification")).StatusCode);
        var edit = await metadata.PostAsync("/classification/nodes", System.Net.Http.Json.JsonContent.Create(new { parentCode = (string?)null, code = "8", nameZh = "不应", nameEn = "Must not", reason = "test" }));
        Assert.Equal(HttpStatusCode.Forbidden, edit.StatusCode);
    }

    [Fact]
    public async Task AWrongClientSecretMakesMetadataUnavailableNamingTheGatewaysRefusal()
    {
        await using var host = node.WithMetadataHandler(() => node.Metadata.Server.CreateHandler())
            .WithWebHostBuilder(b => b.UseSetting("Auth:ClientSecret", "not-the-secret"));
        host.CreateClient().Dispose();
        var ex = await Assert.ThrowsAsync<MetadataUnavailableException>(() => host.Services.GetRequiredService<ServiceToken>().GetAsync(CancellationToken.None));
        Assert.Contains("invalid_client", ex.Message, StringComparison.Ordinal);
        Assert.Contains(ServiceClients.RegistrationClientId, ex.Message, StringComparison.Ordinal);
    }

    private sealed class RecordingHandler(HttpMessageHandler inner, List<string> seen) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (seen) seen.Add(request.Headers.Authorization?.Parameter ?? "");
            return base.SendAsync(request, cancellationToken);
        }
    }
}
