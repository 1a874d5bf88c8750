using MedImaging.Contracts.Registration;
using MedImaging.Directory.Search;
using NpgsqlTypes;

namespace MedImaging.Directory.Domain;

/// <summary>Whether an entry shows in the directory. Only <see cref="Published"/> entries are ever read.</summary>
public enum CatalogEntryState
{
    Published,

    /// <summary>Reopened for correction at its origin (a new record version in review): out of the directory until republished.</summary>
    Revising,

    /// <summary>Withdrawn at its origin: out of the directory everywhere it showed.</summary>
    Withdrawn,
}

/// <summary>
/// One entry of the published catalogue (资源目录, §4.5.2 a), as the directory read model keeps it: what
/// <see cref="ResourcePublished"/> carried, keyed by (origin node, resource id) so that entries replicated from other
/// nodes sit beside this node's own. A row outlives its withdrawal as a tombstone holding the version, so that a late
/// or redelivered older fact never brings a withdrawn entry back (idempotent on origin, id and record version).
/// </summary>
public sealed class CatalogEntry
{
    public required string OriginNode { get; init; }
    public required Guid ResourceId { get; init; }
    public int RecordVersion { get; private set; }
    public CatalogEntryState State { get; private set; }

    public string Kind { get; private set; } = "ImagingStudy";
    public string Title { get; private set; } = "";
    public string? Abstract { get; private set; }
    public List<string> Keywords { get; private set; } = [];
    public string? ResourceIdentifier { get; private set; }

    /// <summary>安全限制分级 code; null or unknown is seen by nobody (fail closed, <c>CallerScope</c>).</summary>
    public string? SecurityClassification { get; private set; }
    public string? Institution { get; private set; }
    public string? InstitutionName { get; private set; }

    /// <summary>The full dotted code and its 类目 / 亚目 prefixes, each a column so that a filter at any level is an index lookup.</summary>
    public string? ClassificationCode { get; private set; }
    public string? Category { get; private set; }
    public string? Subcategory { get; private set; }

    public List<string> Modalities { get; private set; } = [];
    public List<string> BodyParts { get; private set; } = [];
    public DateOnly? StudyDate { get; private set; }
    public string? StudyInstanceUid { get; private set; }
    public string? StudyDescription { get; private set; }
    public int SeriesCount { get; private set; }
    public int InstanceCount { get; private set; }
    public long TotalSizeBytes { get; private set; }
    public string? PatientPseudonym { get; private set; }
    public string Format { get; private set; } = "DICOM";
    public string? OnlineResourceLink { get; private set; }

    /// <summary>Every metadata value, keyed by element id: each metadata set answers with its own elements.</summary>
    public Dictionary<string, string> Values { get; private set; } = [];
    public List<PublishedSeries> Series { get; private set; } = [];

    /// <summary>For an entry replicated from another node: the nodes it came through, origin first (ADR 0032); empty for own entries.</summary>
    public List<string> ReplicationPath { get; private set; } = [];

    /// <summary>For a replicated entry: unconditional, or conditional (its data only after the origin approves a request).</summary>
    public string? SharedAs { get; private set; }

    public DateTimeOffset PublishedAt { get; private set; }
    public string? PublishedBy { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; } = DateTimeOffset.UtcNow;

    /// <summary>The catalogue's search tokens of the entry's text, weighted by field (ADR 0025); written with every publication.</summary>
    public NpgsqlTsVector SearchVector { get; private set; } = NpgsqlTsVector.Empty;

    public bool IsVisible => State == CatalogEntryState.Published;

    /// <summary>A new row from a publication.</summary>
    public static CatalogEntry From(ResourcePublished e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var entry = new CatalogEntry { OriginNode = e.OriginNode, ResourceId = e.ResourceId };
        entry.Take(e);
        return entry;
    }

    /// <summary>
    /// Applies a publication; false (nothing changes) when the row already holds a later version, or this version was
    /// withdrawn. A version reopened for correction (<see cref="CatalogEntryState.Revising"/>) is republished under the same number.
    /// </summary>
    public bool Apply(ResourcePublished e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.RecordVersion < RecordVersion) return false;
        if (e.RecordVersion == RecordVersion && State != CatalogEntryState.Revising) return false;
        Take(e);
        return true;
    }

    /// <summary>
    /// A rebuild writes what Registration holds as published now, whatever this row holds (a later version, a tombstone,
    /// a corrupted value): Registration is the truth (ADR 0024).
    /// </summary>
    public void Restore(ResourcePublished e)
    {
        ArgumentNullException.ThrowIfNull(e);
        Take(e);
    }

    /// <summary>The entry went back to cataloguing as version <paramref name="recordVersion"/>: hidden until that version is published.</summary>
    public bool ApplyRevision(int recordVersion, DateTimeOffset at) => Remove(recordVersion, CatalogEntryState.Revising, at, allowSameVersion: false);

    /// <summary>Withdrawn at version <paramref name="recordVersion"/>: hidden; a publication of that version or earlier never shows it again.</summary>
    public bool ApplyWithdrawal(int recordVersion, DateTimeOffset at) => Remove(recordVersion, CatalogEntryState.Withdrawn, at, allowSameVersion: true);

    /// <summary>A tombstone for a revision or withdrawal that arrived before anything else of the entry.</summary>
    public static CatalogEntry Tombstone(string originNode, Guid resourceId, int recordVersion, CatalogEntryState state, DateTimeOffset at) =>
        new() { OriginNode = originNode, ResourceId = resourceId, RecordVersion = recordVersion, State = state, UpdatedAt = at };

    private bool Remove(int recordVersion, CatalogEntryState state, DateTimeOffset at, bool allowSameVersion)
    {
        if (recordVersion < RecordVersion || (recordVersion == RecordVersion && !(allowSameVersion && State != CatalogEntryState.Withdrawn))) return false;
        RecordVersion = recordVersion;
        State = state;
        UpdatedAt = at;
        return true;
    }

    private void Take(ResourcePublished e)
    {
        RecordVersion = e.RecordVersion;
        State = CatalogEntryState.Published;
        Kind = e.Kind;
        Title = e.Title;
        Abstract = e.Abstract;
        Keywords = [.. e.Keywords];
        ResourceIdentifier = e.ResourceIdentifier;
        SecurityClassification = e.SecurityClassification;
        Institution = e.Institution;
        InstitutionName = e.InstitutionName;
        ClassificationCode = e.ClassificationCode;
        (Category, Subcategory) = Levels(e.ClassificationCode);
        Modalities = [.. e.Modalities];
        BodyParts = [.. e.BodyParts];
        StudyDate = e.StudyDate;
        StudyInstanceUid = e.StudyInstanceUid;
        StudyDescription = e.StudyDescription;
        SeriesCount = e.SeriesCount;
        InstanceCount = e.InstanceCount;
        TotalSizeBytes = e.TotalSizeBytes;
        PatientPseudonym = e.PatientPseudonym;
        Format = e.Format;
        OnlineResourceLink = e.OnlineResourceLink;
        Values = new Dictionary<string, string>(e.Values, StringComparer.Ordinal);
        Series = [.. e.Series];
        ReplicationPath = [.. e.ReplicationPath];
        SharedAs = e.SharedAs;
        PublishedAt = e.OccurredAt;
        PublishedBy = e.Actor;
        UpdatedAt = DateTimeOffset.UtcNow;
        SearchVector = SearchText.Vector(
            ([Title], NpgsqlTsVector.Lexeme.Weight.A),
            (Keywords, NpgsqlTsVector.Lexeme.Weight.B),
            ([Abstract, StudyDescription], NpgsqlTsVector.Lexeme.Weight.C),
            ([InstitutionName, .. Modalities], NpgsqlTsVector.Lexeme.Weight.D));
    }

    /// <summary>"2.2.1" → ("2", "2.2"): the 类目 and 亚目 codes of a full code.</summary>
    public static (string? Category, string? Subcategory) Levels(string? fullCode)
    {
        if (string.IsNullOrWhiteSpace(fullCode)) return (null, null);
        var arcs = fullCode.Split('.');
        return (arcs[0], arcs.Length >= 2 ? $"{arcs[0]}.{arcs[1]}" : null);
    }
}
