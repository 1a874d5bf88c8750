using System.Globalization;
using System.Security.Cryptography;
using MedImaging.Contracts.Audit;
using MedImaging.Registration.Domain;
using MedImaging.Registration.Infrastructure;
using MedImaging.ServiceDefaults.Audit;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Registration.Privacy;

/// <summary>How many vault rows each key id seals, and whether that key is configured; a key may go once no row names it.</summary>
public sealed record VaultKeyUsage(string KeyId, long Rows, bool Configured, bool Active)
{
    public bool Removable => Configured && !Active && Rows == 0;
}

public sealed record VaultKeyStatus(string ActiveKeyId, long RowsToReseal, IReadOnlyList<VaultKeyUsage> Keys);

/// <summary>Rows a rotation could not re-seal: their key is not configured, or they do not open with it.</summary>
public sealed record ResealFailure(string KeyId, long Rows, string Reason);

/// <summary>One rotation run: pages and rows re-sealed, what failed, and the vault's key status after it.</summary>
public sealed record RotationRun(int Pages, long Resealed, bool Done, IReadOnlyList<ResealFailure> Failures, VaultKeyStatus Status);

/// <summary>
/// Re-seals vault rows that an older key sealed under the active key (ADR 0010), a page at a time: each page locks its
/// rows, re-encrypts and reads each back, writes it and commits on its own, so a stopped run loses nothing and the next
/// one starts where the rows say (their key id). Rows ingest writes meanwhile are already under the active key.
/// </summary>
public sealed class PhiKeyRotation(RegistrationDbContext db, PhiVault vault, IAuditTrail audits, ILogger<PhiKeyRotation> logger)
{
    public async Task<VaultKeyStatus> StatusAsync(CancellationToken ct)
    {
        var counts = await db.PhiRecords.AsNoTracking().GroupBy(r => r.KeyId).Select(g => new { KeyId = g.Key, Rows = g.LongCount() })
            .ToDictionaryAsync(g => g.KeyId, g => g.Rows, StringComparer.Ordinal, ct);
        var keys = counts.Keys.Union(vault.KeyIds, StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(k => new VaultKeyUsage(k, counts.GetValueOrDefault(k), vault.HasKey(k), k == vault.ActiveKeyId)).ToList();
        return new VaultKeyStatus(vault.ActiveKeyId, keys.Where(k => !k.Active).Sum(k => k.Rows), keys);
    }

    /// <summary>
    /// Re-seals up to <paramref name="maxPages"/> pages of <paramref name="pageSize"/> rows not under the active key. The
    /// run's one audit record (<paramref name="audit"/>, with the totals) is committed with its last page: a run whose
    /// last page did not commit has no record saying it finished (the pages before it committed on their own).
    /// </summary>
    public async Task<RotationRun> RunAsync(int pageSize, int maxPages, AuditEventRecorded? audit, CancellationToken ct)
    {
        var failures = new Dictionary<(string KeyId, string Reason), long>();
        var (pages, resealed, after, more) = (0, 0L, Guid.Empty, true);
        while (more && pages < maxPages)
        {
            // The last page of the run: not full (nothing more to read), or the last one allowed.
            var final = audit is null ? null : new Func<int, bool, Task>(async (pageResealed, pageFull) =>
            {
                if (pageFull && pages + 1 < maxPages) return;
                var status = await StatusAsync(ct);
                audits.Stage(audit with
                {
                    Outcome = failures.Count == 0 ? AuditOutcome.Success : AuditOutcome.Failed($"{failures.Values.Sum()} row(s) could not be re-sealed"),
                    Details = new Dictionary<string, string>
                    {
                        ["activeKeyId"] = vault.ActiveKeyId, ["resealed"] = (resealed + pageResealed).ToString(CultureInfo.InvariantCulture),
                        ["rowsToReseal"] = status.RowsToReseal.ToString(CultureInfo.InvariantCulture),
                        ["failedKeys"] = string.Join(",", failures.Keys.Select(k => k.KeyId).Distinct().Order(StringComparer.Ordinal)),
                    },
                });
                await db.SaveChangesAsync(ct);
            });
            var (last, count, full) = await ResealPageAsync(after, pageSize, failures, final, ct);
            if (last is null) break;
            (after, resealed, more) = (last.Value, resealed + count, full);
            pages++;
            logger.LogInformation("PHI vault rotation: page {Page} re-sealed {Count} rows under key {KeyId}", pages, count, vault.ActiveKeyId);
        }
        var status = await StatusAsync(ct);
        var failed = failures.Select(f => new ResealFailure(f.Key.KeyId, f.Value, f.Key.Reason)).OrderBy(f => f.KeyId, StringComparer.Ordinal).ToList();
        return new RotationRun(pages, resealed, status.RowsToReseal == 0, failed, status);
    }

    // Keyset paging by id (not OFFSET, not "the first N left"): rows that cannot be re-sealed are passed over, not read
    // again and again. SKIP LOCKED lets a second run, started by mistake, take other rows instead of waiting.
    private async Task<(Guid? Last, int Resealed, bool Full)> ResealPageAsync(Guid after, int pageSize, Dictionary<(string, string), long> failures,
        Func<int, bool, Task>? beforeCommit, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var active = vault.ActiveKeyId;
        var rows = await db.PhiRecords.FromSql($"""
            SELECT * FROM registration.phi_vault WHERE key_id <> {active} AND id > {after} ORDER BY id LIMIT {pageSize} FOR UPDATE SKIP LOCKED
            """).AsNoTracking().ToListAsync(ct);
        var resealed = 0;
        foreach (var row in rows)
        {
            if (Reseal(row, failures) is not { } sealedRow) continue;
            // Still under the key it was read with: nothing else re-sealed it in between (the row lock says so too).
            resealed += await db.PhiRecords.Where(r => r.Id == row.Id && r.KeyId == row.KeyId).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.KeyId, sealedRow.KeyId).SetProperty(r => r.Nonce, sealedRow.Nonce)
                .SetProperty(r => r.Tag, sealedRow.Tag).SetProperty(r => r.Ciphertext, sealedRow.Ciphertext), ct);
        }
        if (beforeCommit is not null) await beforeCommit(resealed, rows.Count == pageSize);
        await tx.CommitAsync(ct);
        return (rows.Count == 0 ? null : rows[^1].Id, resealed, rows.Count == pageSize);
    }

    private PhiRecord? Reseal(PhiRecord row, Dictionary<(string, string), long> failures)
    {
        if (!vault.HasKey(row.KeyId))
        {
            Fail(failures, row.KeyId, $"key '{row.KeyId}' is not configured (Registration:PhiVault:Keys:{row.KeyId}); configure it to re-seal these rows");
            return null;
        }
        try
        {
            return vault.Reseal(row);
        }
        catch (CryptographicException)
        {
            // A row that does not open with its own key is damaged or was sealed with another key under the same id;
            // it is left exactly as it is for someone to look at, and counted.
            Fail(failures, row.KeyId, $"rows do not decrypt with the configured key '{row.KeyId}'");
            logger.LogWarning("PHI vault rotation: row {RowId} does not decrypt with key {KeyId}; left as it is", row.Id, row.KeyId);
            return null;
        }
    }

    private static void Fail(Dictionary<(string, string), long> failures, string keyId, string reason)
        => failures[(keyId, reason)] = failures.GetValueOrDefault((keyId, reason)) + 1;
}
