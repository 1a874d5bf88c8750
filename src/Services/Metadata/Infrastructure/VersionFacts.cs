using MedImaging.Contracts.Metadata;
using MedImaging.Metadata.Domain;

namespace MedImaging.Metadata.Infrastructure;

/// <summary>
/// What <see cref="MetadataSetVersionActivated"/> tells the other services about a version's schema: its elements and
/// entities with their names and types, so that the directory can describe and lay out records without asking this
/// service over HTTP (facts cross services as events).
/// </summary>
public static class VersionFacts
{
    /// <summary>The activation event with the set's names and the version's elements and entities filled in.</summary>
    public static MetadataSetVersionActivated WithSchema(this MetadataSetVersionActivated e, MetadataSet set, MetadataSetVersion version)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(version);
        return e with
        {
            SetNameZh = set.NameZh,
            SetNameEn = set.NameEn,
            Elements = [.. version.Elements.OrderBy(x => x.Order).Select(x => new MetadataSetVersionElement
            {
                ElementId = x.ElementId, NameZh = x.NameZh, NameEn = x.NameEn, DataType = x.DataType.ToString(), EntityId = x.EntityId,
                MaxOccurs = x.MaxOccurs, Obligation = x.Obligation.ToString(),
            })],
            Entities = [.. version.Entities.OrderBy(x => x.Order).Select(x => new MetadataSetVersionEntity
            {
                EntityId = x.EntityId, NameZh = x.NameZh, NameEn = x.NameEn, MaxOccurs = x.MaxOccurs,
            })],
        };
    }
}
