using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Node;

namespace MedImaging.ServiceDefaults.Hosting;

/// <summary>
/// Who this process is: which service of which node, with which connections. Registered as a singleton by
/// <c>AddServiceDefaults</c>. When configuration is invalid, <see cref="Problem"/> holds the one line to print and the
/// host refuses to run (see <see cref="ServiceHostExtensions.RunServiceAsync"/>).
/// </summary>
public sealed class ServiceHostContext
{
    public required string ServiceName { get; init; }
    public NodeDescriptor? Node { get; init; }
    public NodeConnections? Connections { get; init; }

    /// <summary>The public keys access tokens are validated with (a service: the node's JWKS file); never a private key.</summary>
    public NodeKeySet? TokenKeys { get; init; }

    /// <summary>The gateway's signing keys (private); null in every other service, which never needs them (ADR 0003).</summary>
    public NodeSigningKeys? SigningKeys { get; init; }

    private string? _problem;

    public string? Problem { get => _problem; init => _problem = value; }

    /// <summary>
    /// A service's own start-up check failed (a missing key, say): the host will refuse to run, printing this line.
    /// The first problem reported wins, because it is usually the cause of the others.
    /// </summary>
    public void Refuse(string line) => _problem ??= line;

    public NodeDescriptor RequiredNode => Node ?? throw new InvalidOperationException(Problem);
    public NodeConnections RequiredConnections => Connections ?? throw new InvalidOperationException(Problem);
}
