using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Health;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Http;
using MedImaging.ServiceDefaults.Logging;
using MedImaging.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Serilog;

namespace MedImaging.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    /// <summary>
    /// What every host of a node shares: node identity from its tier file, Serilog JSON logs with correlation ids,
    /// OpenAPI, RFC 7807 problem details, token validation and policies, Redis, and health checks. Configuration errors
    /// do not throw here: they are kept and reported as one line by <see cref="ServiceHostExtensions.RunServiceAsync"/>.
    /// </summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, string serviceName)
    {
        var host = ServiceHostContextFactory.Create(builder.Configuration, builder.Environment, serviceName);
        builder.Services.AddSingleton(host);

        // Bind to the node file's URL for this service unless the operator chose one (--urls, ASPNETCORE_URLS).
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && host.Node?.Endpoints.GetValueOrDefault(serviceName) is { } url)
            builder.WebHost.UseUrls(url.GetLeftPart(UriPartial.Authority));

        builder.AddStructuredLogging(host);
        builder.AddProblemResponses();
        builder.AddBadRequestProblems();
        builder.AddApiDocuments(host);
        builder.AddTokenValidation(host);
        builder.AddRedis(host);
        builder.AddDependencyHealthChecks();
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            // The node's gateway strips /api/{service} and says so in X-Forwarded-Prefix; links and the API reference
            // page must carry the prefix back. Only loopback proxies are trusted (the defaults). X-Forwarded-Host too, so
            // that absolute URLs a service writes (CSW capabilities) name the gateway's host, not the service's.
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedPrefix
                | ForwardedHeaders.XForwardedHost;
        });
        return builder;
    }

    /// <summary>Middleware and endpoints every host has: correlation, request logging, problem details, auth, health, OpenAPI.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseMiddleware<CorrelationIdMiddleware>();
        app.UseSerilogRequestLogging(o => o.GetLevel = RequestLogLevel.For);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthEndpoints();
        app.MapApiDocuments();
        app.MapOutboxMonitor();
        return app;
    }
}
