namespace MedImaging.Registration.Domain;

/// <summary>The formation and release process of §4.5.1: prepare → catalogue → register → review → publish.</summary>
public enum WorkflowState
{
    Prepared,
    Catalogued,
    Registered,
    Approved,
    Rejected,
    Published,
    Withdrawn,
}

public enum WorkflowAction
{
    Catalogue,
    Register,
    Approve,
    Reject,
    Publish,
    Revise,
    Withdraw,
}

/// <summary>Which action leads from which states to which, and whether it must say why.</summary>
public static class Workflow
{
    private sealed record Rule(WorkflowState[] From, WorkflowState To, bool NeedsReason);

    private static readonly Dictionary<WorkflowAction, Rule> Rules = new()
    {
        [WorkflowAction.Catalogue] = new([WorkflowState.Prepared, WorkflowState.Catalogued], WorkflowState.Catalogued, false),
        [WorkflowAction.Register] = new([WorkflowState.Catalogued], WorkflowState.Registered, false),
        [WorkflowAction.Approve] = new([WorkflowState.Registered], WorkflowState.Approved, false),
        [WorkflowAction.Reject] = new([WorkflowState.Registered], WorkflowState.Rejected, true),
        [WorkflowAction.Publish] = new([WorkflowState.Approved], WorkflowState.Published, false),
        [WorkflowAction.Revise] = new([WorkflowState.Rejected, WorkflowState.Approved, WorkflowState.Published, WorkflowState.Withdrawn], WorkflowState.Catalogued, false),
        [WorkflowAction.Withdraw] = new([WorkflowState.Published], WorkflowState.Withdrawn, true),
    };

    public static WorkflowState Target(WorkflowAction action) => Rules[action].To;

    public static bool Allows(WorkflowAction action, WorkflowState from) => Rules[action].From.Contains(from);

    public static bool NeedsReason(WorkflowAction action) => Rules[action].NeedsReason;
}

/// <summary>An action the entry's current state does not allow; becomes a 409 naming both states.</summary>
public sealed class WorkflowConflictException(Guid resourceId, WorkflowState current, WorkflowAction action)
    : Exception($"Resource {resourceId} is {current}; {action} needs one of the states that lead to {Workflow.Target(action)}.")
{
    public Guid ResourceId { get; } = resourceId;
    public WorkflowState Current { get; } = current;
    public WorkflowAction Action { get; } = action;
    public WorkflowState Requested => Workflow.Target(Action);
}
