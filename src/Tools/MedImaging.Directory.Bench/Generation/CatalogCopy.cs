using System.Text.RegularExpressions;
using MedImaging.Directory.Domain;
using MedImaging.Directory.Infrastructure;
using MedImaging.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace MedImaging.Directory.Bench.Generation;

/// <summary>
/// Binary COPY of <see cref="CatalogEntry"/> rows into directory.catalog_entries, column by column as the Directory's EF
/// mapping defines them (column names, store types, value converters: the jsonb values and series are serialised by
/// the mapping's own converters), so a column added to the mapping is written without touching this class. Before the
/// first row it compares the mapping with the table in the database: a NOT NULL column without a default that the
/// mapping does not know (a search-index column filled elsewhere) stops the load, naming the column.
/// </summary>
public sealed partial class CatalogCopy
{
    private readonly Column[] _columns;
    private readonly string _copy;

    private CatalogCopy(Column[] columns, IReadOnlyList<string> notes)
    {
        _columns = columns;
        Notes = notes;
        _copy = $"COPY {DirectoryDbContext.Schema}.catalog_entries ({string.Join(", ", columns.Select(c => Quote(c.Name)))}) FROM STDIN (FORMAT BINARY)";
    }

    /// <summary>What the comparison found: columns left to the database (defaults, generated columns) and the triggers COPY fires per row.</summary>
    public IReadOnlyList<string> Notes { get; }

    private sealed record Column(string Name, string DataTypeName, Func<CatalogEntry, object?> Value, Func<NpgsqlBinaryImporter, object, CancellationToken, Task> Write);

    // A typed write per column (Write<string>, Write<List<string>> …): Npgsql then resolves the column's converter once,
    // not by the runtime type of every boxed value.
    private static Func<NpgsqlBinaryImporter, object, CancellationToken, Task> Writer(Type providerType, string dataTypeName) =>
        (Func<NpgsqlBinaryImporter, object, CancellationToken, Task>)typeof(CatalogCopy).GetMethod(nameof(TypedWriter), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(providerType).Invoke(null, [dataTypeName])!;

    private static Func<NpgsqlBinaryImporter, object, CancellationToken, Task> TypedWriter<T>(string dataTypeName) =>
        (importer, value, ct) => importer.WriteAsync((T)value, dataTypeName, ct);

    public static async Task<CatalogCopy> PrepareAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var (mapped, generated) = Mapped();
        var notes = await CompareAsync(connection, mapped, generated, ct);
        return new CatalogCopy([.. mapped], notes);
    }

    /// <summary>The columns without a database, for measuring what producing the rows' values costs (<c>generate --dry-run</c>).</summary>
    public static CatalogCopy WithoutDatabase() => new([.. Mapped().Columns], []);

    /// <summary>Every value of every column of the rows, as COPY would send them; the number of non-null values.</summary>
    public long Evaluate(IReadOnlyList<CatalogEntry> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        long values = 0;
        foreach (var row in rows)
            foreach (var column in _columns)
                if (column.Value(row) is not null) values++;
        return values;
    }

    private static (List<Column> Columns, List<string> Generated) Mapped()
    {
        using var db = new DirectoryDbContext(ServiceDbContextOptions.ForDesignTime<DirectoryDbContext>(DirectoryDbContext.Schema));
        var table = db.GetService<IDesignTimeModel>().Model.GetRelationalModel().FindTable("catalog_entries", DirectoryDbContext.Schema)
            ?? throw new InvalidOperationException("The Directory's EF model has no directory.catalog_entries table.");
        var mapped = new List<Column>();
        var generated = new List<string>();
        foreach (var column in table.Columns)
        {
            if (column.ComputedColumnSql is not null)
            {
                generated.Add(column.Name);
                continue;
            }
            var mapping = column.PropertyMappings[0];
            var getter = mapping.Property.GetGetter();
            var converter = mapping.TypeMapping.Converter;
            var dataTypeName = Facets().Replace(column.StoreType, "");
            var providerType = converter?.ProviderClrType ?? mapping.Property.ClrType;
            mapped.Add(new Column(column.Name, dataTypeName, converter is null
                ? e => getter.GetClrValue(e)
                : e => getter.GetClrValue(e) is { } v ? converter.ConvertToProvider(v) : null,
                Writer(Nullable.GetUnderlyingType(providerType) ?? providerType, dataTypeName)));
        }
        return (mapped, generated);
    }

    private static async Task<List<string>> CompareAsync(NpgsqlConnection connection, List<Column> mapped, List<string> generated, CancellationToken ct)
    {

        var inDatabase = new Dictionary<string, (bool Nullable, bool HasDefault, bool Generated)>(StringComparer.Ordinal);
        await using (var cmd = new NpgsqlCommand("""
            SELECT column_name, is_nullable = 'YES', column_default IS NOT NULL OR identity_generation IS NOT NULL, is_generated <> 'NEVER'
            FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'catalog_entries'
            """, connection) { Parameters = { new() { Value = DirectoryDbContext.Schema } } })
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) inDatabase[reader.GetString(0)] = (reader.GetBoolean(1), reader.GetBoolean(2), reader.GetBoolean(3));
        if (inDatabase.Count == 0)
            throw new InvalidOperationException("directory.catalog_entries does not exist in this database: start the node's Directory host once (or run it with --migrate) first.");
        if (mapped.FirstOrDefault(c => !inDatabase.ContainsKey(c.Name)) is { } missing)
            throw new InvalidOperationException($"directory.catalog_entries has no column {missing.Name}: the database is behind the Directory's model; migrate it first.");

        var notes = new List<string>();
        foreach (var (name, (nullable, hasDefault, isGenerated)) in inDatabase.Where(c => mapped.All(m => m.Name != c.Key)))
        {
            if (isGenerated || generated.Contains(name)) notes.Add($"column {name}: generated by PostgreSQL");
            else if (hasDefault) notes.Add($"column {name}: not in the EF mapping, left to its default");
            else if (nullable) notes.Add($"column {name}: not in the EF mapping, left NULL (unless a trigger fills it)");
            else
                throw new InvalidOperationException($"directory.catalog_entries.{name} is NOT NULL without a default and the EF mapping does not know it: "
                    + "fill it in CatalogRows.From (see the note there) and map it, so that generated rows carry it.");
        }
        await using (var cmd = new NpgsqlCommand("""
            SELECT tgname FROM pg_trigger WHERE tgrelid = 'directory.catalog_entries'::regclass AND NOT tgisinternal ORDER BY tgname
            """, connection))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) notes.Add($"trigger {reader.GetString(0)}: fires once per copied row (its cost is in the entries/s)");
        return notes;
    }

    /// <summary>Copies the rows in one COPY; the caller owns the transaction.</summary>
    public async Task<ulong> WriteAsync(NpgsqlConnection connection, IReadOnlyList<CatalogEntry> rows, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(rows);
        await using var importer = await connection.BeginBinaryImportAsync(_copy, ct);
        // Asynchronous writes, not the cheaper synchronous ones: Npgsql 10.0.3's tsvector converter (feat/dir-search's
        // search_vector column) calls FlushAsync on the synchronous path when the buffer fills, which throws
        // NotSupportedException ("Cannot call FlushAsync on a blocking PgWriter").
        foreach (var row in rows)
        {
            await importer.StartRowAsync(ct);
            foreach (var column in _columns)
            {
                if (column.Value(row) is { } value) await column.Write(importer, value, ct);
                else await importer.WriteNullAsync(ct);
            }
        }
        return await importer.CompleteAsync(ct);
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    // "character varying(64)" → "character varying": COPY names the type, the length is the column's business.
    [GeneratedRegex(@"\(\s*\d+(\s*,\s*\d+)?\s*\)")]
    private static partial Regex Facets();
}
