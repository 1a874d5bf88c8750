using MedImaging.Directory.Domain;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Http;

namespace MedImaging.Directory.Subscriptions;

/// <summary><c>POST /subscriptions</c>: a name, the saved query, and optionally a webhook.</summary>
public sealed record CreateSubscription(string? Name, SubscriptionQuery? Query, WebhookRequest? Webhook);

/// <summary>Where to POST notifications; the secret (16–200 characters) is generated when not given and shown once.</summary>
public sealed record WebhookRequest(string? Url, string? Secret);

public sealed record WebhookView(string Url, string? Secret, DateTimeOffset? LastDeliveredAt, string? LastError, DateTimeOffset? LastErrorAt, int Pending, int Abandoned);

public sealed record ScopeView(string Clearance, string? Institution, DateTimeOffset SeenAt);

public sealed record SubscriptionView(Guid Id, string Name, SubscriptionQuery Query, WebhookView? Webhook, ScopeView Scope, DateTimeOffset CreatedAt);

public static class SubscriptionValidation
{
    public const int MaxNameLength = 200;
    public const int MaxTextLength = 500;

    /// <summary>Throws a 400 problem naming each field at fault.</summary>
    public static void Check(CreateSubscription request, SubscriptionOptions limits, WebhookOptions webhooks)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(webhooks);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > MaxNameLength)
            errors["name"] = [$"A subscription needs a name of 1–{MaxNameLength} characters."];
        if (request.Query is not { } q) errors["query"] = ["A subscription needs a query (text and/or filters)."];
        else
        {
            if (q.Text?.Length > MaxTextLength) errors["query.text"] = [$"The text is longer than {MaxTextLength} characters."];
            foreach (var (name, values) in Filters(q))
            {
                if (values.Count > limits.MaxFilterValues) errors[$"query.{name}"] = [$"At most {limits.MaxFilterValues} values."];
                else if (values.Any(string.IsNullOrWhiteSpace)) errors[$"query.{name}"] = ["Values must not be empty."];
            }
            if (q.SecurityClassifications.FirstOrDefault(c => !SecurityLevels.IsLevel(c)) is { } unknown)
                errors["query.securityClassifications"] = [$"'{unknown}' is not a security classification; known: {string.Join(", ", SecurityLevels.All)}."];
            if (q.StudyDateFrom > q.StudyDateTo) errors["query.studyDateTo"] = ["studyDateTo is before studyDateFrom."];
        }
        if (request.Webhook is { } w)
        {
            if (WebhookUrls.Problem(w.Url, webhooks.AllowedHosts) is { } problem) errors["webhook.url"] = [problem];
            if (w.Secret is { } secret && (secret.Length < 16 || secret.Length > 200)) errors["webhook.secret"] = ["A webhook secret has 16–200 characters."];
        }
        if (errors.Count > 0) throw new ValidationProblemException("Invalid subscription", errors);
    }

    public static IEnumerable<(string Name, IReadOnlyList<string> Values)> Filters(SubscriptionQuery q)
    {
        ArgumentNullException.ThrowIfNull(q);
        yield return ("classifications", q.Classifications);
        yield return ("modalities", q.Modalities);
        yield return ("bodyParts", q.BodyParts);
        yield return ("institutions", q.Institutions);
        yield return ("nodes", q.Nodes);
        yield return ("securityClassifications", q.SecurityClassifications);
        yield return ("kinds", q.Kinds);
    }
}
