using System.Globalization;

namespace MedImaging.Exchange.Audit.Query;

/// <summary>A checked <see cref="AuditQuery"/>: applies itself to the trail and says what it was (for the query's own audit record).</summary>
public sealed record AuditFilter
{
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public string? Actor { get; init; }
    public string? Role { get; init; }
    public string? Client { get; init; }
    public string? Institution { get; init; }
    public IReadOnlyList<string> Actions { get; init; } = [];
    public string? Resource { get; init; }
    public string? Outcome { get; init; }
    public string? Node { get; init; }
    public long After { get; init; }

    /// <summary>The matching rows after the cursor, in trail order (the sequence: gap-free, assigned in commit order).</summary>
    public IQueryable<AuditRecord> Apply(IQueryable<AuditRecord> q)
    {
        if (After > 0) q = q.Where(r => r.Sequence > After);
        if (From is { } from) q = q.Where(r => r.OccurredAt >= from);
        if (To is { } to) q = q.Where(r => r.OccurredAt < to);
        if (Actor is { } actor) q = q.Where(r => r.ActorId == actor || r.ActorName == actor);
        if (Role is { } role) q = q.Where(r => r.ActorRoles.Contains(role));
        if (Client is { } client) q = q.Where(r => r.ClientId == client);
        if (Institution is { } inst) q = q.Where(r => r.ActorInstitution == inst || r.ResourceInstitution == inst);
        if (Actions.Count == 1) { var a = Actions[0]; q = q.Where(r => r.Action == a); }
        else if (Actions.Count > 1) { var list = Actions.ToList(); q = q.Where(r => list.Contains(r.Action)); }
        if (Resource is { } res) q = q.Where(r => r.ResourceId == res || r.ResourceIdentifier == res);
        if (Outcome is { } outcome) q = q.Where(r => r.Outcome == outcome);
        if (Node is { } node) q = q.Where(r => r.Node == node || r.ActorNode == node);
        return q.OrderBy(r => r.Sequence);
    }

    /// <summary>The filter as the audit record of a query or export carries it: only what was given.</summary>
    public Dictionary<string, string> ToDetails()
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string key, string? value) { if (value is not null) d[key] = value; }
        Add("from", From?.ToString("O", CultureInfo.InvariantCulture));
        Add("to", To?.ToString("O", CultureInfo.InvariantCulture));
        Add("actor", Actor);
        Add("role", Role);
        Add("client", Client);
        Add("institution", Institution);
        Add("action", Actions.Count > 0 ? string.Join(",", Actions) : null);
        Add("resource", Resource);
        Add("outcome", Outcome);
        Add("node", Node);
        Add("after", After > 0 ? After.ToString(CultureInfo.InvariantCulture) : null);
        return d;
    }

    /// <summary>The query string of this filter (for the next page's link), without the cursor.</summary>
    public IEnumerable<KeyValuePair<string, string>> ToQuery() => ToDetails().Where(kv => kv.Key != "after");
}
