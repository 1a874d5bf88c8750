using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MedImaging.Exchange.Audit;

/// <summary>
/// The bytes a row's hash is taken over, defined so that anyone can recompute it from the row without this code
/// (ADR 0020, "Canonical form"). Every value is a <em>field</em>: a 4-byte big-endian length and that many bytes (text as
/// UTF-8), or the four bytes FF FF FF FF for an absent value. A list is a 4-byte big-endian count and its items as
/// fields; a map the same with its entries sorted by the keys' UTF-8 bytes, each entry a key field then a value field.
/// Times are UTC with exactly six fractional digits (PostgreSQL keeps microseconds), <c>2026-11-28T22:52:53.123456Z</c>.
/// </summary>
public static class ChainCanonicalForm
{
    /// <summary>The first field of every row's form: says which definition the hash follows.</summary>
    public const string RowFormat = "medcat-audit-row/1";

    public static readonly byte[] GenesisHash = new byte[32];

    public static byte[] Hash(AuditRecord row) => SHA256.HashData(Of(row));

    public static byte[] Of(AuditRecord row)
    {
        var w = new FieldWriter();
        w.Text(RowFormat);
        w.Text(row.Sequence.ToString(CultureInfo.InvariantCulture));
        w.Text(row.EventId.ToString("D"));
        w.Text(Time(row.RecordedAt));
        w.Text(Time(row.OccurredAt));
        w.Text(row.Node);
        w.Text(row.Service);
        w.Text(row.ActorId);
        w.Text(row.ActorName);
        w.List(row.ActorRoles);
        w.Text(row.ClientId);
        w.Text(row.ActorNode);
        w.Text(row.ActorInstitution);
        w.Text(row.ActorClearance);
        w.Text(row.Action);
        w.Text(row.ResourceKind);
        w.Text(row.ResourceId);
        w.Text(row.ResourceIdentifier);
        w.Text(row.ResourceClassification);
        w.Text(row.ResourceInstitution);
        w.Text(row.Outcome);
        w.Text(row.OutcomeReason);
        w.Text(row.SourceAddress);
        w.Text(row.UserAgent);
        w.Text(row.CorrelationId);
        w.Map(DetailsOf(row.Details));
        w.Bytes(row.PreviousHash);
        return w.ToArray();
    }

    /// <summary>Times as the form writes them; also what the appender stores, so that the database holds exactly what was hashed.</summary>
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A time cut to whole microseconds (PostgreSQL's precision), so that it reads back as it was hashed.</summary>
    public static DateTimeOffset ToMicroseconds(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % 10, TimeSpan.Zero);

    /// <summary>
    /// The details as stored (a JSON object) read back as key → value. A string is its text, null is absent, anything else
    /// (only a changed row has one) is its JSON text, so that a change still changes the hash rather than failing to read.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string?>> DetailsOf(string json)
    {
        using var doc = JsonDocument.Parse(string.IsNullOrEmpty(json) ? "{}" : json);
        if (doc.RootElement.ValueKind != JsonValueKind.Object) return [new("", doc.RootElement.GetRawText())];
        return [.. doc.RootElement.EnumerateObject().Select(p => new KeyValuePair<string, string?>(p.Name, p.Value.ValueKind switch
        {
            JsonValueKind.String => p.Value.GetString(),
            JsonValueKind.Null => null,
            _ => p.Value.GetRawText(),
        }))];
    }

    /// <summary>Writes fields as the form defines them; also used for anchors.</summary>
    internal sealed class FieldWriter
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(512);
        private readonly byte[] _length = new byte[4];

        public void Text(string? value)
        {
            if (value is null) Absent();
            else Bytes(Encoding.UTF8.GetBytes(value));
        }

        public void Bytes(byte[] value)
        {
            Count(value.Length);
            _buffer.Write(value);
        }

        public void List(IReadOnlyCollection<string>? items)
        {
            items ??= [];
            Count(items.Count);
            foreach (var item in items) Text(item);
        }

        public void Map(IEnumerable<KeyValuePair<string, string?>> entries)
        {
            var sorted = entries.Select(e => (Key: Encoding.UTF8.GetBytes(e.Key), e.Value)).ToList();
            // By UTF-8 bytes, not .NET's UTF-16 ordinal order: the two differ above U+FFFF, and verifiers in other
            // languages sort bytes.
            sorted.Sort((a, b) => a.Key.AsSpan().SequenceCompareTo(b.Key));
            Count(sorted.Count);
            foreach (var (key, value) in sorted)
            {
                Bytes(key);
                Text(value);
            }
        }

        public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

        private void Absent()
        {
            BinaryPrimitives.WriteUInt32BigEndian(_length, uint.MaxValue);
            _buffer.Write(_length);
        }

        private void Count(int n)
        {
            BinaryPrimitives.WriteUInt32BigEndian(_length, (uint)n);
            _buffer.Write(_length);
        }
    }
}
