using MedImaging.Metadata.Domain;

namespace MedImaging.Metadata.Infrastructure.Export;

/// <summary>
/// The order every export walks a version in: top-level elements and entities in the standard's order (an entity
/// where its first element stands), each entity's elements inside it. XSD sequences depend on one fixed order.
/// </summary>
internal static class SchemaLayout
{
    public sealed record Item(MetadataEntity? Entity, MetadataElement? Element, IReadOnlyList<MetadataElement> Members);

    public static IReadOnlyList<Item> TopLevel(MetadataSetVersion v)
    {
        var items = v.ElementsOf(null).Select(e => (Order: (double)e.Order, Item: new Item(null, e, []))).ToList();
        foreach (var entity in v.Entities)
        {
            var members = v.ElementsOf(entity.EntityId).ToList();
            items.Add((members.Count == 0 ? double.MaxValue - entity.Order : members[0].Order - 0.5, new Item(entity, null, members)));
        }
        return [.. items.OrderBy(i => i.Order).Select(i => i.Item)];
    }

    public static string Namespace(MetadataSet set, MetadataSetVersion v) => $"urn:medimaging:metadata:{set.Code}:{v.Version}";

    public const string OidPattern = @"[0-2](\.(0|[1-9][0-9]*))+";

    public static string? PatternOf(MetadataElement e) => e.Domain.Pattern ?? (e.DataType is MetadataDataType.Oid or MetadataDataType.ResourceIdentifier ? OidPattern : null);

    public static string Occurs(int? max) => max is null ? "N" : max.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string ObligationZh(Obligation o) => o switch
    {
        Obligation.Mandatory => "必选",
        Obligation.Optional => "可选",
        _ => "条件必选",
    };
}
