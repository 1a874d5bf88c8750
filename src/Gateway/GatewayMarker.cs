namespace MedImaging.Gateway;

/// <summary>Names this host's assembly for WebApplicationFactory in tests.</summary>
public sealed class GatewayMarker;
