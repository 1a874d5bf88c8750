using System.Text.Json;
using MedImaging.Contracts.Audit;
using MedImaging.TestSupport;
using Npgsql;

namespace MedImaging.Gateway.Tests;

/// <summary>The audit events the gateway staged, read from its outbox table as the relay would publish them.</summary>
internal static class AuditRows
{
    public static async Task<IReadOnlyList<JsonElement>> ReadAsync(NodeTestEnvironment node)
    {
        await using var conn = new NpgsqlConnection(node.PostgresConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT body FROM gateway.outbox_messages WHERE message_type = @type ORDER BY sequence", conn);
        cmd.Parameters.AddWithValue("type", typeof(AuditEventRecorded).FullName!);
        var rows = new List<JsonElement>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add(JsonDocument.Parse(reader.GetString(0)).RootElement.Clone());
        return rows;
    }

    /// <summary>The events of one action whose actor subject, resource identifier or details name <paramref name="who"/>.</summary>
    public static async Task<IReadOnlyList<JsonElement>> OfAsync(NodeTestEnvironment node, string action, string who) =>
        [.. (await ReadAsync(node)).Where(e => e.GetProperty("action").GetString() == action
            && (e.GetProperty("actor").GetProperty("subjectId").GetString() == who || e.Str("resource", "identifier") == who
                || e.GetProperty("details").EnumerateObject().Any(d => d.Value.GetString() == who)))];

    public static string? Str(this JsonElement e, params string[] path)
    {
        foreach (var p in path)
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(p, out e)) return null;
        }
        return e.ValueKind == JsonValueKind.Null ? null : e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText();
    }
}
