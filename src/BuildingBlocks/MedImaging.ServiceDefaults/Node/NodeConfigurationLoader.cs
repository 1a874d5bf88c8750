using System.Text.Json;
using System.Text.RegularExpressions;

namespace MedImaging.ServiceDefaults.Node;

/// <summary>
/// Reads and validates a tier file. Every failure is one <see cref="NodeConfigurationException"/> whose message
/// names the file and the field, because an operator starting a node should not have to read a stack trace.
/// </summary>
public static partial class NodeConfigurationLoader
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static NodeDescriptor Load(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new NodeConfigurationException("Node:ConfigFile is not set: point it at the node's file in deploy/tiers/.");
        if (!File.Exists(path))
            throw new NodeConfigurationException($"{path}: node file not found (Node:ConfigFile).");

        NodeDescriptor? node;
        try
        {
            node = JsonSerializer.Deserialize<NodeDescriptor>(File.ReadAllText(path), Json);
        }
        catch (JsonException ex)
        {
            var field = ex.Path?.TrimStart('$', '.');
            var where = ex.LineNumber is { } line ? $"line {line + 1}" : "";
            if (!string.IsNullOrEmpty(field)) where += (where.Length > 0 ? ", " : "") + $"field {field}";
            throw new NodeConfigurationException($"{path}: {where}: {FirstSentence(ex.Message)}", ex);
        }

        if (node is null)
            throw new NodeConfigurationException($"{path}: the file is empty or null.");
        node = node with { SourceFile = path };
        Validate(node);
        return node;
    }

    private static void Validate(NodeDescriptor n)
    {
        void Fail(string field, string why) => throw new NodeConfigurationException($"{n.SourceFile}: field {field}: {why}");

        if (!NodeIdPattern().IsMatch(n.NodeId)) Fail("nodeId", $"'{n.NodeId}' must be lower-case letters, digits and '-'.");
        if (!AdminCodePattern().IsMatch(n.AdministrativeCode)) Fail("administrativeCode", $"'{n.AdministrativeCode}' is not a 6-digit GB/T 2260 code.");
        if (!OidPattern().IsMatch(n.OidRoot)) Fail("oidRoot", $"'{n.OidRoot}' is not an OID (digits separated by dots, no leading zeros).");
        if (string.IsNullOrWhiteSpace(n.Name.Zh)) Fail("name.zh", "a Chinese name is required.");
        if (!IdentifierPattern().IsMatch(n.Database)) Fail("database", $"'{n.Database}' must be a plain PostgreSQL identifier.");
        if (string.IsNullOrWhiteSpace(n.Vhost)) Fail("vhost", "a RabbitMQ virtual host is required.");

        // The tiers are a tree: a province has no parent; a city or county has one; a county has no children.
        switch (n.Tier)
        {
            case NodeTier.Province when n.Parent is not null: Fail("parent", "a province node has no parent."); break;
            case not NodeTier.Province when string.IsNullOrWhiteSpace(n.Parent): Fail("parent", $"a {n.Tier.ToString().ToLowerInvariant()} node needs its parent node id."); break;
            case NodeTier.County when n.Children.Count > 0: Fail("children", "a county node has no children."); break;
        }
        if (n.Parent == n.NodeId || n.Children.Contains(n.NodeId)) Fail(n.Parent == n.NodeId ? "parent" : "children", "a node cannot be its own parent or child.");
        if (n.Children.Distinct().Count() != n.Children.Count) Fail("children", "a child is listed twice.");

        for (var i = 0; i < n.Institutions.Count; i++)
        {
            var institution = n.Institutions[i];
            if (string.IsNullOrWhiteSpace(institution.Code)) Fail($"institutions[{i}].code", "an institution code is required.");
            if (string.IsNullOrWhiteSpace(institution.Name?.Zh)) Fail($"institutions[{i}].name.zh", "a Chinese name is required.");
            if (institution.Postcode is { } postcode && !PostcodePattern().IsMatch(postcode)) Fail($"institutions[{i}].postcode", $"'{postcode}' is not a 6-digit postcode.");
            if (n.Institutions.Take(i).Any(other => other.Code == institution.Code)) Fail($"institutions[{i}].code", $"'{institution.Code}' is listed twice.");
        }

        foreach (var (adapter, entry) in n.Adapters)
        {
            if (string.IsNullOrWhiteSpace(adapter)) Fail("adapters", "an adapter's OAuth client id is required.");
            if (entry is null) Fail($"adapters.{adapter}", "give the adapter's institution and/or dicomWebBaseUrl.");
            if (entry!.Institution is { } code && !n.Institutions.Any(i => i.Code == code))
                Fail($"adapters.{adapter}.institution", $"'{code}' is not the code of an institution of this file's institutions ({string.Join(", ", n.Institutions.Select(i => i.Code))}).");
            if (entry.DicomWebBaseUrl is { } pacs && (!pacs.IsAbsoluteUri || pacs.Scheme is not ("http" or "https")))
                Fail($"adapters.{adapter}.dicomWebBaseUrl", $"'{pacs}' is not an absolute http(s) URL.");
        }

        if (n.Ingest is null) Fail("ingest", "give maxRequestBytes, or leave the field out.");
        if (n.Ingest!.MaxRequestBytes is < NodeIngestLimits.Minimum or > NodeIngestLimits.Maximum)
            Fail("ingest.maxRequestBytes", $"{n.Ingest.MaxRequestBytes} is outside {NodeIngestLimits.Minimum}–{NodeIngestLimits.Maximum} bytes.");

        if (n.Routing is null) Fail("routing", "give the sharing rules (up, down, sideways), or leave the field out: nothing is shared.");
        foreach (var (field, why) in n.Routing!.Problems(n)) Fail(field, why);

        foreach (var service in ServiceNames.All)
        {
            if (!n.Endpoints.TryGetValue(service, out var url))
                Fail($"endpoints.{service}", "missing.");
            else if (!url!.IsAbsoluteUri || url.Scheme is not ("http" or "https"))
                Fail($"endpoints.{service}", $"'{url}' is not an absolute http(s) URL.");
        }
    }

    private static string FirstSentence(string message)
    {
        var i = message.IndexOf(". ", StringComparison.Ordinal);
        return i > 0 ? message[..(i + 1)] : message;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")] private static partial Regex NodeIdPattern();
    [GeneratedRegex("^[0-9]{6}$")] private static partial Regex AdminCodePattern();
    [GeneratedRegex("^(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))+$")] private static partial Regex OidPattern();
    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")] private static partial Regex IdentifierPattern();
    [GeneratedRegex("^[0-9]{6}$")] private static partial Regex PostcodePattern();
}
