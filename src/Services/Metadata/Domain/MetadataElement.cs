namespace MedImaging.Metadata.Domain;

/// <summary>
/// 医学影像学信息元数据元素 (§2.6): the basic unit describing one property of a resource, with every descriptive
/// attribute of §4.6. It belongs to one <see cref="MetadataSetVersion"/> (a version is an immutable snapshot once
/// active) and optionally to a <see cref="MetadataEntity"/> that groups it.
/// </summary>
public sealed class MetadataElement
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid SetVersionId { get; init; }

    /// <summary>Stable machine name, the key in JSON records and the element name in XML (unique in the version).</summary>
    public required string ElementId { get; set; }

    /// <summary>The <see cref="MetadataEntity.EntityId"/> grouping this element; null at the top level of a record.</summary>
    public string? EntityId { get; set; }

    public int Order { get; set; }
    public required string NameZh { get; set; }          // 4.6.1 中文名称
    public required string NameEn { get; set; }          // 4.6.3 英文名称
    public required string Definition { get; set; }      // 4.6.2 定义
    public MetadataDataType DataType { get; set; }       // 4.6.4 数据类型
    public ValueDomain Domain { get; set; } = new();     // 4.6.5 值域
    public Obligation Obligation { get; set; }           // 4.6.6 约束/条件
    public ElementCondition? Condition { get; set; }

    /// <summary>4.6.7 最大出现次数; null means N (unbounded).</summary>
    public int? MaxOccurs { get; set; }

    public string Remarks { get; set; } = "";            // 4.6.8 备注

    /// <summary>Clause of the standard the element comes from (e.g. "4.7.2.1"), or null for extensions.</summary>
    public string? Clause { get; set; }

    /// <summary>DICOM attribute the value is taken from, as "(gggg,eeee)".</summary>
    public string? DicomTag { get; set; }

    public bool Repeats => MaxOccurs is null or > 1;
}

/// <summary>4.6.4 数据类型. GB/T 21063.3 uses 字符型/数值型/日期型/复合型; these refine them so values can be checked.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "These are data type names (§4.6.4, XSD), serialised on the wire.")]
public enum MetadataDataType
{
    String,
    Integer,
    Decimal,
    Boolean,
    Date,
    DateTime,
    Uri,
    Oid,

    /// <summary>An OID that must be a resource identifier of this node composed per §2.12 (checked against the scheme).</summary>
    ResourceIdentifier,

    /// <summary>One of the codes listed in the element's <see cref="ValueDomain.Codes"/>.</summary>
    Code,

    /// <summary>A node code of the classification scheme (§4.9.2), e.g. "2.2.1".</summary>
    ClassificationCode,
}

/// <summary>4.6.6 约束/条件: 必选 (M), 可选 (O), and 条件必选 (C) as GB/T 21063.3 practice adds.</summary>
public enum Obligation
{
    Mandatory,
    Optional,
    Conditional,
}

/// <summary>
/// When a <see cref="Obligation.Conditional"/> element becomes mandatory: when <see cref="Element"/> is absent, or
/// (with <see cref="EqualsValue"/>) when it has that value. Only these two forms, so XSD, JSON Schema and the
/// validator can all state them.
/// </summary>
public sealed record ElementCondition(string Element, string? EqualsValue = null)
{
    public string Describe() => EqualsValue is null ? $"mandatory when '{Element}' is absent" : $"mandatory when '{Element}' = '{EqualsValue}'";
}

/// <summary>4.6.5 值域: the facets that apply to the element's type.</summary>
public sealed record ValueDomain
{
    public int? MaxLength { get; init; }

    /// <summary>A regular expression without anchors, in the subset XSD, ECMAScript and .NET read alike.</summary>
    public string? Pattern { get; init; }

    public decimal? Minimum { get; init; }
    public decimal? Maximum { get; init; }
    public IReadOnlyList<CodeValue> Codes { get; init; } = [];

    /// <summary>Free text describing the domain for people (e.g. "GB/T 2260 行政区划代码").</summary>
    public string? Description { get; init; }
}

public sealed record CodeValue(string Code, string NameZh, string NameEn);
