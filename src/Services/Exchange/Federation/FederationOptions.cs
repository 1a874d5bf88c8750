namespace MedImaging.Exchange.Federation;

/// <summary>The federation's settings (configuration section <c>Federation</c>; ADR 0032).</summary>
public sealed class FederationOptions
{
    public const string Section = "Federation";

    /// <summary>This node's federation key: ECDSA P-256, private, PEM. Only this node's Exchange service holds it.</summary>
    public string? SigningKeyPath { get; set; }

    /// <summary>
    /// A folder of the other nodes' public federation keys, one <c>&lt;nodeId&gt;.pub.pem</c> each (the deployment hands
    /// them out). Read when an entry from that node is checked, so a node added later needs no restart here.
    /// </summary>
    public string? PeerKeysPath { get; set; }

    /// <summary>The queue the shovels of this node's links deliver into (in this node's vhost).</summary>
    public string InboundQueue { get; set; } = "federation.in";

    /// <summary>Queue prefix of the outgoing links: one queue per neighbour, <c>federation.out.&lt;nodeId&gt;</c>.</summary>
    public string OutboundQueuePrefix { get; set; } = "federation.out.";

    /// <summary>Re-check what was shared against the current rules at start (a changed tier file); withdraw what may no longer cross.</summary>
    public bool ReapplyRulesAtStart { get; set; } = true;

    public string OutboundQueue(string node) => OutboundQueuePrefix + node;
}
