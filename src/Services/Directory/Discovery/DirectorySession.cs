namespace MedImaging.Directory.Discovery;

/// <summary>
/// A session of the basic interface (基础接口, §4.10): opened by 目录服务初始化, closed by 目录服务终止 or by idling past
/// its limits' idle timeout. It holds the caller's result sets and belongs to the caller that opened it.
/// </summary>
public sealed record DirectorySession(string Id, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DiscoveryLimits Limits);

/// <summary>
/// What a search (目录检索) answers: the exact number of matching entries the caller may see, and the id of the
/// <c>ResultSet</c> that holds their keys in order. <paramref name="Size"/> is the number of keys the result set holds:
/// <paramref name="Hits"/>, or the limit when <paramref name="Capped"/>.
/// </summary>
public sealed record ResultSetCreated(string ResultSetId, long Hits, int Size, bool Capped, DateTimeOffset ExpiresAt);
