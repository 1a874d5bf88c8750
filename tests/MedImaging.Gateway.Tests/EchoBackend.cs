using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MedImaging.Gateway.Tests;

/// <summary>
/// A real Kestrel server on 127.0.0.1 (port 0) standing in for one service of the node: it answers every request with
/// what arrived (service name, method, path, query and the headers the gateway is expected to set).
/// </summary>
public sealed class EchoBackend : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EchoBackend(WebApplication app, string service, Uri url)
    {
        _app = app;
        Service = service;
        Url = url;
    }

    public string Service { get; }
    public Uri Url { get; }

    public sealed record Received(string Service, string Method, string Path, string Query, string? ForwardedPrefix, string? CorrelationId, string? Authorization, string? ForwardedFor);

    public static async Task<EchoBackend> StartAsync(string service)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(async context =>
        {
            string? Header(string name) => context.Request.Headers.TryGetValue(name, out var v) ? v.ToString() : null;
            var received = new Received(service, context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "",
                Header("X-Forwarded-Prefix"), Header("X-Correlation-Id"), Header("Authorization"), Header("X-Forwarded-For"));
            context.Response.ContentType = "application/json";
            // The service answers with the correlation id too; the client must still see it once.
            if (received.CorrelationId is { } id) context.Response.Headers["X-Correlation-Id"] = id;
            await context.Response.WriteAsync(JsonSerializer.Serialize(received));
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new EchoBackend(app, service, new Uri(address));
    }

    public static async Task<Received> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<Received>(body)!;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
