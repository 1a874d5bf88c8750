using Microsoft.AspNetCore.Authorization;

namespace MedImaging.ServiceDefaults.Auth;

/// <summary>
/// The authorization policies every endpoint names. An endpoint that names none still falls under the fallback
/// policy (authenticated caller), so forgetting one never opens an endpoint.
/// </summary>
public static class Policies
{
    public const string Ingest = "ingest";
    public const string Catalogue = "catalogue";
    public const string Review = "review";
    public const string Publish = "publish";
    public const string Audit = "audit";
    public const string Search = "search";

    /// <summary>
    /// The catalogue's discovery paths (search, records, CSW, QIDO-RS, DCAT): open to anonymous callers, who see public
    /// entries only (<see cref="CallerScope"/> of a caller without token is public); a token widens what is seen.
    /// </summary>
    public const string Discover = "discover";
    public const string MetadataRead = "metadata-read";
    public const string MetadataAdmin = "metadata-admin";
    public const string Federation = "federation";
    public const string Analyse = "analyse";
    public const string Admin = "admin";

    internal static void Configure(AuthorizationOptions options)
    {
        void Role(string policy, params string[] roles) =>
            options.AddPolicy(policy, p => p.RequireAuthenticatedUser().RequireRole([.. roles, Roles.Admin]));

        Role(Ingest, Roles.Adapter);
        Role(Catalogue, Roles.Cataloguer);
        Role(Review, Roles.Reviewer);
        Role(Publish, Roles.Publisher);
        Role(Audit, Roles.Regulator);
        Role(Search, Roles.Researcher, Roles.Cataloguer, Roles.Reviewer, Roles.Publisher, Roles.Regulator, Roles.Public, Roles.Node);
        options.AddPolicy(Discover, p => p.RequireAssertion(_ => true));
        Role(MetadataRead, Roles.Cataloguer, Roles.Reviewer, Roles.Publisher, Roles.Regulator, Roles.Researcher, Roles.Adapter, Roles.Node);
        Role(MetadataAdmin);
        Role(Federation, Roles.Node);
        Role(Analyse, Roles.Researcher, Roles.Cataloguer);
        Role(Admin);
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    }
}
