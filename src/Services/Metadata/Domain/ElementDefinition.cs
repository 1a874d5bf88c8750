namespace MedImaging.Metadata.Domain;

/// <summary>
/// How an element is written down outside the database: in the seed files, in API requests and in a version's
/// migration ("added"). Separate from <see cref="MetadataElement"/> so the wire shape never leaks ids.
/// </summary>
public sealed record ElementDefinition
{
    public string ElementId { get; init; } = "";
    public string? EntityId { get; init; }
    public required string NameZh { get; init; }
    public required string NameEn { get; init; }
    public string Definition { get; init; } = "";
    public MetadataDataType DataType { get; init; } = MetadataDataType.String;
    public ValueDomain? Domain { get; init; }
    public Obligation Obligation { get; init; } = Obligation.Optional;
    public ElementCondition? Condition { get; init; }
    public int? MaxOccurs { get; init; } = 1;
    public string Remarks { get; init; } = "";
    public string? Clause { get; init; }
    public string? DicomTag { get; init; }

    public MetadataElement ToElement(Guid versionId, int order) => new()
    {
        SetVersionId = versionId,
        ElementId = ElementId,
        EntityId = EntityId,
        Order = order,
        NameZh = NameZh,
        NameEn = NameEn,
        Definition = Definition,
        DataType = DataType,
        Domain = Domain ?? new ValueDomain(),
        Obligation = Obligation,
        Condition = Condition,
        MaxOccurs = MaxOccurs,
        Remarks = Remarks,
        Clause = Clause,
        DicomTag = DicomTag,
    };

    public static ElementDefinition From(MetadataElement e) => new()
    {
        ElementId = e.ElementId, EntityId = e.EntityId, NameZh = e.NameZh, NameEn = e.NameEn, Definition = e.Definition,
        DataType = e.DataType, Domain = e.Domain, Obligation = e.Obligation, Condition = e.Condition, MaxOccurs = e.MaxOccurs,
        Remarks = e.Remarks, Clause = e.Clause, DicomTag = e.DicomTag,
    };
}

public sealed record EntityDefinition
{
    public string EntityId { get; init; } = "";
    public required string NameZh { get; init; }
    public required string NameEn { get; init; }
    public string Definition { get; init; } = "";
    public Obligation Obligation { get; init; } = Obligation.Optional;
    public int? MaxOccurs { get; init; } = 1;
    public string Remarks { get; init; } = "";
    public string? Clause { get; init; }

    public MetadataEntity ToEntity(Guid versionId, int order) => new()
    {
        SetVersionId = versionId, EntityId = EntityId, Order = order, NameZh = NameZh, NameEn = NameEn, Definition = Definition,
        Obligation = Obligation, MaxOccurs = MaxOccurs, Remarks = Remarks, Clause = Clause,
    };

    public static EntityDefinition From(MetadataEntity e) => new()
    {
        EntityId = e.EntityId, NameZh = e.NameZh, NameEn = e.NameEn, Definition = e.Definition, Obligation = e.Obligation,
        MaxOccurs = e.MaxOccurs, Remarks = e.Remarks, Clause = e.Clause,
    };
}
