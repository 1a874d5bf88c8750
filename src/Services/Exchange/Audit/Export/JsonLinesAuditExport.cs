using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using MedImaging.Exchange.Audit.Query;

namespace MedImaging.Exchange.Audit.Export;

/// <summary>JSON lines: one <see cref="AuditRecordView"/> per line (sequence, hashes in hex, details as an object), UTF-8, LF.</summary>
public sealed class JsonLinesAuditExport : AuditExportFormat
{
    // Chinese names stay readable; characters that matter in HTML are still escaped, as the default encoder does.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    public override string Name => "jsonl";
    public override string ContentType => "application/jsonl; charset=utf-8";
    public override string Extension => "jsonl";

    public override async Task WriteAsync(Stream output, IAsyncEnumerable<AuditRecord> rows, AuditExportInfo info, CancellationToken ct)
    {
        await using var w = Writer(output);
        await foreach (var row in rows.WithCancellation(ct))
        {
            await w.WriteAsync(JsonSerializer.Serialize(AuditRecordView.From(row), Json).AsMemory(), ct);
            await w.WriteAsync("\n".AsMemory(), ct);
        }
        await w.FlushAsync(ct);
    }
}
