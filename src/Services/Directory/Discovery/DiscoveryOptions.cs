using System.Xml;

namespace MedImaging.Directory.Discovery;

/// <summary>
/// The limits a <see cref="DirectorySession"/> is opened with (configuration section <c>Directory:Discovery</c>); the
/// session and the self-description state them, as a Z39.50 Init response states the server's.
/// </summary>
public sealed class DiscoveryOptions
{
    public const string Section = "Directory:Discovery";

    /// <summary>A session and its result sets live this long after their last use (a sliding expiry).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Result sets one session keeps; a further search drops the oldest.</summary>
    public int MaxResultSets { get; set; } = 10;

    /// <summary>Entry keys one result set holds; a search matching more keeps the first ones in its order and says it was capped.</summary>
    public int MaxResultSetSize { get; set; } = 10_000;

    /// <summary>Records one retrieval may ask for (<c>count</c>).</summary>
    public int MaxRecordsPerRetrieval { get; set; } = 100;

    public DiscoveryLimits Limits => new(MaxResultSets, MaxResultSetSize, MaxRecordsPerRetrieval, XmlConvert.ToString(IdleTimeout));
}

/// <summary>The limits of a session; <paramref name="IdleTimeout"/> as an ISO 8601 duration ("PT30M").</summary>
public sealed record DiscoveryLimits(int MaxResultSets, int MaxResultSetSize, int MaxRecordsPerRetrieval, string IdleTimeout);
