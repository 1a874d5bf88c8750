namespace MedImaging.Metadata.Domain;

/// <summary>
/// 资源标识符 (§2.10, §2.12, §4.7.2.1): {node OID root}.{行政区划代码}.{类目}.{亚目}.{细目}.{后段码}. The serial comes
/// from a database sequence, so it is never reused — not even after the identifier is withdrawn.
/// </summary>
public sealed class ResourceIdentifier
{
    public required string Oid { get; init; }
    public required string AdministrativeCode { get; init; }
    public required string CategoryCode { get; init; }
    public required string SubcategoryCode { get; init; }
    public required string DetailCode { get; init; }
    public long Serial { get; init; }
    public DateTimeOffset IssuedAt { get; init; } = DateTimeOffset.UtcNow;
    public required string IssuedBy { get; init; }
    public DateTimeOffset? WithdrawnAt { get; private set; }
    public string? WithdrawnBy { get; private set; }
    public string? WithdrawalReason { get; private set; }

    public void Withdraw(string by, string reason)
    {
        WithdrawnAt ??= DateTimeOffset.UtcNow;
        WithdrawnBy ??= by;
        WithdrawalReason ??= reason;
    }

    public static string Compose(string root, string administrativeCode, string classificationFullCode, long serial) =>
        $"{root}.{administrativeCode}.{classificationFullCode}.{serial}";
}
