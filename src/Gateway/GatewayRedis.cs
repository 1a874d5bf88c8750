using MedImaging.ServiceDefaults.Node;
using StackExchange.Redis;

namespace MedImaging.Gateway;

/// <summary>
/// Where the gateway's shared state lives in Redis: rate-limit windows, sign-in failures and the data-protection key
/// ring, under one prefix per node. The prefix names the node's database too, because nodes (and test nodes) sharing
/// one Redis may carry the same node id.
/// </summary>
internal static class GatewayRedis
{
    public static RedisKey Key(NodeDescriptor? node, string name) => $"medcat:{node?.NodeId}:{node?.Database}:gateway:{name}";
}
