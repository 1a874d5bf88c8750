using MedImaging.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace MedImaging.ServiceDefaults.Http;

internal static class ApiDocuments
{
    public static WebApplicationBuilder AddApiDocuments(this WebApplicationBuilder builder, ServiceHostContext host)
    {
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = $"MedImagingCatalog {host.ServiceName} — {host.Node?.Name.Zh ?? "?"}";
            document.Info.Description = $"Node {host.Node?.NodeId} ({host.Node?.Tier}). Tokens from the node gateway's /connect/token.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "Access token from the node gateway (client credentials or password flow).",
            };
            return Task.CompletedTask;
        }));
        return builder;
    }

    public static void MapApiDocuments(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference("/scalar").AllowAnonymous();
    }
}
