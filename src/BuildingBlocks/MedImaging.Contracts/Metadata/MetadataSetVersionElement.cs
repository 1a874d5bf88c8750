namespace MedImaging.Contracts.Metadata;

/// <summary>
/// One element (元数据元素, §4.6) of an activated set version, as <see cref="MetadataSetVersionActivated"/> carries it: the
/// element id records are keyed by, its Chinese and English names, its data type (the Metadata service's type name:
/// String, Integer, Decimal, Boolean, Date, DateTime, Uri, Oid, ResourceIdentifier, Code, ClassificationCode), the
/// entity it belongs to (null at the top level of a record) and its maximum occurrence (null = N).
/// </summary>
public sealed record MetadataSetVersionElement
{
    public required string ElementId { get; init; }
    public required string NameZh { get; init; }
    public required string NameEn { get; init; }
    public required string DataType { get; init; }
    public string? EntityId { get; init; }
    public int? MaxOccurs { get; init; } = 1;

    /// <summary>必选 / 可选 / 条件必选 as Mandatory, Optional, Conditional.</summary>
    public string Obligation { get; init; } = "Optional";
}
