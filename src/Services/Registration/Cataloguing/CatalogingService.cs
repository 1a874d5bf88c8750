using System.Globalization;
using MedImaging.Contracts;
using MedImaging.Contracts.Registration;
using MedImaging.Registration.Domain;
using MedImaging.Registration.Infrastructure;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Http;
using MedImaging.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Registration.Cataloguing;

/// <summary>
/// Moves catalogue entries through §4.5.1: each step checked against the workflow, recorded (who, when, why) and
/// announced through the outbox in the same transaction as the state change.
/// </summary>
public sealed class CatalogingService(RegistrationDbContext db, IOutbox outbox, ServiceHostContext host)
{
    /// <summary>Applies an action; null when the entry does not exist. Throws <see cref="WorkflowConflictException"/>.</summary>
    public async Task<Resource?> ApplyAsync(Guid id, WorkflowAction action, string actor, string? reason,
        IReadOnlyDictionary<string, string>? values, CancellationToken ct)
    {
        var resource = await db.Resources.SingleOrDefaultAsync(r => r.Id == id, ct);
        if (resource is null) return null;
        Stage(resource, action, actor, reason, values);
        await db.SaveChangesAsync(ct);
        return resource;
    }

    /// <summary>Stages an action on a tracked entry (the caller saves), so bulk actions commit together.</summary>
    public void Stage(Resource resource, WorkflowAction action, string actor, string? reason, IReadOnlyDictionary<string, string>? values)
    {
        ArgumentNullException.ThrowIfNull(resource);
        // Values change only while a cataloguer holds the entry (catalogue, or revise which reopens it).
        if (values is { Count: > 0 } && action is not (WorkflowAction.Catalogue or WorkflowAction.Revise))
            throw new ValidationProblemException("values", $"{action} does not take metadata values; catalogue or revise the entry to change them.");
        if (Workflow.NeedsReason(action) && string.IsNullOrWhiteSpace(reason))
            throw new ValidationProblemException("reason", $"{action} must say why (reason).");
        var from = resource.Transition(action, actor, reason);
        if (values is { Count: > 0 }) resource.ApplyManual(values, actor);
        db.ResourceTransitions.Add(new ResourceTransition
        {
            ResourceId = resource.Id, Action = action, FromState = from, ToState = resource.State,
            RecordVersion = resource.RecordVersion, Actor = actor, Reason = reason,
        });
        if (Event(resource, action, from, actor, reason) is { } e) outbox.Enqueue(e);
    }

    private IntegrationEvent? Event(Resource r, WorkflowAction action, WorkflowState from, string actor, string? reason)
    {
        var origin = host.RequiredNode.NodeId;
        return action switch
        {
            WorkflowAction.Register => new ResourceRegistered { OriginNode = origin, ResourceId = r.Id, RecordVersion = r.RecordVersion, Title = r.Title, Actor = actor },
            WorkflowAction.Approve => new ResourceApproved { OriginNode = origin, ResourceId = r.Id, RecordVersion = r.RecordVersion, Actor = actor },
            WorkflowAction.Reject => new ResourceRejected { OriginNode = origin, ResourceId = r.Id, RecordVersion = r.RecordVersion, Actor = actor, Reason = reason! },
            WorkflowAction.Revise => new ResourceRevised { OriginNode = origin, ResourceId = r.Id, RecordVersion = r.RecordVersion, PreviousState = from.ToString(), Actor = actor, Reason = reason },
            WorkflowAction.Withdraw => new ResourceWithdrawn { OriginNode = origin, ResourceId = r.Id, RecordVersion = r.RecordVersion, Actor = actor, Reason = reason! },
            WorkflowAction.Publish => Published(r, origin, actor),
            _ => null,
        };
    }

    private ResourcePublished Published(Resource r, string origin, string actor)
    {
        var study = db.Studies.Local.FirstOrDefault(s => s.Id == r.StudyId) ?? db.Studies.AsNoTracking().Single(s => s.Id == r.StudyId);
        string[] List(string element) => r.Value(element)?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        return new ResourcePublished
        {
            OriginNode = origin, ResourceId = r.Id, RecordVersion = r.RecordVersion, Actor = actor,
            Title = r.Title, Keywords = List(MetadataElements.Keywords), Abstract = r.Value(MetadataElements.Abstract),
            Format = r.Value(MetadataElements.Format) ?? "DICOM", OnlineResourceLink = r.Value(MetadataElements.OnlineResourceLink),
            Modalities = study.Modalities, BodyParts = study.BodyParts, StudyDate = study.StudyDate,
            SeriesCount = study.SeriesCount, InstanceCount = study.InstanceCount, TotalSizeBytes = study.TotalSizeBytes,
            PatientPseudonym = study.PatientPseudonym,
            Values = r.Values.ToDictionary(v => v.Element, v => v.Value, StringComparer.Ordinal),
        };
    }

    public static string Describe(WorkflowState state) => state.ToString().ToLower(CultureInfo.InvariantCulture);
}
