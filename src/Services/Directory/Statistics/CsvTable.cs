using System.Text;

namespace MedImaging.Directory.Statistics;

/// <summary>
/// A statistics table as CSV: RFC 4180 (comma, CRLF, quoted where needed, quotes doubled), a header row, UTF-8 with a
/// byte order mark — without it Excel on a Chinese Windows reads the file in the system code page (GBK) and garbles
/// every Chinese institution and title. A value a spreadsheet would run as a formula gets a leading apostrophe
/// (titles and comments come from people; ADR 0023 does the same for the audit export).
/// </summary>
public static class CsvTable
{
    public const string ContentType = "text/csv; charset=utf-8";

    public static byte[] Write(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string?>> rows)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder();
        AppendRow(text, header);
        foreach (var row in rows) AppendRow(text, row);
        return [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    private static void AppendRow(StringBuilder line, IReadOnlyList<string?> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0) line.Append(',');
            AppendField(line, fields[i]);
        }
        line.Append("\r\n");
    }

    private static void AppendField(StringBuilder line, string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            line.Append(value);
            return;
        }
        line.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }

    /// <summary>CSV when asked by <c>format=csv</c> or by an Accept header that names text/csv; JSON otherwise.</summary>
    public static bool Wanted(HttpRequest request, string? format)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (format is not null)
            return format.ToLowerInvariant() switch
            {
                "csv" => true,
                "json" => false,
                _ => throw new ServiceDefaults.Http.ValidationProblemException("format", $"format is csv or json; got '{format}'."),
            };
        return request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase));
    }
}
