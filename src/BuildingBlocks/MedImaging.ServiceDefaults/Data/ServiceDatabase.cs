using Microsoft.EntityFrameworkCore;

namespace MedImaging.ServiceDefaults.Data;

/// <summary>
/// What the migrator needs to know about a service's database beyond its model: its schema, and the tables its run-time
/// role may only read and append to (no UPDATE, DELETE or TRUNCATE; the audit trail).
/// </summary>
public sealed record ServiceDatabase<TContext>(string Schema, IReadOnlyCollection<string> AppendOnlyTables) where TContext : DbContext;
