using System.Text;
using System.Text.Json;
using System.Xml;

namespace MedImaging.Exchange.Audit.Export;

/// <summary>
/// DICOM PS3.15 Annex A.5 audit messages (the IHE ATNA format): one <c>AuditMessage</c> per event, each valid against the
/// A.5.1 schema (Schema/dicom-audit-message.rnc), inside one <c>AuditMessages</c> element so that the file is a single
/// XML document. A comment before each message names its place in the chain (sequence, event id, hash), which the
/// schema has no field for.
/// </summary>
public sealed class AtnaAuditExport : AuditExportFormat
{
    private static readonly XmlWriterSettings Fragment = new()
    {
        ConformanceLevel = ConformanceLevel.Fragment,
        OmitXmlDeclaration = true,
        Indent = true,
        NewLineChars = "\n",
    };

    public override string Name => "atna";
    public override string ContentType => "application/xml; charset=utf-8";
    public override string Extension => "xml";

    public override async Task WriteAsync(Stream output, IAsyncEnumerable<AuditRecord> rows, AuditExportInfo info, CancellationToken ct)
    {
        await using var w = Writer(output);
        await w.WriteAsync(
            $"""<?xml version="1.0" encoding="UTF-8"?>{"\n"}<AuditMessages node="{Escape(info.Node)}" exportedAt="{CsvAuditExport.Time(info.ExportedAt)}" through="{info.Through}">{"\n"}""".AsMemory(), ct);
        var message = new StringBuilder(4096);
        await foreach (var r in rows.WithCancellation(ct))
        {
            message.Clear();
            Write(message, r);
            message.Append('\n');
            await w.WriteAsync(message, ct);
        }
        await w.WriteAsync("</AuditMessages>\n".AsMemory(), ct);
        await w.FlushAsync(ct);
    }

    /// <summary>One event's AuditMessage (with the comment before it) as XML text.</summary>
    public static void Write(StringBuilder into, AuditRecord r)
    {
        using var x = XmlWriter.Create(into, Fragment);
        x.WriteComment($" sequence {r.Sequence} event {r.EventId} hash {Convert.ToHexStringLower(r.Hash)} ");
        var evt = AtnaCodes.For(r.Action);
        x.WriteStartElement("AuditMessage");

        x.WriteStartElement("EventIdentification");
        x.WriteAttributeString("EventActionCode", evt.ActionCode);
        x.WriteAttributeString("EventDateTime", CsvAuditExport.Time(r.OccurredAt));
        x.WriteAttributeString("EventOutcomeIndicator", AtnaCodes.Outcome(r.Outcome));
        Code(x, "EventID", evt.EventId);
        if (evt.EventType is { } type) Code(x, "EventTypeCode", type);
        Code(x, "EventTypeCode", new AtnaCode(r.Action, AtnaCodes.ActionSystem, r.Action));
        if (r.OutcomeReason is { Length: > 0 } reason) x.WriteElementString("EventOutcomeDescription", Clean(reason));
        x.WriteEndElement();

        // The actor, who asked for it.
        x.WriteStartElement("ActiveParticipant");
        x.WriteAttributeString("UserID", Clean(r.ActorId));
        if (r.ClientId is { Length: > 0 } client) x.WriteAttributeString("AlternativeUserID", Clean(client));
        if (r.ActorName is { Length: > 0 } name) x.WriteAttributeString("UserName", Clean(name));
        x.WriteAttributeString("UserIsRequestor", "true");
        if (r.SourceAddress is { Length: > 0 } address)
        {
            x.WriteAttributeString("NetworkAccessPointID", Clean(address));
            x.WriteAttributeString("NetworkAccessPointTypeCode", "2"); // IP address: the service records the caller's address
        }
        foreach (var role in r.ActorRoles) Code(x, "RoleIDCode", new AtnaCode(role, AtnaCodes.RoleSystem, role));
        x.WriteEndElement();

        // The service that saw it.
        x.WriteStartElement("ActiveParticipant");
        x.WriteAttributeString("UserID", Clean($"{r.Service}@{r.Node}"));
        x.WriteAttributeString("UserIsRequestor", "false");
        Code(x, "RoleIDCode", AtnaCodes.ApplicationRole);
        x.WriteEndElement();

        x.WriteStartElement("AuditSourceIdentification");
        x.WriteAttributeString("AuditEnterpriseSiteID", Clean(r.Node));
        x.WriteAttributeString("AuditSourceID", Clean($"{r.Node}/{r.Service}"));
        x.WriteStartElement("AuditSourceTypeCode");
        // The gateway is the node's token server (security server, 6); the services are application servers (4).
        x.WriteAttributeString("csd-code", r.Service == "gateway" ? "6" : "4");
        x.WriteEndElement();
        x.WriteEndElement();

        if (r.ResourceKind is { Length: > 0 } kind) Resource(x, r, kind);
        if (r.ActorInstitution is { Length: > 0 } institution) Institution(x, institution);

        x.WriteEndElement();
    }

    private static void Resource(XmlWriter x, AuditRecord r, string kind)
    {
        x.WriteStartElement("ParticipantObjectIdentification");
        x.WriteAttributeString("ParticipantObjectID", Clean(r.ResourceId ?? r.ResourceIdentifier ?? kind));
        x.WriteAttributeString("ParticipantObjectTypeCode", kind is "user" ? "1" : "2"); // person, or system object
        if (AtnaCodes.ObjectRole(kind) is { } role) x.WriteAttributeString("ParticipantObjectTypeCodeRole", role);
        if (AtnaCodes.LifeCycle(r.Action) is { } stage) x.WriteAttributeString("ParticipantObjectDataLifeCycle", stage);
        if (r.ResourceClassification is { Length: > 0 } level) x.WriteAttributeString("ParticipantObjectSensitivity", Clean(level));
        Code(x, "ParticipantObjectIDTypeCode", new AtnaCode(kind, AtnaCodes.ResourceKindSystem, kind));
        var details = Details(r.Details);
        // A query of the trail is described by its filter, as PS3.15 describes a query (base64 of the query itself).
        if (r.Action is Contracts.Audit.AuditActions.AuditQuery or Contracts.Audit.AuditActions.AuditExport)
            x.WriteElementString("ParticipantObjectQuery", Convert.ToBase64String(Encoding.UTF8.GetBytes(r.Details)));
        else
            x.WriteElementString("ParticipantObjectName", Clean(r.ResourceIdentifier ?? r.ResourceId ?? kind));
        if (r.ResourceInstitution is { Length: > 0 } institution) Detail(x, "institution", institution);
        foreach (var (key, value) in details) Detail(x, key, value);
        x.WriteEndElement();
    }

    // The actor's institution, as the organisation on whose behalf it acted (TypeCode 3 organisation, role 15 provider).
    private static void Institution(XmlWriter x, string institution)
    {
        x.WriteStartElement("ParticipantObjectIdentification");
        x.WriteAttributeString("ParticipantObjectID", Clean(institution));
        x.WriteAttributeString("ParticipantObjectTypeCode", "3");
        x.WriteAttributeString("ParticipantObjectTypeCodeRole", "15");
        Code(x, "ParticipantObjectIDTypeCode", new AtnaCode("institution", AtnaCodes.ResourceKindSystem, "institution"));
        x.WriteElementString("ParticipantObjectName", Clean(institution));
        x.WriteEndElement();
    }

    private static void Code(XmlWriter x, string element, AtnaCode code)
    {
        x.WriteStartElement(element);
        x.WriteAttributeString("csd-code", Clean(code.Code));
        x.WriteAttributeString("codeSystemName", code.System);
        x.WriteAttributeString("originalText", Clean(code.Meaning));
        x.WriteEndElement();
    }

    // PS3.15 carries detail values as base64, so that any text (XML fragments, control characters) survives unchanged.
    private static void Detail(XmlWriter x, string type, string value)
    {
        x.WriteStartElement("ParticipantObjectDetail");
        x.WriteAttributeString("type", Clean(type));
        x.WriteAttributeString("value", Convert.ToBase64String(Encoding.UTF8.GetBytes(value)));
        x.WriteEndElement();
    }

    private static IEnumerable<KeyValuePair<string, string>> Details(string json)
    {
        using var doc = JsonDocument.Parse(string.IsNullOrEmpty(json) ? "{}" : json);
        if (doc.RootElement.ValueKind != JsonValueKind.Object) return [];
        return [.. doc.RootElement.EnumerateObject().Select(p =>
            KeyValuePair.Create(p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() ?? "" : p.Value.GetRawText()))];
    }

    /// <summary>Text as XML 1.0 can carry it: characters it forbids (controls, lone surrogates) become U+FFFD.</summary>
    public static string Clean(string value)
    {
        StringBuilder? sb = null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                sb?.Append(c).Append(value[i + 1]);
                i++;
                continue;
            }
            var ok = XmlConvert.IsXmlChar(c);
            if (!ok && sb is null) sb = new StringBuilder(value.Length).Append(value, 0, i);
            sb?.Append(ok ? c : '\uFFFD');
        }
        return sb?.ToString() ?? value;
    }

    private static string Escape(string value) => System.Security.SecurityElement.Escape(Clean(value));
}
