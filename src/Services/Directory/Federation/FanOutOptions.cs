namespace MedImaging.Directory.Federation;

/// <summary>
/// Distributed mode (§4.10 分布式目录服务, ADR 0032), configuration section <c>Directory:FanOut</c>: how this node reaches
/// each child's Directory (through the child's gateway, with a peer-node client registered there) and how long it waits.
/// </summary>
public sealed class FanOutOptions
{
    public const string Section = "Directory:FanOut";

    /// <summary>How long a child has to answer; one that has not is reported as timed out and the answer is partial.</summary>
    public TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How many tiers below this node a query may go (province → city → county is 2).</summary>
    public int MaxHops { get; set; } = 2;

    /// <summary>Per child node id: its gateway and this node's client there.</summary>
    public Dictionary<string, PeerOptions> Peers { get; set; } = new(StringComparer.Ordinal);
}

public sealed class PeerOptions
{
    /// <summary>The child's gateway, e.g. http://127.0.0.1:5200.</summary>
    public Uri? Gateway { get; set; }

    /// <summary>This node's client at the child's gateway (role node; its clearance caps what the child answers).</summary>
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    public string? ClientSecretPath { get; set; }
}
