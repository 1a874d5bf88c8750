namespace MedImaging.Directory;

/// <summary>Names this host's assembly for WebApplicationFactory in tests that host several services in one process.</summary>
public sealed class DirectoryServiceMarker;
