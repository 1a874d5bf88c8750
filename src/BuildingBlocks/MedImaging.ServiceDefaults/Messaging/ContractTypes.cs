using System.Collections.Concurrent;

namespace MedImaging.ServiceDefaults.Messaging;

/// <summary>Resolves the contract type an outbox row names. Contracts live in one assembly and never change namespace.</summary>
internal static class ContractTypes
{
    private static readonly ConcurrentDictionary<string, Type> Cache = new();

    public static Type Resolve(string fullName) => Cache.GetOrAdd(fullName, static name =>
        typeof(Contracts.IntegrationEvent).Assembly.GetType(name, throwOnError: false)
        ?? throw new InvalidOperationException($"Outbox names message type '{name}', which MedImaging.Contracts does not define."));
}
