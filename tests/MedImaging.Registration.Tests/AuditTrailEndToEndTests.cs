using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MassTransit;
using MedImaging.Contracts.Audit;
using MedImaging.Exchange;
using MedImaging.Exchange.Audit;
using MedImaging.Gateway.Identity;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace MedImaging.Registration.Tests;

/// <summary>
/// Issue 11's acceptance end to end: each audited action performed through the real HTTP APIs of the gateway, Registration
/// and Metadata becomes exactly one row of the node's audit trail in Exchange — across the real outboxes and RabbitMQ —
/// also when the trail's appender fails once after committing, and when an emitting relay sends its messages again (as
/// after a crash between publishing and marking them sent). The chain then verifies clean and has no gap.
/// </summary>
public sealed class AuditTrailEndToEndTests : IAsyncLifetime, IDisposable
{
    private readonly RegistrationNode _node = new();
    private WebApplicationFactory<ExchangeServiceMarker> _exchange = null!;
    private ServiceFactory<ExchangeServiceMarker> _exchangeBase = null!;
    private readonly FaultOnce _fault = new();
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    public async Task InitializeAsync()
    {
        await _node.InitializeAsync();
        _exchangeBase = new ServiceFactory<ExchangeServiceMarker>(_node.Node);
        _exchange = _exchangeBase.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
        {
            s.AddScoped<ChainAppender>();
            s.AddScoped<IChainAppender>(sp => new FailingOnceAfterAppend(sp.GetRequiredService<ChainAppender>(), _fault));
        }));
        // The trail's queue exists before anything is audited, as the --migrate step declares it on a real node.
        var bus = _exchange.Services.GetRequiredService<IBusControl>();
        using var ready = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await bus.WaitForHealthStatus(BusHealthStatus.Healthy, ready.Token);
        }
        catch (OperationCanceledException)
        {
            var health = bus.CheckHealth();
            throw new InvalidOperationException($"Exchange's bus is {health.Status}: {health.Description} {string.Join("; ", health.Endpoints.Select(e => $"{e.Key}: {e.Value.Description}"))}");
        }
    }

    public async Task DisposeAsync()
    {
        await _exchange.DisposeAsync();
        await _exchangeBase.DisposeAsync();
        await _node.DisposeAsync();
    }

    // xunit calls DisposeAsync; this only satisfies the analyser that the factories are released.
    public void Dispose()
    {
        _exchange?.Dispose();
        _exchangeBase?.Dispose();
    }

    private string Correlation(string step) => $"e2e-{_run}-{step}";

    private static HttpRequestMessage Request(HttpMethod method, string path, string correlation, string? token = null, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add("X-Correlation-Id", correlation);
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string step, string? token = null, object? body = null)
        => await client.SendAsync(Request(method, path, Correlation(step), token, body is null ? null : JsonContent.Create(body)));

    [Fact]
    public async Task EveryAuditedActionThroughTheApisIsExactlyOneTrailRow()
    {
        var gateway = _node.Gateway.CreateClient();
        var registration = _node.Host.CreateClient();
        await GatewaySeeder.EnsurePortalClientAsync(_node.Gateway.Services);
        await GatewaySeeder.EnsureUserAsync(_node.Gateway.Services, "e2e-cataloguer", "correct horse 1", [Roles.Cataloguer], SecurityLevels.Confidential);

        // Gateway: a sign-in, a refused sign-in, a client's token.
        var signIn = await gateway.SendAsync(Request(HttpMethod.Post, "/connect/token", Correlation("signin"), content: new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = GatewaySeeder.PortalClientId, ["username"] = "e2e-cataloguer", ["password"] = "correct horse 1",
        })));
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var refused = await gateway.SendAsync(Request(HttpMethod.Post, "/connect/token", Correlation("signin-refused"), content: new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = GatewaySeeder.PortalClientId, ["username"] = "e2e-cataloguer", ["password"] = "wrong",
        })));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var clientToken = await gateway.SendAsync(Request(HttpMethod.Post, "/connect/token", Correlation("client-token"), content: new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = ServiceClients.RegistrationClientId, ["client_secret"] = _node.Node.RegistrationClientSecret,
        })));
        Assert.Equal(HttpStatusCode.OK, clientToken.StatusCode);
        // The cataloguer works with the token the gateway issued.
        var cataloguer = JsonNode.Parse(await signIn.Content.ReadAsStringAsync())!["access_token"]!.ToString();
        var reviewer = TestTokens.Create(_node.Node, "e2e-reviewer", Roles.Reviewer);
        var publisher = TestTokens.Create(_node.Node, "e2e-publisher", Roles.Publisher);
        var admin = TestTokens.Create(_node.Node, "e2e-admin", Roles.Admin);
        var researcher = TestTokens.Create(_node.Node, "e2e-researcher", Roles.Researcher);

        // Registration: ingest, an entry through the workflow (Metadata issues its identifier on register), a restricted
        // read, a bulk action, a 401, a 403, a PHI vault read.
        var stow = await registration.SendAsync(Request(HttpMethod.Post, "/dicomweb/studies", Correlation("ingest"),
            TestTokens.Create(_node.Node, RegistrationNode.MappedAdapter, Roles.Adapter), Stow.Content(Corpus.Bytes("CT_small.dcm"))));
        Assert.True(stow.IsSuccessStatusCode, await stow.Content.ReadAsStringAsync());
        var created = await SendAsync(registration, HttpMethod.Post, "/resources", "create", cataloguer,
            new { kind = "dataset", values = ClearanceNode.Dataset($"e2e {_run}", "restricted"), institution = ClearanceNode.A });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.ToString();
        foreach (var (verb, token) in new[] { ("catalogue", cataloguer), ("register", cataloguer) })
        {
            var moved = await SendAsync(registration, HttpMethod.Post, $"/resources/{id}/{verb}", verb, token, new { });
            Assert.True(moved.StatusCode == HttpStatusCode.OK, $"{verb}: {await moved.Content.ReadAsStringAsync()}");
        }
        var bulk = await SendAsync(registration, HttpMethod.Post, "/review-queue/approve", "bulk-approve", reviewer, new { ids = new[] { id } });
        Assert.Equal(HttpStatusCode.OK, bulk.StatusCode);
        var published = await SendAsync(registration, HttpMethod.Post, $"/resources/{id}/publish", "publish", publisher, new { });
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(registration, HttpMethod.Get, $"/resources/{id}", "read", reviewer)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(registration, HttpMethod.Get, "/resources", "no-token")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(registration, HttpMethod.Get, "/review-queue", "forbidden", researcher)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(registration, HttpMethod.Get, "/admin/phi-vault/keys", "phi-read", admin)).StatusCode);

        // What the trail must hold: (correlation step, service, action, outcome, actor) → exactly one row each.
        (string Step, string Service, string Action, string Outcome, string Actor)[] expected =
        [
            ("signin", "gateway", AuditActions.SignIn, "success", "e2e-cataloguer"),
            ("signin-refused", "gateway", AuditActions.SignIn, "failed", "anonymous"),
            ("client-token", "gateway", AuditActions.TokenIssued, "success", ServiceClients.RegistrationClientId),
            ("ingest", "registration", AuditActions.IngestBatch, "success", RegistrationNode.MappedAdapter),
            ("create", "registration", AuditActions.EntryCreate, "success", "e2e-cataloguer"),
            ("catalogue", "registration", AuditActions.EntryCatalogue, "success", "e2e-cataloguer"),
            ("register", "registration", AuditActions.EntryRegister, "success", "e2e-cataloguer"),
            ("register", "metadata", AuditActions.IdentifierChange, "success", "e2e-cataloguer"),
            ("bulk-approve", "registration", AuditActions.BulkApprove, "success", "e2e-reviewer"),
            ("bulk-approve", "registration", AuditActions.EntryApprove, "success", "e2e-reviewer"),
            ("publish", "registration", AuditActions.EntryPublish, "success", "e2e-publisher"),
            ("read", "registration", AuditActions.EntryRead, "success", "e2e-reviewer"),
            ("no-token", "registration", AuditActions.Unauthenticated, "denied", "anonymous"),
            ("forbidden", "registration", AuditActions.Forbidden, "denied", "e2e-researcher"),
            ("phi-read", "registration", AuditActions.PhiRead, "success", "e2e-admin"),
        ];
        await WaitForTrailAsync(expected.Select(e => (e.Step, e.Action)));
        Assert.Equal(1, _fault.Injected);
        await AssertExactlyOnceAsync(expected);

        // The relay "crashed" after publishing but before marking: every audit message goes out again.
        foreach (var schema in new[] { "gateway", "registration", "metadata" })
            await _node.ExecuteAsync($"UPDATE {schema}.outbox_messages SET sent_at = NULL WHERE message_type = 'MedImaging.Contracts.Audit.AuditEventRecorded'");
        await WaitUntilAsync(async () => await _node.CountAsync("""
            SELECT (SELECT count(*) FROM gateway.outbox_messages WHERE sent_at IS NULL) + (SELECT count(*) FROM registration.outbox_messages WHERE sent_at IS NULL)
                 + (SELECT count(*) FROM metadata.outbox_messages WHERE sent_at IS NULL)
            """) == 0, "the relays sent everything again");
        // Behind the republished duplicates on the one queue: once this is in the trail, they were handled.
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(registration, HttpMethod.Get, "/resources", "sentinel")).StatusCode);
        await WaitForTrailAsync([("sentinel", AuditActions.Unauthenticated)]);
        await AssertExactlyOnceAsync(expected);

        // No row twice, no gap, and the chain verifies.
        Assert.Equal(0, await _node.CountAsync("SELECT count(*) FROM (SELECT event_id FROM exchange.audit_records GROUP BY event_id HAVING count(*) > 1) d"));
        Assert.Equal(await _node.CountAsync("SELECT count(*) FROM exchange.audit_records"), await _node.CountAsync("SELECT coalesce(max(sequence), 0) FROM exchange.audit_records"));
        var verify = await _exchange.CreateClient().SendAsync(Request(HttpMethod.Post, "/audit/verify", Correlation("verify"), TestTokens.Create(_node.Node, "e2e-regulator", Roles.Regulator)));
        var report = JsonNode.Parse(await verify.Content.ReadAsStringAsync())!;
        Assert.True(report["ok"]!.GetValue<bool>(), report.ToJsonString());
    }

    private async Task AssertExactlyOnceAsync(IEnumerable<(string Step, string Service, string Action, string Outcome, string Actor)> expected)
    {
        foreach (var (step, service, action, outcome, actor) in expected)
        {
            var rows = await _node.CountAsync("""
                SELECT count(*) FROM exchange.audit_records WHERE correlation_id = $1 AND service = $2 AND action = $3 AND outcome = $4 AND actor_id IN ($5, (
                  SELECT id::text FROM gateway.users WHERE user_name = $5))
                """, Correlation(step), service, action, outcome, actor);
            Assert.True(rows == 1, $"{rows} trail rows for {step}: {service} {action} {outcome} by {actor}");
        }
    }

    private Task WaitForTrailAsync(IEnumerable<(string Step, string Action)> wanted) => WaitUntilAsync(async () =>
    {
        foreach (var (step, action) in wanted)
            if (await _node.CountAsync("SELECT count(*) FROM exchange.audit_records WHERE correlation_id = $1 AND action = $2", Correlation(step), action) == 0)
                return false;
        return true;
    }, "the audit trail holds every action");

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting until {what}.");
            await Task.Delay(200);
        }
    }

    private sealed class FaultOnce
    {
        public int Injected;
    }

    /// <summary>The real appender, which throws once right after its transaction committed: the redelivery must add nothing.</summary>
    private sealed class FailingOnceAfterAppend(ChainAppender inner, FaultOnce fault) : IChainAppender
    {
        public async Task<int> AppendAsync(IReadOnlyList<AuditEventRecorded> events, CancellationToken ct)
        {
            var appended = await inner.AppendAsync(events, ct);
            if (Interlocked.CompareExchange(ref fault.Injected, 1, 0) == 0) throw new InvalidOperationException("injected failure after the append");
            return appended;
        }

        public Task<AnchorRecord?> AnchorHeadAsync(TimeSpan olderThan, CancellationToken ct) => inner.AnchorHeadAsync(olderThan, ct);
    }
}
