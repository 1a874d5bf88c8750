using System.Globalization;
using System.Text;
using System.Xml;
using MedImaging.Dicom;
using Microsoft.Net.Http.Headers;

namespace MedImaging.Registration.Ingest;

/// <summary>
/// The PS3.18 §10.5.3 store response: Referenced SOP Sequence for what is stored, Failed SOP Sequence with a Failure
/// Reason for what is not; 200 all stored, 202 some failed, 409 none stored. DICOM JSON unless the caller accepts only XML.
/// </summary>
public static class StoreResponse
{
    public const string DicomJson = "application/dicom+json";
    public const string DicomXml = "application/dicom+xml";

    public static DicomDataset Build(IReadOnlyList<InstanceResult> results, string? studyRetrieveUrl)
    {
        var ds = new DicomDataset();
        ds.Add(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");
        if (studyRetrieveUrl is not null) ds.Add(DicomTags.RetrieveURL, DicomVR.UR, studyRetrieveUrl);
        var failed = results.Where(r => !r.Succeeded).Select(r =>
        {
            var item = Reference(r);
            item.Add(DicomTags.FailureReason, DicomVR.US, r.FailureReason!.Value.ToString(CultureInfo.InvariantCulture));
            return item;
        }).ToArray();
        var stored = results.Where(r => r.Succeeded).Select(r =>
        {
            var item = Reference(r);
            if (r.RetrieveUrl is not null) item.Add(DicomTags.RetrieveURL, DicomVR.UR, r.RetrieveUrl);
            return item;
        }).ToArray();
        if (failed.Length > 0) ds.Add(DicomTags.FailedSOPSequence, failed);
        if (stored.Length > 0) ds.Add(DicomTags.ReferencedSOPSequence, stored);
        return ds;
    }

    public static int StatusCode(IReadOnlyList<InstanceResult> results)
        => results.All(r => r.Succeeded) ? StatusCodes.Status200OK
            : results.Any(r => r.Succeeded) ? StatusCodes.Status202Accepted
            : StatusCodes.Status409Conflict;

    /// <summary>XML only when the Accept header prefers it to DICOM JSON (or names XML alone).</summary>
    public static bool WantsXml(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        if (accept is null || accept.Count == 0) return false;
        double Quality(string type) => accept.Where(a => a.MediaType.Equals(type, StringComparison.OrdinalIgnoreCase))
            .Select(a => a.Quality ?? 1).DefaultIfEmpty(-1).Max();
        var xml = Quality(DicomXml);
        var json = Math.Max(Math.Max(Quality(DicomJson), Quality("application/json")), Quality("*/*"));
        return xml > 0 && xml > json;
    }

    public static async Task WriteAsync(HttpContext http, IReadOnlyList<InstanceResult> results, string? studyRetrieveUrl)
    {
        var dataset = Build(results, studyRetrieveUrl);
        http.Response.StatusCode = StatusCode(results);
        using var buffer = new MemoryStream();
        if (WantsXml(http.Request))
        {
            http.Response.ContentType = DicomXml;
            using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false }))
                DicomXmlWriter.Write(xml, dataset);
        }
        else
        {
            http.Response.ContentType = DicomJson;
            DicomJsonWriter.Write(buffer, dataset);
        }
        http.Response.Headers[HeaderNames.CacheControl] = "no-store";
        await http.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), http.RequestAborted);
    }

    private static DicomDataset Reference(InstanceResult r)
    {
        var item = new DicomDataset();
        item.Add(DicomTags.ReferencedSOPClassUID, DicomVR.UI, r.SopClassUid ?? "");
        item.Add(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, r.SopInstanceUid ?? "");
        return item;
    }
}
