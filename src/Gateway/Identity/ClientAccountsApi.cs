using System.Text.Json;
using MedImaging.Contracts.Audit;
using MedImaging.Gateway.Infrastructure;
using MedImaging.ServiceDefaults.Audit;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Http;
using MedImaging.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MedImaging.Gateway.Identity;

/// <summary>The clients half of <see cref="AccountsApi"/>: clients are OpenIddict applications, their scope application properties.</summary>
internal static class ClientAccountsApi
{
    public static async Task<Ok<Paged<ClientAccount>>> List(GatewayDbContext db, IOpenIddictApplicationManager manager, ServiceHostContext host,
        [AsParameters] PageQuery paging, CancellationToken ct)
    {
        var page = await db.Set<OpenIddictEntityFrameworkCoreApplication>().AsNoTracking().OrderBy(a => a.ClientId).ToPagedAsync(paging, ct);
        var items = new List<ClientAccount>(page.Items.Count);
        foreach (var application in page.Items)
            items.Add(await ClientAccounts.ViewAsync(manager, application, host.Node, ct));
        return TypedResults.Ok(new Paged<ClientAccount>(items, page.Page, page.PageSize, page.Total));
    }

    public static async Task<Results<Ok<ClientAccount>, ProblemHttpResult>> Get(string clientId, IOpenIddictApplicationManager manager, ServiceHostContext host, CancellationToken ct) =>
        await manager.FindByClientIdAsync(clientId, ct) is { } application
            ? TypedResults.Ok(await ClientAccounts.ViewAsync(manager, application, host.Node, ct))
            : AccountsApi.NotFound("client", clientId);

    public static async Task<Results<Ok<ClientAccount>, ProblemHttpResult>> Change(
        string clientId, [FromBody] JsonElement body, IOpenIddictApplicationManager manager, GatewayDbContext db, IAuditTrail audit,
        ServiceHostContext host, HttpContext http, CancellationToken ct)
    {
        var change = AccountChange.Parse(body, host.RequiredNode, forUser: false);
        if (await manager.FindByClientIdAsync(clientId, ct) is not { } application)
            return AccountsApi.NotFound("client", clientId);
        if (await manager.GetClientTypeAsync(application, ct) != ClientTypes.Confidential)
            throw new ValidationProblemException("clientId",
                $"'{clientId}' is a public client: its tokens are its users' and carry the user's roles, clearance and institution; change those on the user.");

        var before = await ClientAccounts.ViewAsync(manager, application, host.Node, ct);
        var details = new Dictionary<string, string>();
        if (change.Roles is { } roles) AccountChange.Note(details, "roles", AccountChange.Join(before.Roles), AccountChange.Join(roles));
        if (change.Clearance is { } clearance) AccountChange.Note(details, "clearance", before.Clearance, clearance);
        if (change.SetsInstitution) AccountChange.Note(details, "institution", before.Institution, change.Institution);
        if (details.Count == 0)
            return TypedResults.Ok(before);

        // Staged first, in the request's GatewayDbContext, which the manager's store saves the client through.
        audit.Stage(AuditEvents.For(http, AuditActions.AccountChange,
            new AuditResource { Kind = "client", Id = clientId, Identifier = before.DisplayName, Institution = change.SetsInstitution ? change.Institution : before.Institution },
            AuditOutcome.Success, details));
        await ClientAccounts.UpdatePropertiesAsync(manager, application, p =>
        {
            if (change.Roles is { } r) p[TokenEndpoint.RolesProperty] = JsonSerializer.SerializeToElement(r);
            if (change.Clearance is { } c) p[AccountScope.ClearanceProperty] = JsonSerializer.SerializeToElement(c);
            if (change.SetsInstitution && change.Institution is { } i) p[AccountScope.InstitutionProperty] = JsonSerializer.SerializeToElement(i);
            else if (change.SetsInstitution) p.Remove(AccountScope.InstitutionProperty);
        }, ct);
        // Had the store saved through another context (an OpenIddict change), the event would still be pending here: save
        // it so the record is not lost, and fail loudly, since change and record were no longer one transaction.
        if (db.ChangeTracker.Entries<OutboxMessage>().Any(e => e.State == EntityState.Added))
        {
            await db.SaveChangesAsync(CancellationToken.None);
            throw new InvalidOperationException("The client was saved apart from its audit event: OpenIddict's store did not use the request's GatewayDbContext.");
        }
        return TypedResults.Ok(await ClientAccounts.ViewAsync(manager, application, host.Node, ct));
    }
}
