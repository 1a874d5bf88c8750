using System.Text.Json;
using System.Text.Json.Serialization;
using MedImaging.Contracts.Metadata;
using MedImaging.Registration.Cataloguing;
using MedImaging.Registration.Consumers;
using MedImaging.Registration.Infrastructure;
using MedImaging.Registration.Ingest;
using MedImaging.Registration.Privacy;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Data;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Messaging;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MedImaging.Registration;

public static class Extensions
{
    public static WebApplicationBuilder AddRegistrationServices(this WebApplicationBuilder builder)
    {
        builder.AddServiceDbContext<RegistrationDbContext>(RegistrationDbContext.Schema);
        builder.AddMessaging(bus =>
        {
            bus.AddConsumer<MetadataSetVersionActivatedConsumer>(typeof(MetadataSetVersionActivatedConsumerDefinition));
            bus.AddConsumer<ClassificationSchemeChangedConsumer>(typeof(ClassificationSchemeChangedConsumerDefinition));
        });
        // Versions activated (or seeded) before this service's queue existed never reached it: ask for them at start (ADR 0017).
        builder.PublishAtStart<RegistrationDbContext, AnnounceActiveMetadataSetVersions>(h => new() { OriginNode = h.RequiredNode.NodeId, RequestedBy = h.ServiceName });
        builder.AddPrivacyKeys();

        // The request size comes from the node file, which the gateway reads too (ADR 0018): one number for both.
        builder.Services.AddOptions<IngestOptions>().BindConfiguration("Registration:Ingest")
            .PostConfigure<ServiceHostContext>((o, host) => o.MaxRequestBytes = host.Node?.Ingest.MaxRequestBytes ?? o.MaxRequestBytes);
        builder.Services.AddSingleton<InstancePreparer>();
        builder.Services.AddSingleton<IngestWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<IngestWriter>());
        builder.Services.AddScoped<IngestHandler>();
        builder.Services.AddScoped<IngestClassifier>();
        builder.Services.AddSingleton<ClassificationMemo>();
        builder.Services.AddScoped<CatalogingService>();
        builder.Services.AddHttpContextAccessor(); // the workflow's audit records name the request's caller
        builder.Services.AddScoped<AutoCataloguer>();
        builder.Services.AddScoped<Reclassifier>();
        // A token that cannot be had makes the Metadata service unavailable to the caller, as a Metadata outage would (a 503).
        builder.AddServiceToken("Metadata", new ServiceTokenOptions
        {
            Unavailable = (why, inner) => new MetadataUnavailableException("be asked (no service token)", why, inner),
        });
        builder.Services.AddSingleton<InstitutionRegistry>();
        builder.Services.AddOptions<CatalogingOptions>().BindConfiguration("Registration:Cataloguing")
            .Validate(o => o.Problem() is null, "Registration:Cataloguing has a rule outside the securityClassification code list (public, internal, restricted, confidential) or a charge rule without true/false.")
            .ValidateOnStart();
        builder.Services.AddHttpClient<IMetadataService, HttpMetadataService>(c => c.Timeout = TimeSpan.FromSeconds(10));
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(RegistrationPolicies.Read, p => p.RequireAuthenticatedUser()
                .RequireRole(Roles.Cataloguer, Roles.Reviewer, Roles.Publisher, Roles.Regulator, Roles.Admin))
            .AddPolicy(RegistrationPolicies.ReviewQueue, p => p.RequireAuthenticatedUser().RequireRole(Roles.Reviewer, Roles.Publisher, Roles.Admin))
            .AddPolicy(RegistrationPolicies.AcquisitionLog, p => p.RequireAuthenticatedUser().RequireRole(Roles.Adapter, Roles.Cataloguer, Roles.Admin));
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        return builder;
    }

    /// <summary>
    /// The vault and pseudonym keys. Missing keys outside Development/Testing make the host refuse to start with one
    /// line (through the host context's problem, as a bad tier file does), never a silent fallback.
    /// </summary>
    private static void AddPrivacyKeys(this WebApplicationBuilder builder)
    {
        var (keys, problem) = RegistrationKeys.Load(builder.Configuration, builder.Environment);
        if (problem is not null)
        {
            Refuse(builder, problem);
            keys = new RegistrationKeys { ActiveKeyId = "unconfigured", VaultKeys = new Dictionary<string, byte[]>(), PseudonymKey = [] };
        }
        builder.Services.AddSingleton(keys!);
        builder.Services.AddSingleton<Pseudonymizer>();
        builder.Services.AddSingleton<PhiVault>();
        builder.Services.AddScoped<PhiKeyRotation>();
    }

    // The host refuses to run with this line (through the host context's problem, as a bad tier file does); the first wins.
    private static void Refuse(WebApplicationBuilder builder, string problem)
    {
        var descriptor = builder.Services.Single(d => d.ServiceType == typeof(ServiceHostContext));
        if (descriptor.ImplementationInstance is ServiceHostContext { Problem: null } host)
            builder.Services.Replace(ServiceDescriptor.Singleton(new ServiceHostContext
            {
                ServiceName = host.ServiceName, Node = host.Node, Connections = host.Connections, TokenKeys = host.TokenKeys, Problem = problem,
            }));
    }
}

/// <summary>Policies of this service beyond the shared ones.</summary>
public static class RegistrationPolicies
{
    /// <summary>Reading catalogue entries and their history: everyone who works on them, and regulators.</summary>
    public const string Read = "registration-read";

    /// <summary>The review queue: reviewers and publishers.</summary>
    public const string ReviewQueue = "registration-review-queue";

    /// <summary>The acquisition log: adapters (their own batches) and cataloguers.</summary>
    public const string AcquisitionLog = "registration-acquisition-log";
}
