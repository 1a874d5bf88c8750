using System.Text;
using System.Xml;

namespace MedImaging.Dicom;

/// <summary>Writes the Native DICOM Model (PS3.19 Annex A) as XML.</summary>
public static class DicomXmlWriter
{
    private const string Ns = "http://dicom.nema.org/PS3.19/models/NativeDICOM";

    /// <summary>Serializes a dataset to an XML string.</summary>
    public static string Serialize(DicomDataset dataset)
    {
        var sb = new StringBuilder();
        using (var w = XmlWriter.Create(sb, new XmlWriterSettings { Indent = true, Encoding = Encoding.UTF8 })) Write(w, dataset);
        return sb.ToString();
    }

    /// <summary>Writes a dataset as a NativeDicomModel document.</summary>
    public static void Write(XmlWriter writer, DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(dataset);
        writer.WriteStartDocument();
        writer.WriteStartElement("NativeDicomModel", Ns);
        WriteAttributes(writer, dataset, 0);
        writer.WriteEndElement();
        writer.WriteEndDocument();
    }

    private static void WriteAttributes(XmlWriter w, DicomDataset ds, int depth)
    {
        foreach (var e in ds)
        {
            if (e.Tag.IsGroupLength) continue;
            w.WriteStartElement("DicomAttribute", Ns);
            w.WriteAttributeString("tag", e.Tag.ToHex());
            w.WriteAttributeString("vr", e is DicomFragmentSequence ? "OB" : e.VR.ToString());
            var keyword = e.Tag.IsPrivate ? "" : e.Tag.Keyword;
            if (keyword.Length > 0) w.WriteAttributeString("keyword", keyword);
            if (ds.GetPrivateCreator(e.Tag) is { } creator) w.WriteAttributeString("privateCreator", creator);
            WriteValue(w, e, depth);
            w.WriteEndElement();
        }
    }

    private static void WriteValue(XmlWriter w, DicomElement e, int depth)
    {
        if (e is DicomSequence sq)
        {
            NestingGuard.Check(depth + 1);
            for (var i = 0; i < sq.Items.Count; i++)
            {
                w.WriteStartElement("Item", Ns);
                w.WriteAttributeString("number", (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
                WriteAttributes(w, sq.Items[i], depth + 1);
                w.WriteEndElement();
            }
            return;
        }
        if (e.BulkDataUri is { } uri)
        {
            w.WriteStartElement("BulkData", Ns);
            w.WriteAttributeString("uri", uri);
            w.WriteEndElement();
            return;
        }
        if (e is DicomFragmentSequence || e.VR.Kind is DicomVR.VRKind.Bytes or DicomVR.VRKind.Words)
        {
            if (e.Length == 0 && e is not DicomFragmentSequence) return;
            w.WriteStartElement("InlineBinary", Ns);
            var bytes = DicomJsonWriter.EncapsulatedOrRaw(e);
            w.WriteBase64(bytes, 0, bytes.Length);
            w.WriteEndElement();
            return;
        }
        var values = e.GetStrings();
        for (var i = 0; i < values.Length; i++)
        {
            var number = (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (e.VR == DicomVR.PN) WritePersonName(w, new DicomPersonName(values[i]), number);
            else
            {
                w.WriteStartElement("Value", Ns);
                w.WriteAttributeString("number", number);
                w.WriteString(XmlSafe(values[i]));
                w.WriteEndElement();
            }
        }
    }

    private static readonly string[] s_groups = ["Alphabetic", "Ideographic", "Phonetic"];
    private static readonly string[] s_components = ["FamilyName", "GivenName", "MiddleName", "NamePrefix", "NameSuffix"];

    private static void WritePersonName(XmlWriter w, DicomPersonName pn, string number)
    {
        w.WriteStartElement("PersonName", Ns);
        w.WriteAttributeString("number", number);
        for (var g = 0; g < 3; g++)
        {
            if (pn.Group(g).Length == 0) continue;
            w.WriteStartElement(s_groups[g], Ns);
            for (var c = 0; c < 5; c++)
                if (pn.GetComponent(g, c) is { Length: > 0 } part) w.WriteElementString(s_components[c], Ns, XmlSafe(part));
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    // XML 1.0 cannot carry most control characters (an ESC left by a broken encoder, say): drop them.
    private static string XmlSafe(string s)
    {
        foreach (var c in s) if (c < 0x20 && c is not ('\t' or '\n' or '\r')) return new string(s.Where(ch => ch >= 0x20 || ch is '\t' or '\n' or '\r').ToArray());
        return s;
    }
}
