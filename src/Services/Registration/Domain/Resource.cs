namespace MedImaging.Registration.Domain;

/// <summary>
/// A catalogue entry (信息资源, §4.7): a study received from a PACS, or a database, document or research dataset
/// catalogued by hand (§4.8.2 a). Its metadata values are assigned automatically where a rule can derive them
/// (§4.8.2 b) and completed or corrected by cataloguers; each value says which.
/// </summary>
public sealed class Resource
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>The study an imaging entry describes; null for the resources catalogued by hand.</summary>
    public Guid? StudyId { get; init; }

    public ResourceKind Kind { get; init; } = ResourceKind.ImagingStudy;

    /// <summary>资源标识符 (§4.7.2.1): issued once at the first registration and never changed (unique).</summary>
    public string? ResourceIdentifier { get; private set; }

    /// <summary>What the last completeness and conformance check found (empty when it passed), and against which set.</summary>
    public List<CatalogueProblem> Problems { get; private set; } = [];
    public string? CheckedAgainst { get; private set; }
    public DateTimeOffset? CheckedAt { get; private set; }

    public WorkflowState State { get; private set; } = WorkflowState.Prepared;
    public int RecordVersion { get; private set; } = 1;
    public string Title { get; private set; } = "";
    public List<AssignedValue> Values { get; private set; } = [];
    public string? LastReason { get; private set; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
    public DateTimeOffset UpdatedAt { get; private set; } = DateTimeOffset.UtcNow;
    public string? UpdatedBy { get; private set; }

    /// <summary>
    /// 安全限制分级 (§4.7.2.18): the securityClassification value, kept as a column of its own (in step with the values,
    /// here and in ingest's SQL) so that every read filters by the caller's clearance in SQL, counts included.
    /// </summary>
    public string? SecurityClassification { get; private set; }

    /// <summary>The 负责方's registry code (organizationCode, §4.7.2.12), a column for the same reason: institution-bound callers see their own.</summary>
    public string? Institution { get; private set; }

    public string? Value(string element) => Values.FirstOrDefault(v => v.Element == element)?.Value;

    /// <summary>
    /// An entry as stored, for ingest's writer, which reads and writes the few columns its automatic values touch in
    /// SQL instead of tracking the whole entity.
    /// </summary>
    public static Resource Stored(Guid id, Guid? studyId, ResourceKind kind, List<AssignedValue> values, string title, List<CatalogueProblem>? problems = null)
    {
        var stored = new Resource { Id = id, StudyId = studyId, Kind = kind, Values = values, Title = title, Problems = problems ?? [] };
        stored.SyncColumns();
        return stored;
    }

    /// <summary>Applies values derived by the cataloguing rules; never overwrites a value a cataloguer set.</summary>
    public void ApplyAutomatic(IEnumerable<AssignedValue> derived)
    {
        var values = Values.ToDictionary(v => v.Element);
        foreach (var d in derived)
            if (!values.TryGetValue(d.Element, out var existing) || existing.Source == ValueSource.Auto) values[d.Element] = d;
        SetValues(values.Values);
    }

    /// <summary>Values a cataloguer entered (empty text removes the value).</summary>
    public void ApplyManual(IReadOnlyDictionary<string, string> entered, string actor)
    {
        var values = Values.ToDictionary(v => v.Element);
        foreach (var (element, value) in entered)
        {
            if (string.IsNullOrWhiteSpace(value)) values.Remove(element);
            else values[element] = new AssignedValue(element, value.Trim(), ValueSource.Manual, $"entered by {actor}");
        }
        SetValues(values.Values);
    }

    /// <summary>Records the identifier Metadata issued for this entry; an entry keeps its first one.</summary>
    public void AssignIdentifier(string oid, string rule)
    {
        if (ResourceIdentifier is not null) throw new InvalidOperationException($"Resource {Id} already has identifier {ResourceIdentifier}.");
        ResourceIdentifier = oid;
        var values = Values.ToDictionary(v => v.Element);
        values[MetadataElements.ResourceId] = new AssignedValue(MetadataElements.ResourceId, oid, ValueSource.Auto, rule);
        SetValues(values.Values);
    }

    public void RecordCheck(IReadOnlyList<CatalogueProblem> problems, string checkedAgainst)
    {
        Problems = [.. problems];
        CheckedAgainst = checkedAgainst;
        CheckedAt = DateTimeOffset.UtcNow;
    }

    /// <summary>Replaces the problems of one kind (a re-classification's), keeping the rest of what the last check found.</summary>
    public void RecordProblems(string kind, IReadOnlyList<CatalogueProblem> problems)
    {
        if (problems.Count == 0 && Problems.All(p => p.Kind != kind)) return;
        Problems = [.. Problems.Where(p => p.Kind != kind), .. problems];
        UpdatedAt = DateTimeOffset.UtcNow;
    }

    /// <summary>Moves along the workflow or throws <see cref="WorkflowConflictException"/>; returns the state left.</summary>
    public WorkflowState Transition(WorkflowAction action, string actor, string? reason)
    {
        if (!Workflow.Allows(action, State)) throw new WorkflowConflictException(Id, State, action);
        var from = State;
        State = Workflow.Target(action);
        if (action == WorkflowAction.Revise) RecordVersion++;
        LastReason = reason;
        UpdatedAt = DateTimeOffset.UtcNow;
        UpdatedBy = actor;
        return from;
    }

    private void SetValues(IEnumerable<AssignedValue> values)
    {
        Values = [.. values.OrderBy(v => v.Element, StringComparer.Ordinal)];
        Title = Value(MetadataElements.ResourceTitle) ?? "";
        SyncColumns();
        UpdatedAt = DateTimeOffset.UtcNow;
    }

    // Every change of the values goes through SetValues (or Stored, for ingest's SQL): the columns cannot fall behind.
    private void SyncColumns()
    {
        SecurityClassification = Value(MetadataElements.SecurityClassification);
        Institution = Value(MetadataElements.OrganizationCode);
    }
}

/// <summary>What an entry catalogues (§4.8.2 a): a DICOM study, or a resource catalogued by hand.</summary>
public enum ResourceKind
{
    ImagingStudy,
    Database,
    Document,
    Dataset,
    Other,
}

/// <summary>
/// One failing element of an entry as the Metadata service's check names it (§4.8.2 d, §4.9.4), or one Registration's own
/// requirements find (<see cref="Cataloguing.CatalogueRequirements"/>). An advisory problem is shown to the cataloguer but
/// does not hold the entry back.
/// </summary>
public sealed record CatalogueProblem(string ElementId, string NameZh, string NameEn, string Path, string Kind, string Detail)
{
    public bool Advisory { get; init; }

    /// <summary>A problem Registration itself finds with a classification element (the Metadata service names the others).</summary>
    public static CatalogueProblem Classification(string element, string kind, string detail)
    {
        var (zh, en) = MetadataElements.ClassificationNames.GetValueOrDefault(element, (element, element));
        var path = MetadataElements.EntityOf.TryGetValue(element, out var entity) ? $"{entity}.{element}" : element;
        return new CatalogueProblem(element, zh, en, path, kind, detail);
    }
}

public enum ValueSource
{
    Auto,
    Manual,
}

/// <summary>One metadata value of an entry: who or which rule assigned it.</summary>
public sealed record AssignedValue(string Element, string Value, ValueSource Source, string Rule);

/// <summary>A recorded workflow step: who moved the entry from which state to which, when and why.</summary>
public sealed class ResourceTransition
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid ResourceId { get; init; }
    public WorkflowAction Action { get; init; }
    public WorkflowState FromState { get; init; }
    public WorkflowState ToState { get; init; }
    public int RecordVersion { get; init; }
    public required string Actor { get; init; }
    public string? Reason { get; init; }
    public DateTimeOffset At { get; init; } = DateTimeOffset.UtcNow;
}
