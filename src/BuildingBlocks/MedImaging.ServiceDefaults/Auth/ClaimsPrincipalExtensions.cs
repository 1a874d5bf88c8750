using System.Security.Claims;

namespace MedImaging.ServiceDefaults.Auth;

public static class ClaimsPrincipalExtensions
{
    /// <summary>Who did it, for provenance and audit: the user name, else the subject, else the OAuth client.</summary>
    public static string Actor(this ClaimsPrincipal user) =>
        user.FindFirstValue("name") ?? user.FindFirstValue("sub") ?? user.FindFirstValue("client_id") ?? "anonymous";
}
