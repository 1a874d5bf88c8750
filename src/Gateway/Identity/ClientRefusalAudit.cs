using Microsoft.AspNetCore;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MedImaging.Gateway.Identity;

/// <summary>
/// OpenIddict authenticates clients before the token endpoint's own code runs, so a refused client (unknown id, wrong
/// secret) never reaches <see cref="TokenEndpoint"/>. This handler sees every token response on its way out and audits
/// those that refuse the client (invalid_client).
/// </summary>
internal sealed class ClientRefusalAudit(GatewayAudit audit) : IOpenIddictServerHandler<ApplyTokenResponseContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .UseScopedHandler<ClientRefusalAudit>()
            // Before OpenIddict's ASP.NET Core handlers write the response and end the request.
            .SetOrder(int.MinValue + 50_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        if (context.Response.Error != Errors.InvalidClient || context.Transaction.GetHttpRequest()?.HttpContext is not { } http)
            return;
        await audit.ClientRefusedAsync(http, context.Request?.ClientId, context.Request?.GrantType, Errors.InvalidClient, context.Response.ErrorDescription);
    }
}
