using System.Security.Claims;

namespace MedImaging.ServiceDefaults.Auth;

/// <summary>The claims, beyond sub, name and role, that the node gateway puts in every access token (ADR 0020).</summary>
public static class ScopeClaims
{
    /// <summary>The caller's clearance: one of <see cref="SecurityLevels.All"/>.</summary>
    public const string Clearance = "clearance";

    /// <summary>The node the caller belongs to (tier file nodeId).</summary>
    public const string Node = "node";

    /// <summary>The institution (registry code) of hospital staff and adapters; absent for node-wide staff.</summary>
    public const string Institution = "institution";

    /// <summary>The OAuth client the token was issued to.</summary>
    public const string ClientId = "client_id";
}

/// <summary>
/// The security classification codes of §4.7.2.18 as the Metadata service's seed defines them, least restricted first.
/// A caller with clearance c may see an entry classified at or below c.
/// </summary>
public static class SecurityLevels
{
    public const string Public = "public";
    public const string Internal = "internal";
    public const string Restricted = "restricted";
    public const string Confidential = "confidential";

    public static readonly IReadOnlyList<string> All = [Public, Internal, Restricted, Confidential];

    /// <summary>The rank of a code (0 = public); an unknown or missing code ranks above every clearance (fail closed).</summary>
    public static int Rank(string? code) => code is null ? int.MaxValue : All.IndexOf(code) is var i and >= 0 ? i : int.MaxValue;

    public static bool IsLevel(string? code) => code is not null && All.Contains(code);

    /// <summary>The codes at or below a clearance, for filtering in SQL (<c>WHERE classification = ANY(@codes)</c>).</summary>
    public static IReadOnlyList<string> AtOrBelow(string? clearance) => Rank(clearance) is var r and < int.MaxValue ? [.. All.Take(r + 1)] : [];

    private static int IndexOf(this IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++) if (list[i] == value) return i;
        return -1;
    }
}

/// <summary>
/// What a caller may see, read from its access token: its clearance, node and (for hospital staff and adapters) its
/// institution. The one place every read path asks "may this caller see an entry of this classification and
/// organisation" (DESIGN "Security"). A token without a clearance sees public entries only; a hidden entry answers 404.
/// </summary>
public sealed record CallerScope(string Clearance, string? Node, string? Institution)
{
    public static CallerScope From(ClaimsPrincipal user) => new(
        SecurityLevels.IsLevel(user.FindFirstValue(ScopeClaims.Clearance)) ? user.FindFirstValue(ScopeClaims.Clearance)! : SecurityLevels.Public,
        user.FindFirstValue(ScopeClaims.Node),
        user.FindFirstValue(ScopeClaims.Institution) is { Length: > 0 } institution ? institution : null);

    /// <summary>The classification codes this caller may see, for a SQL filter.</summary>
    public IReadOnlyList<string> VisibleClassifications => SecurityLevels.AtOrBelow(Clearance);

    /// <summary>True when the caller is limited to one institution's entries.</summary>
    public bool InstitutionBound => Institution is not null;

    /// <summary>
    /// May the caller see an entry of this classification that belongs to this institution? An entry with no or an
    /// unknown classification is treated as the most restricted (fail closed); an entry with no institution is seen only
    /// by node-wide callers.
    /// </summary>
    public bool MaySee(string? classification, string? institution) =>
        SecurityLevels.Rank(classification) <= SecurityLevels.Rank(Clearance)
        && (Institution is null || string.Equals(institution, Institution, StringComparison.Ordinal));
}

public static class CallerScopeExtensions
{
    public static CallerScope Scope(this ClaimsPrincipal user) => CallerScope.From(user);
}
