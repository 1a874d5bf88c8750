using MedImaging.Directory.Statistics;

namespace MedImaging.Directory.Subscriptions;

public static class SubscriptionServices
{
    /// <summary>Subscriptions, notifications and their webhook dispatcher, and the statistics (ADR 0029).</summary>
    public static WebApplicationBuilder AddSubscriptionServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SubscriptionOptions>().BindConfiguration(SubscriptionOptions.Section);
        builder.Services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section);
        builder.Services.AddScoped<SubscriptionMatcher>();
        builder.Services.AddScoped<CatalogueStatistics>();
        builder.Services.AddScoped<UsageStatistics>();
        // No redirects (an allowed host must not bounce the POST into the node's network) and no proxy from the environment.
        builder.Services.AddHttpClient(WebhookDispatcher.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false, UseCookies = false });
        builder.Services.AddHostedService<WebhookDispatcher>();
        return builder;
    }
}
