using MassTransit;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Hosting;

namespace MedImaging.Exchange.Audit;

/// <summary>The node's audit trail in the Exchange host: the chain's tables, appender, anchors, audit key and verifier (ADR 0020).</summary>
public static class ChainRegistration
{
    /// <summary>The tables the run-time database role may only SELECT and INSERT (AddServiceDbContext's appendOnlyTables).</summary>
    public static readonly IReadOnlyCollection<string> AppendOnlyTables = ["audit_records", "audit_anchors"];

    public static void AddChainConsumer(this IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<ChainAppendConsumer>(typeof(ChainAppendConsumerDefinition));

    public static WebApplicationBuilder AddAuditChain(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ChainOptions>().BindConfiguration(ChainOptions.Section)
            .Validate(o => o.AnchorEvery >= 1 && o.AnchorInterval > TimeSpan.Zero && o.VerifyPageSize >= 1 && o.AppendBatchSize >= 1 && o.AppendWindow > TimeSpan.Zero,
                "Audit:AnchorEvery, Audit:VerifyPageSize and Audit:AppendBatchSize must be at least 1, Audit:AnchorInterval and Audit:AppendWindow positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton(LoadSigner(builder));
        builder.Services.AddScoped<IChainAppender, ChainAppender>();
        builder.Services.AddScoped<ChainVerifier>();
        builder.Services.AddHostedService<AnchorScheduler>();
        return builder;
    }

    /// <summary>
    /// The audit key, read at start so that a missing or bad key stops the host with one line (as a bad node file does).
    /// Only Development and Testing may generate one, next to the node's token key as "&lt;node&gt;-audit.pem".
    /// </summary>
    private static AnchorSigner LoadSigner(WebApplicationBuilder builder)
    {
        var host = (ServiceHostContext)builder.Services.Single(d => d.ServiceType == typeof(ServiceHostContext)).ImplementationInstance!;
        var config = builder.Configuration;
        var path = config[$"{ChainOptions.Section}:{nameof(ChainOptions.SigningKeyPath)}"];
        // The host will refuse to run anyway (a bad node file), or only migrates and exits (the migrator step, which must
        // not need the key): nothing will be signed, so nothing is read or generated.
        if (host.Problem is not null || Environment.GetCommandLineArgs().Contains("--migrate")) return new AnchorSigner(AnchorKey.Unusable(), []);
        var mayGenerate = builder.Environment.IsDevelopment() || builder.Environment.IsEnvironment("Testing");
        // Next to the node's published token keys (services get no private token key, ADR 0003).
        if (string.IsNullOrWhiteSpace(path) && mayGenerate
            && (config[NodeSigningKey.PublicKeysConfigurationKey] ?? config[NodeSigningKey.ConfigurationKey]) is { Length: > 0 } tokenKeys)
            path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(tokenKeys)) ?? ".", $"{host.Node?.NodeId ?? "node"}-audit.pem");
        try
        {
            if (string.IsNullOrWhiteSpace(path))
                throw new InvalidOperationException("Audit:SigningKeyPath is not set: the Exchange service signs the audit chain with an ECDSA P-256 key (PEM).");
            if (mayGenerate) AnchorKey.EnsureExists(path);
            var retired = config.GetSection($"{ChainOptions.Section}:{nameof(ChainOptions.RetiredPublicKeyPaths)}").Get<string[]>() ?? [];
            return new AnchorSigner(AnchorKey.Load(path, current: true), [.. retired.Select(p => AnchorKey.Load(p, current: false))]);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            host.Refuse(ex is InvalidOperationException ? ex.Message : $"Audit:SigningKeyPath {path}: cannot read the audit key ({ex.Message}).");
            return new AnchorSigner(AnchorKey.Unusable(), []);
        }
    }
}
