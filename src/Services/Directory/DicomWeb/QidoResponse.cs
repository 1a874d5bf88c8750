using Microsoft.Net.Http.Headers;

namespace MedImaging.Directory.DicomWeb;

/// <summary>Content negotiation and the status codes of a QIDO-RS response (PS3.18 8.7 and 10.6.3).</summary>
public static class QidoResponse
{
    public enum Format
    {
        Json,
        MultipartXml,
    }

    /// <summary>
    /// DICOM JSON for no Accept, <c>*/*</c>, <c>application/*</c>, <c>application/dicom+json</c> or <c>application/json</c>;
    /// XML for <c>multipart/related; type="application/dicom+xml"</c>; null (406) for anything else.
    /// </summary>
    public static Format? Negotiate(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var accept = http.Request.GetTypedHeaders().Accept;
        if (accept.Count == 0) return Format.Json;
        foreach (var media in accept.OrderByDescending(m => m.Quality ?? 1))
        {
            if (media.Quality == 0) continue;
            var type = media.MediaType.Value ?? "";
            if (type is "*/*" or "application/*" or DicomWriters.JsonType or "application/json") return Format.Json;
            if (string.Equals(type, "multipart/related", StringComparison.OrdinalIgnoreCase))
            {
                var partType = media.Parameters.FirstOrDefault(p => string.Equals(p.Name.Value, "type", StringComparison.OrdinalIgnoreCase))?.Value.Value?.Trim('"');
                if (partType is null or DicomWriters.XmlType) return Format.MultipartXml;
            }
        }
        return null;
    }

    public static IResult Results(HttpContext http, Format format, IReadOnlyList<SortedDictionary<uint, DicomValue>> datasets, bool more)
    {
        ArgumentNullException.ThrowIfNull(http);
        // PS3.18 10.6.3.2: a response cut short by limit says there is more to request.
        if (more) http.Response.Headers.Append(HeaderNames.Warning, "299 medcat-directory: \"There are additional results that can be requested\"");
        if (format == Format.Json) return Microsoft.AspNetCore.Http.Results.Bytes(DicomWriters.Json(datasets), DicomWriters.JsonType);
        // No matches: 200 with a zero-length payload (CP-2473); a multipart body needs at least one part.
        if (datasets.Count == 0) return Microsoft.AspNetCore.Http.Results.Bytes([], $"multipart/related; type=\"{DicomWriters.XmlType}\"");
        var (body, boundary) = DicomWriters.MultipartXml(datasets);
        return Microsoft.AspNetCore.Http.Results.Bytes(body, $"multipart/related; type=\"{DicomWriters.XmlType}\"; boundary={boundary}");
    }

    /// <summary>400 with the reason in a Warning header (PS3.18 8.6.3) and in a problem body naming the key.</summary>
    public static IResult BadRequest(HttpContext http, string reason)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Headers.Append(HeaderNames.Warning, $"299 medcat-directory: \"{Ascii(reason)}\"");
        return Microsoft.AspNetCore.Http.Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid QIDO-RS query", detail: reason);
    }

    // A header value is ASCII: a Chinese value the reason quotes is written as \uXXXX there (the body has it as is).
    private static string Ascii(string s) => string.Concat(s.Select(c => c is >= ' ' and <= '~' and not '"' and not '\\' ? c.ToString()
        : c == '"' ? "'" : $"\\u{(int)c:X4}"));

    public static IResult NotAcceptable(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return Microsoft.AspNetCore.Http.Results.Problem(statusCode: StatusCodes.Status406NotAcceptable, title: "Not acceptable",
            detail: $"QIDO-RS answers {DicomWriters.JsonType} or multipart/related; type=\"{DicomWriters.XmlType}\"; Accept was '{http.Request.Headers.Accept}'.");
    }
}
