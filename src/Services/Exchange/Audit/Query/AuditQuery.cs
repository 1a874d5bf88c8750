using MedImaging.Contracts.Audit;
using MedImaging.ServiceDefaults.Http;
using Microsoft.AspNetCore.Mvc;

namespace MedImaging.Exchange.Audit.Query;

/// <summary>
/// The regulator's filter over the trail, as the query string gives it (bind with <c>[AsParameters]</c>); the events list
/// and every export take the same one. Every value is an exact match; several <c>action</c>s (repeated or comma-separated)
/// match any of them. <see cref="Checked"/> refuses what cannot match anything with a 400 naming the parameter.
/// </summary>
public readonly record struct AuditQuery
{
    /// <summary>Events that happened at or after this instant (the event's own time, not when the trail appended it).</summary>
    [FromQuery(Name = "from")] public DateTimeOffset? From { get; init; }

    /// <summary>Events that happened before this instant.</summary>
    [FromQuery(Name = "to")] public DateTimeOffset? To { get; init; }

    /// <summary>The actor's subject id (user id or client id) or display name.</summary>
    [FromQuery(Name = "actor")] public string? Actor { get; init; }

    /// <summary>A role the actor's token carried.</summary>
    [FromQuery(Name = "role")] public string? Role { get; init; }

    /// <summary>The OAuth client the actor's token was issued to.</summary>
    [FromQuery(Name = "client")] public string? Client { get; init; }

    /// <summary>An institution (registry code): the actor's or the resource's.</summary>
    [FromQuery(Name = "institution")] public string? Institution { get; init; }

    /// <summary>One or several actions of the closed list (repeat the parameter, or separate with commas).</summary>
    [FromQuery(Name = "action")] public string[]? Action { get; init; }

    /// <summary>The resource's id or its human-facing identifier (the entry's OID, a set's code…).</summary>
    [FromQuery(Name = "resource")] public string? Resource { get; init; }

    /// <summary>success, denied or failed.</summary>
    [FromQuery(Name = "outcome")] public string? Outcome { get; init; }

    /// <summary>A node: the one where the action happened or the caller's own.</summary>
    [FromQuery(Name = "node")] public string? Node { get; init; }

    /// <summary>Keyset cursor: only events after this sequence number (the <c>next</c> of the previous page).</summary>
    [FromQuery(Name = "after")] public long? After { get; init; }

    private static readonly string[] Outcomes = [AuditOutcome.SuccessCode, AuditOutcome.DeniedCode, AuditOutcome.FailedCode];

    /// <summary>The filter, checked: unknown actions and outcomes, a negative cursor or an empty time range are a 400.</summary>
    public AuditFilter Checked()
    {
        var actions = (Action ?? []).SelectMany(a => a.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal).ToList();
        var unknown = actions.Where(a => !AuditActions.All.Contains(a)).ToList();
        if (unknown.Count > 0)
            throw new ValidationProblemException("action",
                $"Unknown action(s) {string.Join(", ", unknown.Select(a => $"'{a}'"))}; the audited actions are: {string.Join(", ", AuditActions.All.Order(StringComparer.Ordinal))}.");
        if (Blank(Outcome) is { } outcome && !Outcomes.Contains(outcome))
            throw new ValidationProblemException("outcome", $"outcome must be one of {string.Join(", ", Outcomes)}; got '{outcome}'.");
        if (After is < 0)
            throw new ValidationProblemException("after", $"after is a sequence number of the trail (0 or more); got {After}.");
        if (From is { } f && To is { } t && t <= f)
            throw new ValidationProblemException("to", $"to ({t:O}) must be later than from ({f:O}).");

        return new AuditFilter
        {
            // PostgreSQL's timestamptz takes UTC instants; the caller may give any offset.
            From = From?.ToUniversalTime(),
            To = To?.ToUniversalTime(),
            Actor = Blank(Actor),
            Role = Blank(Role),
            Client = Blank(Client),
            Institution = Blank(Institution),
            Actions = actions,
            Resource = Blank(Resource),
            Outcome = Blank(Outcome),
            Node = Blank(Node),
            After = After ?? 0,
        };
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
