namespace MedImaging.ServiceDefaults.Node;

/// <summary>A node file or connection setting that stops the host. The message is the one line an operator reads.</summary>
public sealed class NodeConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
