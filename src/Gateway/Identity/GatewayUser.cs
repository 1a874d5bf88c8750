namespace MedImaging.Gateway.Identity;

/// <summary>
/// A person who signs in at this node's gateway (portal, scripts). Roles are the design's roles
/// (<see cref="ServiceDefaults.Auth.Roles"/>); the password is stored only as an ASP.NET Core Identity hash.
/// </summary>
public sealed class GatewayUser
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string UserName { get; init; }
    public string DisplayName { get; set; } = "";
    public string PasswordHash { get; set; } = "";
    public List<string> Roles { get; set; } = [];
    public bool Disabled { get; set; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? LastSignInAt { get; set; }
}
