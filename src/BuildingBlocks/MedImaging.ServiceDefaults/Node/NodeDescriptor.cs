using System.Text.Json.Serialization;

namespace MedImaging.ServiceDefaults.Node;

/// <summary>
/// One node of the province → city → county federation (§4.1.1), as its file in <c>deploy/tiers/</c> describes it.
/// Every node runs the same binaries; everything that differs between nodes lives here.
/// </summary>
public sealed record NodeDescriptor
{
    public required string NodeId { get; init; }
    public required NodeTier Tier { get; init; }
    public string? Parent { get; init; }
    public IReadOnlyList<string> Children { get; init; } = [];

    /// <summary>GB/T 2260 administrative division code (6 digits) of the area the node serves.</summary>
    public required string AdministrativeCode { get; init; }

    public required LocalizedName Name { get; init; }

    /// <summary>OID arc under which the node's resource identifiers are allocated (§2.12–2.15, §4.9.3).</summary>
    public required string OidRoot { get; init; }

    /// <summary>PostgreSQL database of the node; each service owns one schema in it.</summary>
    public required string Database { get; init; }

    /// <summary>RabbitMQ virtual host of the node.</summary>
    public required string Vhost { get; init; }

    /// <summary>Base URL of each host of the node, keyed by service name (gateway, registration, …).</summary>
    public required IReadOnlyDictionary<string, Uri> Endpoints { get; init; }

    /// <summary>
    /// The medical institutions whose data this node catalogues (optional): the registry of 负责方 (§4.7.2.10–16) that
    /// Registration matches a study's DICOM InstitutionName against.
    /// </summary>
    public IReadOnlyList<InstitutionDescriptor> Institutions { get; init; } = [];

    /// <summary>
    /// The PACS adapters that push into this node, by OAuth client id: which institution each pushes for and where its
    /// PACS serves DICOMweb. One place per adapter, so the hospital's IT staff wire an adapter by editing one entry.
    /// </summary>
    public IReadOnlyDictionary<string, AdapterDescriptor> Adapters { get; init; } = new Dictionary<string, AdapterDescriptor>();

    /// <summary>Limits of the ingest routes, enforced alike by the gateway and by Registration.</summary>
    public NodeIngestLimits Ingest { get; init; } = new();

    /// <summary>What crosses each federation link (<see cref="SharingRule"/>), and the default directory mode.</summary>
    public NodeRouting Routing { get; init; } = new();

    /// <summary>The node's file, for error messages.</summary>
    [JsonIgnore]
    public string SourceFile { get; init; } = "";

    public Uri GatewayUrl => Endpoints[ServiceNames.Gateway];
}

[JsonConverter(typeof(JsonStringEnumConverter<NodeTier>))]
public enum NodeTier
{
    Province,
    City,
    County,
}

public sealed record LocalizedName(string Zh, string En);

/// <summary>
/// A resource-providing institution (资源负责单位): its unified social credit code (GB 32100), names, the spellings of
/// DICOM InstitutionName (0008,0080) its modalities write, and its contact details.
/// </summary>
public sealed record InstitutionDescriptor
{
    public required string Code { get; init; }
    public required LocalizedName Name { get; init; }
    public IReadOnlyList<string> DicomNames { get; init; } = [];
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public string? Address { get; init; }
    public string? Postcode { get; init; }
}

/// <summary>The hosts of a node; these names key <see cref="NodeDescriptor.Endpoints"/> and the gateway routes.</summary>
public static class ServiceNames
{
    public const string Gateway = "gateway";
    public const string Registration = "registration";
    public const string Metadata = "metadata";
    public const string Directory = "directory";
    public const string Exchange = "exchange";
    public const string Inference = "inference";

    public static readonly IReadOnlyList<string> Apis = [Registration, Metadata, Directory, Exchange, Inference];
    public static readonly IReadOnlyList<string> All = [Gateway, .. Apis];
}

/// <summary>One PACS adapter of a node (tier file <c>adapters.&lt;client id&gt;</c>).</summary>
public sealed record AdapterDescriptor
{
    /// <summary>
    /// Code of the institution (of this file's <c>institutions</c>) the adapter pushes for; Registration falls back to it
    /// for 负责方 when a study carries no InstitutionName, or one the registry does not know.
    /// </summary>
    public string? Institution { get; init; }

    /// <summary>
    /// The PACS's DICOMweb base URL: a study's online resource link (§4.7.2.19) is <c>{this}/studies/{uid}</c> when its
    /// instances carry no Retrieve URL. <c>Registration:Ingest:Adapters:&lt;id&gt;:DicomWebBaseUrl</c> overrides it.
    /// </summary>
    public Uri? DicomWebBaseUrl { get; init; }
}

/// <summary>
/// Tier file <c>ingest</c>: one place for the size of an ingest request (STOW-RS <c>POST /dicomweb/studies</c> and DICOM
/// JSON pushes). The gateway and Registration both read it, so a batch the service would take is never refused on the
/// way (ADR 0018).
/// </summary>
public sealed record NodeIngestLimits
{
    public const long DefaultMaxRequestBytes = 4L * 1024 * 1024 * 1024;
    public const long Minimum = 1_000_000;
    public const long Maximum = 64L * 1024 * 1024 * 1024;

    /// <summary>Largest request body in bytes; larger ones are answered 413 before they are read.</summary>
    public long MaxRequestBytes { get; init; } = DefaultMaxRequestBytes;
}
