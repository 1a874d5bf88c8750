using MassTransit;
using MedImaging.Exchange.Audit;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Hosting;

namespace MedImaging.Exchange.Federation;

/// <summary>The node's part of the federation in the Exchange host (ADR 0032): keys, checks, forwarding, consumers.</summary>
public static class FederationRegistration
{
    public static void AddFederationConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<OwnPublicationConsumer>(typeof(FederationConsumerDefinition<OwnPublicationConsumer>));
        bus.AddConsumer<OwnRevisionConsumer>(typeof(FederationConsumerDefinition<OwnRevisionConsumer>));
        bus.AddConsumer<OwnWithdrawalConsumer>(typeof(FederationConsumerDefinition<OwnWithdrawalConsumer>));
        bus.AddConsumer<InboundEntryConsumer>(typeof(InboundEntryConsumerDefinition));
    }

    public static WebApplicationBuilder AddFederation(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<FederationOptions>().BindConfiguration(FederationOptions.Section);
        builder.Services.AddSingleton(LoadKeys(builder));
        builder.Services.AddSingleton<EntrySignatures>();
        builder.Services.AddScoped<EntryLedger>();
        builder.Services.AddScoped<FederationForwarder>();
        builder.Services.AddSingleton<QueueProbe>();
        builder.Services.AddScoped<LinkStatus>();
        builder.Services.AddHostedService<RuleReapplication>();
        return builder;
    }

    /// <summary>
    /// The federation key, read at start so that a missing or bad key stops the host with one line. Only Development and
    /// Testing may generate one (next to the node's token keys, "&lt;node&gt;-federation.pem") and publish its public half
    /// into Federation:PeerKeysPath, where the other nodes on the same machine find it.
    /// </summary>
    private static FederationKeys LoadKeys(WebApplicationBuilder builder)
    {
        var host = (ServiceHostContext)builder.Services.Single(d => d.ServiceType == typeof(ServiceHostContext)).ImplementationInstance!;
        var config = builder.Configuration;
        var options = config.GetSection(FederationOptions.Section).Get<FederationOptions>() ?? new FederationOptions();
        var path = options.SigningKeyPath;
        if (host.Problem is not null || Environment.GetCommandLineArgs().Contains("--migrate")) return new FederationKeys(AnchorKey.Unusable(), null);
        var mayGenerate = builder.Environment.IsDevelopment() || builder.Environment.IsEnvironment("Testing");
        var node = host.Node?.NodeId ?? "node";
        if (string.IsNullOrWhiteSpace(path) && mayGenerate
            && (config[NodeSigningKey.PublicKeysConfigurationKey] ?? config[NodeSigningKey.ConfigurationKey]) is { Length: > 0 } tokenKeys)
            path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(tokenKeys)) ?? ".", $"{node}-federation.pem");
        try
        {
            if (string.IsNullOrWhiteSpace(path))
                throw new InvalidOperationException("Federation:SigningKeyPath is not set: the Exchange service signs federated entries with an ECDSA P-256 key (PEM).");
            if (mayGenerate) AnchorKey.EnsureExists(path);
            var keys = new FederationKeys(AnchorKey.Load(path, current: true), options.PeerKeysPath);
            if (mayGenerate) keys.PublishOwn(node);
            return keys;
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            host.Refuse(ex is InvalidOperationException ? ex.Message : $"Federation:SigningKeyPath {path}: cannot read the federation key ({ex.Message}).");
            return new FederationKeys(AnchorKey.Unusable(), null);
        }
    }
}
