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
    public Microsoft.IdentityModel.Tokens.SecurityKey? SigningKey { get; init; }
    public string? Problem { get; init; }

    public NodeDescriptor RequiredNode => Node ?? throw new InvalidOperationException(Problem);
    public NodeConnections RequiredConnections => Connections ?? throw new InvalidOperationException(Problem);
}
