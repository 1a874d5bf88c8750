namespace MedImaging.Directory.Subscriptions;

/// <summary>Settings <c>Directory:Subscriptions</c>: what bounds the cost of matching a publication (ADR 0029).</summary>
public sealed class SubscriptionOptions
{
    public const string Section = "Directory:Subscriptions";

    /// <summary>Subscriptions one subscriber may hold: with the prefilter, this bounds the evaluations a publication costs.</summary>
    public int MaxPerSubscriber { get; set; } = 50;

    /// <summary>Values per filter of a saved query (each is an array overlap in the prefilter).</summary>
    public int MaxFilterValues { get; set; } = 50;
}

/// <summary>Settings <c>Directory:Webhooks</c>.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Directory:Webhooks";

    /// <summary>
    /// Hosts a webhook may name: exact host names or addresses, or <c>*.example.org</c> for a domain's hosts. Empty (the
    /// default) refuses every webhook: the directory calls out only where its operator allows (SSRF, ADR 0029).
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Attempts per delivery before it is abandoned (the first included).</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait after the first failure; each further failure doubles it, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a dispatcher holds the deliveries it took (longer than a batch's sends can take).</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(5);
    public int BatchSize { get; set; } = 20;

    /// <summary>
    /// How long a subscriber's stored scope is trusted for webhooks without a call from the subscriber that renews it.
    /// The directory learns of a lowered clearance only from the subscriber's next token; past this age nothing is sent.
    /// </summary>
    public TimeSpan MaxScopeAge { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan RetryDelay(int failures) =>
        TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, FirstRetryDelay.Ticks * (long)Math.Pow(2, Math.Min(failures - 1, 30))));
}
