namespace MedImaging.Metadata.Domain;

/// <summary>
/// 医学影像学信息元数据实体 (§2.7): a group of elements describing one aspect of a resource, e.g. 信息资源分类
/// (Resource Category) or 信息资源负责方 (Point Of Contact). In a record it is a nested object, or a list of them when
/// it may occur more than once.
/// </summary>
public sealed class MetadataEntity
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid SetVersionId { get; init; }
    public required string EntityId { get; set; }
    public int Order { get; set; }
    public required string NameZh { get; set; }
    public required string NameEn { get; set; }
    public required string Definition { get; set; }
    public Obligation Obligation { get; set; }
    public int? MaxOccurs { get; set; }
    public string Remarks { get; set; } = "";
    public string? Clause { get; set; }

    public bool Repeats => MaxOccurs is null or > 1;
}
