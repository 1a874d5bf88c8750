using MedImaging.Contracts.Metadata;
using MedImaging.Directory.Domain;
using MedImaging.Directory.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Directory.Discovery;

/// <summary>
/// The metadata set versions active now, as the Metadata service announced them (the latest activated version of each
/// set in the directory's schema history): what the self-description lists and what full records are laid out by.
/// </summary>
public sealed class ActiveSchemas
{
    /// <summary>The basic set of §4.7.2 and the DICOM extension set (which includes it), as the Metadata service seeds them.</summary>
    public const string BasicSet = "basic-metadata";
    public const string DicomSet = "dicom-imaging";

    private ActiveSchemas(IReadOnlyList<SchemaVersion> versions) => Versions = versions;

    public IReadOnlyList<SchemaVersion> Versions { get; }

    public static async Task<ActiveSchemas> LoadAsync(DirectoryDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var all = await db.SchemaVersions.AsNoTracking().ToListAsync(ct);
        return new([.. all.GroupBy(v => v.SetCode).Select(g => g.MaxBy(v => v.Version)!).OrderBy(v => v.SetCode, StringComparer.Ordinal)]);
    }

    /// <summary>
    /// The set an entry's record is written against: an imaging study the DICOM extension set, anything else the basic
    /// set (Registration's rule, CatalogueRecord.SetFor). Null while the directory has not learnt that set.
    /// </summary>
    public SchemaVersion? RecordSetOf(CatalogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Kind == "ImagingStudy" ? Find(DicomSet) ?? Find(BasicSet) : Find(BasicSet);
    }

    /// <summary>
    /// The set an element is grouped under in a full record: the smallest active set that defines it, so that the basic
    /// elements stand under the basic set and an extension's own elements under the extension (an extension version
    /// carries the basic elements too). Null for an element no active set defines.
    /// </summary>
    public SchemaVersion? HomeOf(string elementId) => Versions
        .Where(v => v.Elements.Any(e => e.ElementId == elementId))
        .OrderBy(v => v.Elements.Count).ThenBy(v => v.SetCode, StringComparer.Ordinal).FirstOrDefault();

    public SchemaVersion? Find(string setCode) => Versions.FirstOrDefault(v => v.SetCode == setCode);

    /// <summary>The XML namespace of a version's records, as the Metadata service's export schema declares it.</summary>
    public static string Namespace(SchemaVersion v)
    {
        ArgumentNullException.ThrowIfNull(v);
        return $"urn:medimaging:metadata:{v.SetCode}:{v.Version}";
    }

    public static bool Repeats(MetadataSetVersionElement e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.MaxOccurs is null or > 1;
    }
}
