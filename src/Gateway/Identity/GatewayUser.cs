namespace MedImaging.Gateway.Identity;

/// <summary>
/// A person who signs in at this node's gateway (portal, scripts). Roles are the design's roles
/// (<see cref="ServiceDefaults.Auth.Roles"/>); the password is stored only as an ASP.NET Core Identity hash. Clearance and
/// institution are what the user may see (ADR 0021): null clearance gives tokens clearance public (fail closed), null
/// institution makes the user node-wide.
/// </summary>
public sealed class GatewayUser
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string UserName { get; init; }
    public string DisplayName { get; set; } = "";
    public string PasswordHash { get; set; } = "";
    public List<string> Roles { get; set; } = [];
    public bool Disabled { get; set; }

    /// <summary>One of <see cref="ServiceDefaults.Auth.SecurityLevels.All"/>, or null (tokens say public).</summary>
    public string? Clearance { get; set; }

    /// <summary>Registry code of the user's institution (one of the node file's <c>institutions</c>) for hospital staff.</summary>
    public string? Institution { get; set; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? LastSignInAt { get; set; }
}
