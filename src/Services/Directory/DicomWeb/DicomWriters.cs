using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Xml;

namespace MedImaging.Directory.DicomWeb;

/// <summary>
/// The two QIDO-RS response encodings: DICOM JSON (PS3.18 F.2, <c>application/dicom+json</c>) and the Native DICOM Model
/// (PS3.19 A.1) as <c>multipart/related; type="application/dicom+xml"</c>, one part per result. Both UTF-8, Chinese
/// written as characters, not escapes.
/// </summary>
public static class DicomWriters
{
    public const string JsonType = "application/dicom+json";
    public const string XmlType = "application/dicom+xml";
    private const string NativeNamespace = "http://dicom.nema.org/PS3.19/models/NativeDICOM";

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Json(IEnumerable<SortedDictionary<uint, DicomValue>> datasets)
    {
        ArgumentNullException.ThrowIfNull(datasets);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, JsonOptions))
        {
            w.WriteStartArray();
            foreach (var ds in datasets)
            {
                w.WriteStartObject();
                foreach (var (tag, value) in ds)
                {
                    w.WriteStartObject(tag.ToString("X8", CultureInfo.InvariantCulture));
                    w.WriteString("vr", value.Vr);
                    if (value.Values.Count > 0)
                    {
                        w.WriteStartArray("Value");
                        foreach (var v in value.Values)
                        {
                            if (value.Vr == "PN") { w.WriteStartObject(); w.WriteString("Alphabetic", (string)v); w.WriteEndObject(); }
                            else if (v is int n) w.WriteNumberValue(n);
                            else w.WriteStringValue((string)v);
                        }
                        w.WriteEndArray();
                    }
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        return buffer.ToArray();
    }

    /// <summary>The multipart body and its boundary.</summary>
    public static (byte[] Body, string Boundary) MultipartXml(IEnumerable<SortedDictionary<uint, DicomValue>> datasets)
    {
        ArgumentNullException.ThrowIfNull(datasets);
        var boundary = "medcat-" + Guid.NewGuid().ToString("N");
        using var body = new MemoryStream();
        void Ascii(string s) => body.Write(Encoding.ASCII.GetBytes(s));
        foreach (var ds in datasets)
        {
            Ascii($"--{boundary}\r\nContent-Type: {XmlType}\r\n\r\n");
            body.Write(Xml(ds));
            Ascii("\r\n");
        }
        Ascii($"--{boundary}--\r\n");
        return (body.ToArray(), boundary);
    }

    public static byte[] Xml(SortedDictionary<uint, DicomValue> ds)
    {
        ArgumentNullException.ThrowIfNull(ds);
        using var buffer = new MemoryStream();
        using (var w = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
        {
            w.WriteStartElement("NativeDicomModel", NativeNamespace);
            foreach (var (tag, value) in ds)
            {
                w.WriteStartElement("DicomAttribute", NativeNamespace);
                w.WriteAttributeString("tag", tag.ToString("X8", CultureInfo.InvariantCulture));
                w.WriteAttributeString("vr", value.Vr);
                if (Keyword(tag) is { } keyword) w.WriteAttributeString("keyword", keyword);
                for (var i = 0; i < value.Values.Count; i++)
                {
                    var number = (i + 1).ToString(CultureInfo.InvariantCulture);
                    if (value.Vr == "PN")
                    {
                        w.WriteStartElement("PersonName", NativeNamespace);
                        w.WriteAttributeString("number", number);
                        w.WriteStartElement("Alphabetic", NativeNamespace);
                        w.WriteElementString("FamilyName", NativeNamespace, (string)value.Values[i]);
                        w.WriteEndElement();
                        w.WriteEndElement();
                    }
                    else
                    {
                        w.WriteStartElement("Value", NativeNamespace);
                        w.WriteAttributeString("number", number);
                        w.WriteString(Convert.ToString(value.Values[i], CultureInfo.InvariantCulture));
                        w.WriteEndElement();
                    }
                }
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }
        return buffer.ToArray();
    }

    private static string? Keyword(uint tag) => tag == QidoAttributes.SpecificCharacterSet ? "SpecificCharacterSet"
        : QidoAttributes.Study.Concat(QidoAttributes.Series).FirstOrDefault(a => a.Tag == tag)?.Keyword;
}
