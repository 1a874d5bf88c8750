using System.Text.Json;
using MedImaging.Contracts.Audit;
using MedImaging.Gateway.Infrastructure;
using MedImaging.ServiceDefaults.Audit;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Gateway.Identity;

/// <summary>
/// The node administrator's accounts (admin role only): users and OAuth clients with their roles, clearance and
/// institution (ADR 0021), and changing them. Each change is audited (account-change) in the same transaction as the
/// change; the account's next token carries the new values (a refresh re-reads the user).
/// </summary>
public static class AccountsApi
{
    public const string UsersPath = "/admin/users";
    public const string ClientsPath = "/admin/clients";

    public sealed record UserAccount(
        Guid Id, string UserName, string DisplayName, IReadOnlyList<string> Roles, string? Clearance, string? Institution,
        string TokenClearance, bool Disabled, DateTimeOffset CreatedAt, DateTimeOffset? LastSignInAt)
    {
        internal static UserAccount From(GatewayUser u) => new(u.Id, u.UserName, u.DisplayName, u.Roles, u.Clearance, u.Institution,
            AccountScope.TokenClearance(u.Clearance), u.Disabled, u.CreatedAt, u.LastSignInAt);
    }

    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup(UsersPath).WithTags("Accounts").RequireAuthorization(Policies.Admin);
        users.MapGet("/", ListUsers).WithName("ListUsers").WithSummary("Users with their roles, clearance, institution and state, by name");
        users.MapGet("/{userName}", GetUser).WithName("GetUser").WithSummary("One user's roles, clearance, institution and state");
        users.MapPatch("/{userName}", ChangeUser).WithName("ChangeUser").Accepts<AccountChangeRequest>("application/json")
            .WithSummary("Set a user's roles, clearance, institution (null: node-wide) or disabled flag; audited");

        var clients = app.MapGroup(ClientsPath).WithTags("Accounts").RequireAuthorization(Policies.Admin);
        clients.MapGet("/", ClientAccountsApi.List).WithName("ListClients").WithSummary("OAuth clients with their roles, clearance and institution, by client id");
        clients.MapGet("/{clientId}", ClientAccountsApi.Get).WithName("GetClient").WithSummary("One OAuth client's roles, clearance and institution");
        clients.MapPatch("/{clientId}", ClientAccountsApi.Change).WithName("ChangeClient").Accepts<AccountChangeRequest>("application/json")
            .WithSummary("Set a confidential client's roles, clearance or institution (null: node-wide or the node file's adapter map); audited");
        return app;
    }

    internal static async Task<Ok<Paged<UserAccount>>> ListUsers(GatewayDbContext db, [AsParameters] PageQuery paging, CancellationToken ct) =>
        TypedResults.Ok(await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToPagedAsync(paging, UserAccount.From, ct));

    internal static async Task<Results<Ok<UserAccount>, ProblemHttpResult>> GetUser(string userName, GatewayDbContext db, CancellationToken ct) =>
        await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.UserName == userName, ct) is { } user
            ? TypedResults.Ok(UserAccount.From(user))
            : NotFound("user", userName);

    internal static async Task<Results<Ok<UserAccount>, ProblemHttpResult>> ChangeUser(
        string userName, [FromBody] JsonElement body, GatewayDbContext db, IAuditTrail audit, ServiceHostContext host, HttpContext http, CancellationToken ct)
    {
        var change = AccountChange.Parse(body, host.RequiredNode, forUser: true);
        if (await db.Users.FirstOrDefaultAsync(u => u.UserName == userName, ct) is not { } user)
            return NotFound("user", userName);

        var details = new Dictionary<string, string>();
        if (change.Roles is { } roles)
        {
            AccountChange.Note(details, "roles", AccountChange.Join(user.Roles), AccountChange.Join(roles));
            user.Roles = [.. roles];
        }
        if (change.Clearance is { } clearance)
        {
            AccountChange.Note(details, "clearance", user.Clearance, clearance);
            user.Clearance = clearance;
        }
        if (change.SetsInstitution)
        {
            AccountChange.Note(details, "institution", user.Institution, change.Institution);
            user.Institution = change.Institution;
        }
        if (change.Disabled is { } disabled)
        {
            AccountChange.Note(details, "disabled", user.Disabled ? "true" : "false", disabled ? "true" : "false");
            user.Disabled = disabled;
        }
        if (details.Count > 0)
        {
            audit.Stage(AuditEvents.For(http, AuditActions.AccountChange,
                new AuditResource { Kind = "user", Id = user.Id.ToString(), Identifier = user.UserName, Institution = user.Institution },
                AuditOutcome.Success, details));
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.Ok(UserAccount.From(user));
    }

    internal static ProblemHttpResult NotFound(string kind, string name) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No such {kind}", detail: $"This node has no {kind} '{name}'.");
}
