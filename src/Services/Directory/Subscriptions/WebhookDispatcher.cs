using System.Net.Http.Headers;
using System.Text;
using MedImaging.Directory.Domain;
using MedImaging.Directory.Infrastructure;
using MedImaging.Directory.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MedImaging.Directory.Subscriptions;

/// <summary>
/// Sends the webhook deliveries the matcher staged: takes a batch under a lease (FOR UPDATE SKIP LOCKED, so several
/// directory replicas share the work and a crashed one's rows come back when its lease ends), POSTs each with its
/// signature, and records the outcome — delivered, retry later with doubled delay, or abandoned after
/// <see cref="WebhookOptions.MaxAttempts"/>, the last error on the delivery and on its subscription. Delivery is
/// at-least-once (a crash after the POST sends it again); <c>X-MedCat-Delivery</c> lets a receiver drop the repeat.
/// </summary>
public sealed class WebhookDispatcher(IServiceScopeFactory scopes, IHttpClientFactory http, IOptionsMonitor<WebhookOptions> options,
    TimeProvider clock, ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public const string HttpClientName = "webhooks";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var sent = 0;
            try
            {
                sent = await DispatchBatchAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Database away or not migrated yet: the host's health shows it; try again at the next poll.
                logger.LogWarning(ex, "Webhook dispatch failed; trying again in {Interval}", options.CurrentValue.PollInterval);
            }
            if (sent < options.CurrentValue.BatchSize)
                await Task.Delay(options.CurrentValue.PollInterval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    internal async Task<int> DispatchBatchAsync(CancellationToken ct)
    {
        var o = options.CurrentValue;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DirectoryDbContext>();
        var search = scope.ServiceProvider.GetRequiredService<ICatalogSearch>();
        var now = clock.GetUtcNow();
        var batch = await db.WebhookDeliveries.FromSql($"""
            UPDATE directory.webhook_deliveries SET lease_until = {now + o.Lease}
            WHERE id IN (SELECT id FROM directory.webhook_deliveries
                         WHERE delivered_at IS NULL AND abandoned_at IS NULL AND next_attempt_at <= {now} AND (lease_until IS NULL OR lease_until < {now})
                         ORDER BY next_attempt_at LIMIT {o.BatchSize} FOR UPDATE SKIP LOCKED)
            RETURNING *
            """).ToListAsync(ct);
        foreach (var delivery in batch)
        {
            var subscription = await db.Subscriptions.SingleOrDefaultAsync(s => s.Id == delivery.SubscriptionId, ct);
            var notification = await db.Notifications.AsNoTracking().SingleOrDefaultAsync(n => n.Id == delivery.NotificationId, ct);
            if (subscription is null || notification is null) continue; // unsubscribed meanwhile: the row went with it
            var notSent = await WithheldAsync(search, subscription, notification, o, ct);
            string? error = notSent is null ? await SendAsync(subscription, delivery, o, ct) : null;
            var at = clock.GetUtcNow();
            delivery.Attempts += notSent is null ? 1 : 0;
            delivery.LeaseUntil = null;
            if (notSent is not null)
            {
                delivery.AbandonedAt = at;
                delivery.LastError = notSent;
                subscription.WebhookLastError = notSent;
                subscription.WebhookLastErrorAt = at;
            }
            else if (error is null)
            {
                delivery.DeliveredAt = at;
                subscription.WebhookLastDeliveredAt = at;
            }
            else
            {
                delivery.LastError = error;
                subscription.WebhookLastErrorAt = at;
                if (delivery.Attempts >= o.MaxAttempts)
                {
                    delivery.AbandonedAt = at;
                    subscription.WebhookLastError = $"Gave up after {delivery.Attempts} attempts: {error}";
                }
                else
                {
                    delivery.NextAttemptAt = at + o.RetryDelay(delivery.Attempts);
                    subscription.WebhookLastError = $"Attempt {delivery.Attempts} of {o.MaxAttempts} failed: {error}";
                }
            }
            db.WebhookDeliveries.Update(delivery);
            await db.SaveChangesAsync(ct);
        }
        return batch.Count;
    }

    /// <summary>Why the delivery must not be sent at all, or null. Checked at each attempt, not only at matching.</summary>
    private async Task<string?> WithheldAsync(ICatalogSearch search, Subscription subscription, Notification notification, WebhookOptions o, CancellationToken ct)
    {
        // The directory hears of a lowered clearance only through the subscriber's next call: a scope not renewed for
        // MaxScopeAge is not trusted to send anything.
        if (clock.GetUtcNow() - subscription.ScopeSeenAt > o.MaxScopeAge)
            return $"Not sent: the subscriber's scope was last confirmed at {subscription.ScopeSeenAt:u}, more than {o.MaxScopeAge.TotalDays:0.#} days ago; "
                   + "any call to /subscriptions or /notifications renews it.";
        // The scope may have been lowered (or the entry withdrawn) since matching: never send what the subscriber may not see now.
        var visible = await search.Visible(subscription.Scope).AnyAsync(e => e.OriginNode == notification.OriginNode && e.ResourceId == notification.ResourceId, ct);
        return visible ? null : "Not sent: the entry is no longer visible to the subscriber (withdrawn, or above its current scope).";
    }

    /// <summary>Null when the receiver answered 2xx; otherwise what went wrong, without the receiver's body.</summary>
    private async Task<string?> SendAsync(Subscription subscription, WebhookDelivery delivery, WebhookOptions o, CancellationToken ct)
    {
        // The allow-list may have shrunk since the subscription was made.
        if (WebhookUrls.Problem(subscription.WebhookUrl, o.AllowedHosts) is { } refused) return refused;
        var body = Encoding.UTF8.GetBytes(delivery.Body);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.WebhookUrl) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(subscription.WebhookSecret ?? "", timestamp, body));
        request.Headers.Add(WebhookSignature.DeliveryHeader, delivery.Id.ToString());
        request.Headers.Add(WebhookSignature.EventHeader, WebhookPayload.EntryMatched);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(o.Timeout);
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return $"No answer within {o.Timeout.TotalSeconds:0.#} s.";
        }
        catch (HttpRequestException ex)
        {
            logger.LogInformation(ex, "Webhook delivery {DeliveryId} failed", delivery.Id);
            return ex.HttpRequestError == HttpRequestError.Unknown ? "The request failed." : $"The request failed: {ex.HttpRequestError}.";
        }
    }
}
