using System.Globalization;
using System.Text;

namespace MedImaging.Exchange.Audit.Export;

/// <summary>
/// CSV as RFC 4180 has it (comma, CRLF, fields with a comma, quote or line break quoted, quotes doubled), a header row,
/// one row per event; UTF-8 with a byte order mark, without which Excel on a Chinese Windows reads the file as GBK and
/// garbles every Chinese name.
/// </summary>
public sealed class CsvAuditExport : AuditExportFormat
{
    public static readonly string[] Columns =
    [
        "sequence", "event_id", "occurred_at", "recorded_at", "node", "service",
        "actor_id", "actor_name", "actor_roles", "client_id", "actor_node", "actor_institution", "actor_clearance",
        "action", "resource_kind", "resource_id", "resource_identifier", "resource_classification", "resource_institution",
        "outcome", "outcome_reason", "source_address", "user_agent", "correlation_id", "details", "previous_hash", "hash",
    ];

    public override string Name => "csv";
    public override string ContentType => "text/csv; charset=utf-8";
    public override string Extension => "csv";

    public override async Task WriteAsync(Stream output, IAsyncEnumerable<AuditRecord> rows, AuditExportInfo info, CancellationToken ct)
    {
        await output.WriteAsync(Encoding.UTF8.Preamble.ToArray(), ct);
        await using var w = Writer(output);
        await w.WriteAsync(string.Join(',', Columns).AsMemory(), ct);
        await w.WriteAsync("\r\n".AsMemory(), ct);
        var line = new StringBuilder(1024);
        await foreach (var r in rows.WithCancellation(ct))
        {
            line.Clear();
            AppendRow(line, r);
            await w.WriteAsync(line, ct);
        }
        await w.FlushAsync(ct);
    }

    private static void AppendRow(StringBuilder line, AuditRecord r)
    {
        string?[] fields =
        [
            r.Sequence.ToString(CultureInfo.InvariantCulture), r.EventId.ToString(), Time(r.OccurredAt), Time(r.RecordedAt), r.Node, r.Service,
            r.ActorId, r.ActorName, string.Join(' ', r.ActorRoles), r.ClientId, r.ActorNode, r.ActorInstitution, r.ActorClearance,
            r.Action, r.ResourceKind, r.ResourceId, r.ResourceIdentifier, r.ResourceClassification, r.ResourceInstitution,
            r.Outcome, r.OutcomeReason, r.SourceAddress, r.UserAgent, r.CorrelationId, r.Details,
            Convert.ToHexStringLower(r.PreviousHash), Convert.ToHexStringLower(r.Hash),
        ];
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0) line.Append(',');
            AppendField(line, fields[i]);
        }
        line.Append("\r\n");
    }

    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>One field: quoted when RFC 4180 needs it; a value a spreadsheet would run as a formula gets a leading apostrophe.</summary>
    public static void AppendField(StringBuilder line, string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        // User agents, names and reasons come from callers: "=HYPERLINK(…)" must not become a live formula in the
        // regulator's Excel (OWASP CSV injection). The JSON lines export keeps every value exactly.
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            line.Append(value);
            return;
        }
        line.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
