using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MedImaging.Contracts.Registration;
using MedImaging.Directory.Search;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace MedImaging.Directory.Tests;

/// <summary>
/// A fact Registration publishes before the Directory host ever ran is not lost: the Directory host's one-shot
/// <c>--migrate</c> step (run by up.sh and the compose migrator before any host starts) declares the read model's
/// durable queues and bindings, so RabbitMQ keeps the fact until Directory starts and consumes it (ADR 0024).
/// </summary>
public sealed class QueuesBeforeFirstFactTests : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private NodeTestEnvironment _node = null!;

    public async Task InitializeAsync() => _node = await NodeTestEnvironment.CreateAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task A_publication_sent_after_migrate_but_before_Directory_starts_reaches_the_directory()
    {
        var (code, output) = await MigrateAsync();
        Assert.True(code == 0, output);
        var queues = (await _node.GetQueuesAsync()).Select(q => q["name"]!.ToString()).ToList();
        Assert.Contains("directory-resource-published", queues);
        Assert.Contains("directory-resource-revised", queues);
        Assert.Contains("directory-resource-withdrawn", queues);

        // Registration's outbox relay publishing while no Directory host runs: the message type's exchange routes it.
        var nodeId = _node.Node["nodeId"]!.GetValue<string>();
        var fact = new ResourcePublished
        {
            OriginNode = nodeId, ResourceId = Guid.CreateVersion7(), RecordVersion = 1, Actor = "publisher", Title = "迁移之后 早到的发布",
            Format = "DICOM", SecurityClassification = SecurityLevels.Public, Institution = "121300004017055782", ClassificationCode = "2.2.1",
        };
        Assert.True(await PublishAsync(fact), "the publication was routed to no queue");

        await using var directory = new ServiceFactory<DirectoryServiceMarker>(_node);
        _ = directory.Server;
        // Generous: the host starts on a shared two-core machine; this is a deadline, not a measured duration.
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            await using var scope = directory.Services.CreateAsyncScope();
            var hits = await scope.ServiceProvider.GetRequiredService<ICatalogSearch>().SearchAsync(new CatalogQuery { Text = "早到的发布" },
                new CallerScope(SecurityLevels.Confidential, nodeId, null), new CatalogPage(), CancellationToken.None);
            if (hits.Total == 1)
            {
                Assert.Equal(fact.ResourceId, hits.Items[0].Entry.ResourceId);
                return;
            }
            if (DateTime.UtcNow > deadline) Assert.Fail("the publication sent before Directory started never reached the directory");
            await Task.Delay(250);
        }
    }

    /// <summary>What up.sh runs before any host: <c>dotnet MedImaging.Directory.dll --migrate</c> with the host's settings.</summary>
    private async Task<(int Code, string Output)> MigrateAsync()
    {
        var dll = typeof(DirectoryServiceMarker).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", [dll, "--migrate"])
        {
            RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        foreach (var (key, value) in _node.SettingsFor("directory")) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        start.Environment["DOTNET_ENVIRONMENT"] = start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Publishes a MassTransit envelope to the message type's exchange through the management API; whether it was routed.</summary>
    private async Task<bool> PublishAsync(ResourcePublished fact)
    {
        var envelope = new JsonObject
        {
            ["messageId"] = Guid.NewGuid().ToString(),
            ["messageType"] = new JsonArray("urn:message:MedImaging.Contracts.Registration:ResourcePublished", "urn:message:MedImaging.Contracts:IntegrationEvent"),
            ["message"] = JsonSerializer.SerializeToNode(fact, Json),
            ["sentTime"] = DateTimeOffset.UtcNow.ToString("O"),
            ["headers"] = new JsonObject(),
        };
        var request = new JsonObject
        {
            ["properties"] = new JsonObject { ["content_type"] = "application/vnd.masstransit+json", ["delivery_mode"] = 2 },
            ["routing_key"] = "",
            ["payload"] = envelope.ToJsonString(),
            ["payload_encoding"] = "string",
        };
        using var mgmt = new HttpClient { BaseAddress = _node.Servers.RabbitManagement };
        mgmt.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_node.Servers.RabbitUser}:{_node.Servers.RabbitPassword}")));
        var response = await mgmt.PostAsync($"api/exchanges/{Uri.EscapeDataString(_node.Vhost)}/{Uri.EscapeDataString("MedImaging.Contracts.Registration:ResourcePublished")}/publish",
            new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"));
        if (!response.IsSuccessStatusCode) return false;
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["routed"]!.GetValue<bool>();
    }
}
