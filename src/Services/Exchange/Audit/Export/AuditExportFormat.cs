namespace MedImaging.Exchange.Audit.Export;

/// <summary>What an export says about itself: the node, when it was taken and the last sequence it covers.</summary>
public sealed record AuditExportInfo(string Node, DateTimeOffset ExportedAt, long Through);

/// <summary>
/// One export format of the trail (ADR 0023). Rows arrive one at a time from the database and leave as they come: an
/// export never holds more than one row and the writer's buffer, however long the trail.
/// </summary>
public abstract class AuditExportFormat
{
    public abstract string Name { get; }
    public abstract string ContentType { get; }
    public abstract string Extension { get; }

    public abstract Task WriteAsync(Stream output, IAsyncEnumerable<AuditRecord> rows, AuditExportInfo info, CancellationToken ct);

    public static readonly IReadOnlyList<AuditExportFormat> All = [new CsvAuditExport(), new JsonLinesAuditExport(), new AtnaAuditExport()];

    public static AuditExportFormat? Find(string? name) =>
        All.FirstOrDefault(f => string.Equals(f.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));

    // The response body is written asynchronously only (Kestrel refuses synchronous writes); 64 KiB batches the writes.
    protected static StreamWriter Writer(Stream output) => new(output, new System.Text.UTF8Encoding(false), 64 * 1024, leaveOpen: true);
}
