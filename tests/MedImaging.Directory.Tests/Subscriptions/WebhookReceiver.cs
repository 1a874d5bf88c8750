using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MedImaging.Directory.Tests.Subscriptions;

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel, an ephemeral port) standing in for a subscriber's system: it records each
/// POST and answers with the next status of its script (the last one repeating).
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly int[] _script;
    private int _calls;

    public sealed record Received(IReadOnlyDictionary<string, string> Headers, byte[] Body, int AnsweredWith);

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>When set, the first request waits for it before it is answered (the test acts while a delivery is in flight).</summary>
    public TaskCompletionSource? HoldFirst { get; }
    public TaskCompletionSource FirstArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public string Url { get; private set; } = "";

    private WebhookReceiver(int[] script, TaskCompletionSource? holdFirst)
    {
        HoldFirst = holdFirst;
        _script = script;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapPost("/hooks/medcat", async (HttpContext http) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            var call = Interlocked.Increment(ref _calls);
            if (call == 1 && HoldFirst is { } hold)
            {
                FirstArrived.TrySetResult();
                await hold.Task;
            }
            var status = _script[Math.Min(call - 1, _script.Length - 1)];
            Requests.Enqueue(new Received(http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body.ToArray(), status));
            return Results.StatusCode(status);
        });
    }

    public static Task<WebhookReceiver> StartAsync(params int[] script) => StartAsync(null, script);

    public static async Task<WebhookReceiver> StartAsync(TaskCompletionSource? holdFirst, params int[] script)
    {
        var receiver = new WebhookReceiver(script, holdFirst);
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.Url = address.TrimEnd('/') + "/hooks/medcat";
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
