using MedImaging.Contracts.Audit;
using MedImaging.Exchange.Infrastructure;
using MedImaging.ServiceDefaults.Audit;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Node;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MedImaging.Exchange.Federation;

/// <summary>
/// A changed tier file applies to what was already shared (issue 13 item 1): once the host has started, every entry a
/// neighbour holds is checked against the current rules of its link, and those that may no longer cross are withdrawn
/// from it (and, by the neighbour, from everywhere it passed them on). One audit record per link says how many.
/// </summary>
public sealed class RuleReapplication(IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, ServiceHostContext host,
    IOptions<FederationOptions> options, ILogger<RuleReapplication> log) : BackgroundService
{
    private const int PageSize = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ReapplyRulesAtStart || host.Node is null) return;
        var started = new TaskCompletionSource();
        await using (lifetime.ApplicationStarted.Register(started.SetResult))
            await started.Task.WaitAsync(stoppingToken);
        try
        {
            var total = await ReapplyAsync(stoppingToken);
            if (total.Count > 0) log.LogInformation("Sharing rules re-applied: withdrew {Counts}", string.Join(", ", total.Select(t => $"{t.Value} from {t.Key}")));
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            log.LogError(ex, "Re-applying the sharing rules to what was already shared failed; it runs again at the next start");
        }
    }

    /// <summary>Withdraws what the rules no longer let cross; the number withdrawn per neighbour.</summary>
    public async Task<Dictionary<string, int>> ReapplyAsync(CancellationToken ct)
    {
        var node = host.RequiredNode;
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        (string Origin, Guid Id, string Target) after = ("", Guid.Empty, "");
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ExchangeDbContext>();
            var forwarder = scope.ServiceProvider.GetRequiredService<FederationForwarder>();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var (o, i, t) = after;
            var page = await db.FederationShares
                .FromSql($"""
                    SELECT * FROM exchange.federation_shares WHERE kind IN ('published', 'revised') AND (origin_node, resource_id, target) > ({o}, {i}, {t})
                    ORDER BY origin_node, resource_id, target LIMIT {PageSize} FOR UPDATE
                    """)
                .ToListAsync(ct);
            if (page.Count == 0) break;
            foreach (var held in page)
            {
                var direction = Enum.Parse<LinkDirection>(held.Direction, ignoreCase: true);
                var stillNeighbour = direction == LinkDirection.Up ? node.Parent == held.Target : node.Children.Contains(held.Target, StringComparer.Ordinal);
                if (stillNeighbour && node.Routing.Decide(direction, held.Target, held.ClassificationCode, held.SecurityClassification).Crosses) continue;
                // A neighbour no longer in the tier file gets the withdrawal in its queue too: the link's shovel may still run.
                await forwarder.UnshareAsync(held, $"the sharing rules of {node.NodeId} → {held.Target} no longer share it", ct);
                counts[held.Target] = counts.GetValueOrDefault(held.Target) + 1;
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            after = (page[^1].OriginNode, page[^1].ResourceId, page[^1].Target);
        }
        if (counts.Count > 0) await AuditAsync(counts, ct);
        return counts;
    }

    private async Task AuditAsync(Dictionary<string, int> counts, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var audit = scope.ServiceProvider.GetRequiredService<IAuditTrail>();
        foreach (var (target, count) in counts)
            await audit.WriteAsync(new AuditEventRecorded
            {
                OriginNode = host.RequiredNode.NodeId,
                Service = host.ServiceName,
                Actor = new AuditActor { SubjectId = $"node:{host.RequiredNode.NodeId}", Node = host.RequiredNode.NodeId },
                Action = AuditActions.FederationUnshared,
                Resource = new AuditResource { Kind = "federation-link", Id = target },
                Outcome = AuditOutcome.Success,
                Details = new Dictionary<string, string> { ["entries"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture), ["reason"] = "sharing rules changed" },
            }, ct);
    }
}
