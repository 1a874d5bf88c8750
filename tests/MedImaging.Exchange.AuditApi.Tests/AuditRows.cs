using System.Security.Cryptography;
using System.Text;
using MedImaging.Contracts.Audit;
using MedImaging.Exchange.Audit;
using MedImaging.Exchange.Infrastructure;
using MedImaging.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Exchange.AuditApi.Tests;

/// <summary>A row the test puts into the trail; sequence and hashes are assigned when it is inserted.</summary>
public sealed record Row
{
    public string Action { get; init; } = AuditActions.EntryRead;
    public DateTimeOffset OccurredAt { get; init; } = AuditRows.Base;
    public string Node { get; init; } = "hebei";
    public string Service { get; init; } = "registration";
    public string ActorId { get; init; } = "u-cat-1";
    public string? ActorName { get; init; } = "编目员甲";
    public string[] Roles { get; init; } = ["cataloguer"];
    public string? ClientId { get; init; } = "portal";
    public string? ActorNode { get; init; } = "hebei";
    public string? ActorInstitution { get; init; }
    public string? ActorClearance { get; init; } = "internal";
    public string? ResourceKind { get; init; } = "catalogue-entry";
    public string? ResourceId { get; init; } = "e-1";
    public string? ResourceIdentifier { get; init; } = "1.2.156.13.1.1";
    public string? ResourceClassification { get; init; } = "restricted";
    public string? ResourceInstitution { get; init; }
    public string Outcome { get; init; } = AuditOutcome.SuccessCode;
    public string? OutcomeReason { get; init; }
    public string? SourceAddress { get; init; } = "10.1.2.3";
    public string? UserAgent { get; init; } = "Mozilla/5.0";
    public string Details { get; init; } = "{}";
}

/// <summary>
/// Appends rows to exchange.audit_records directly, each at the head of the chain + 1 under a table lock, so that they
/// interleave safely with rows the service's own appender may add (its audit-query events) while a test runs.
/// </summary>
internal static class AuditRows
{
    /// <summary>The test rows happen in January 2026; the service's own events (now) never fall in that window.</summary>
    public static readonly DateTimeOffset Base = new(2026, 1, 10, 8, 0, 0, TimeSpan.Zero);
    public const string Window = "from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z";

    /// <summary>Inserts as the database's owner (the test's admin connection): the service's run-time role may not lock the table.</summary>
    public static async Task<IReadOnlyList<AuditRecord>> InsertAsync(string connectionString, params Row[] rows)
    {
        var options = new DbContextOptionsBuilder<ExchangeDbContext>();
        options.UseServiceDatabase(connectionString, ExchangeDbContext.Schema);
        await using var db = new ExchangeDbContext(options.Options);
        await using var tx = await db.Database.BeginTransactionAsync();
        await db.Database.ExecuteSqlRawAsync("LOCK TABLE exchange.audit_records IN SHARE ROW EXCLUSIVE MODE");
        var head = await db.AuditRecords.OrderByDescending(r => r.Sequence).Select(r => new { r.Sequence, r.Hash }).FirstOrDefaultAsync();
        var sequence = head?.Sequence ?? 0;
        var previous = head?.Hash ?? new byte[32];
        var added = new List<AuditRecord>();
        foreach (var row in rows)
        {
            sequence++;
            var hash = SHA256.HashData([.. previous, .. Encoding.UTF8.GetBytes($"{sequence}|{row}")]);
            var record = new AuditRecord
            {
                Sequence = sequence, EventId = Guid.CreateVersion7(), RecordedAt = DateTimeOffset.UtcNow, OccurredAt = row.OccurredAt,
                Node = row.Node, Service = row.Service, ActorId = row.ActorId, ActorName = row.ActorName, ActorRoles = [.. row.Roles],
                ClientId = row.ClientId, ActorNode = row.ActorNode, ActorInstitution = row.ActorInstitution, ActorClearance = row.ActorClearance,
                Action = row.Action, ResourceKind = row.ResourceKind, ResourceId = row.ResourceId, ResourceIdentifier = row.ResourceIdentifier,
                ResourceClassification = row.ResourceClassification, ResourceInstitution = row.ResourceInstitution,
                Outcome = row.Outcome, OutcomeReason = row.OutcomeReason, SourceAddress = row.SourceAddress, UserAgent = row.UserAgent,
                CorrelationId = Guid.NewGuid().ToString("N"), Details = row.Details, PreviousHash = previous, Hash = hash,
            };
            previous = hash;
            added.Add(record);
        }
        db.AuditRecords.AddRange(added);
        await db.SaveChangesAsync();
        await tx.CommitAsync();
        return added;
    }
}
