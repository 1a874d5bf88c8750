using System.Globalization;
using System.Numerics;
using MedImaging.Contracts.Registration;

namespace MedImaging.Directory.Bench.Generation;

/// <summary>
/// Synthetic published entries, as Registration would publish them (<see cref="ResourcePublished"/>, values keyed by the
/// metadata sets' element ids): entry <c>i</c> of a seed is always the same entry, computed from the seed and
/// <c>i</c> alone, so a catalogue of 1M entries can be grown from one of 100k and two runs load the same rows.
/// </summary>
public sealed partial class SyntheticCatalog
{
    private readonly IReadOnlyList<OriginNode> _nodes;
    private readonly (OriginNode Node, double Weight)[] _nodeWeights;
    private readonly ClassificationScheme _scheme;
    private readonly Vocabulary _words;
    private readonly int _seed;

    public SyntheticCatalog(IReadOnlyList<OriginNode> nodes, ClassificationScheme scheme, Vocabulary words, int seed)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        if (nodes.Count == 0) throw new ArgumentException("At least the node itself is needed.", nameof(nodes));
        _nodes = nodes;
        // The node's own entries are half the catalogue; its descendants' (replicated to it) share the other half.
        _nodeWeights = [.. nodes.Select((n, i) => (n, i == 0 ? Math.Max(1.0, nodes.Count - 1) : 1.0))];
        _scheme = scheme;
        _words = words;
        _seed = seed;
        CheckProfiles();
    }

    public IReadOnlyList<OriginNode> Nodes => _nodes;
    public Vocabulary Words => _words;

    /// <summary>Entry <paramref name="index"/> of this seed.</summary>
    public ResourcePublished Entry(long index)
    {
        var rng = Rng.For(_seed, index);
        var node = rng.Pick(_nodeWeights);
        // The first institutions of a registry are the big hospitals: more of the node's studies come from them.
        var institution = node.Institutions[rng.Zipf(node.Institutions.Count, 0.8)];
        var kind = rng.Pick(Profiles.Kinds);
        return kind == "ImagingStudy" ? Study(ref rng, index, node, institution) : HandCatalogued(ref rng, index, kind, node, institution);
    }

    /// <summary>Every profile's body parts and 细目 exist in the scheme: a generated code is always a real one.</summary>
    private void CheckProfiles()
    {
        foreach (var m in Profiles.All)
            foreach (var (bodyPart, _) in m.BodyParts)
                foreach (var (detail, _) in m.Details)
                {
                    var code = $"{m.Category}.{Profiles.Region[bodyPart]}.{detail}";
                    if (_scheme.Find(code) is null && !(m.Code == "PT" && _scheme.Find($"{m.Category}.{Profiles.Region[bodyPart]}.3") is not null))
                        throw new InvalidDataException($"modality {m.Code}, body part {bodyPart}: classification {code} is not in the scheme {_scheme.Code}");
                }
    }

    private ResourcePublished Study(ref Rng rng, long index, OriginNode node, Institution institution)
    {
        var m = rng.Pick(Profiles.Weighted);
        var bodyPart = rng.Pick(m.BodyParts);
        var companions = rng.Pick(m.Companions);
        var detail = m.Code == "PT" && companions.Contains("MR") ? "3" : rng.Pick(m.Details);
        var code = $"{m.Category}.{Profiles.Region[bodyPart]}.{detail}";
        var exam = _scheme.Find(code)!;
        var date = StudyDate(ref rng);
        var published = PublishedAt(ref rng, date);
        var (partZh, partEn) = Profiles.BodyPartNames[bodyPart];
        var region = Profiles.Region[bodyPart];
        var findings = Findings(ref rng, region);
        var modalities = (string[])[m.Code, .. companions];
        var description = Description(ref rng, m, partZh, partEn, exam, findings);
        var title = StudyTitle(ref rng, m, partZh, partEn, exam, description, findings, date, institution);
        var series = Series(ref rng, m, modalities, bodyPart, exam, out var studyUid);
        var instances = series.Sum(s => s.InstanceCount);
        var size = (long)instances * m.KbPerInstance * 1024L;
        var keywords = Keywords(ref rng, m, partZh, findings);
        var abstractText = StudyAbstract(ref rng, m, partZh, region, exam, findings, date, institution, series.Count, instances);
        var security = rng.Pick(Profiles.Security["ImagingStudy"]);
        var identifier = Identifier(node, code, index);
        var link = $"https://pacs.{node.NodeId}.example.cn/dicom-web/studies/{studyUid}";
        var values = BasicValues(identifier, title, exam, code, keywords, abstractText, institution, "DICOM", security, link, chargeSign: false);
        values["modality"] = string.Join(';', modalities);
        values["bodyPartExamined"] = bodyPart;
        values["studyDate"] = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        values["studyInstanceUid"] = studyUid;
        values["accessionNumberPseudonym"] = $"A{rng.NextUInt64() % 10_000_000_000UL:D10}";
        values["institutionName"] = institution.NameZh;
        values["numberOfSeries"] = series.Count.ToString(CultureInfo.InvariantCulture);
        values["numberOfInstances"] = instances.ToString(CultureInfo.InvariantCulture);
        values["totalSize"] = size.ToString(CultureInfo.InvariantCulture);
        values["manufacturer"] = rng.Pick(Profiles.Manufacturers);
        values["studyDescription"] = description;
        return new ResourcePublished
        {
            OriginNode = node.NodeId, ResourceId = ResourceId(ref rng, published), RecordVersion = 1, Actor = "cataloguer-" + institution.Code[^4..],
            OccurredAt = published, Title = title, ResourceIdentifier = identifier, Kind = "ImagingStudy", SecurityClassification = security,
            Keywords = keywords, Abstract = abstractText, Format = "DICOM", OnlineResourceLink = link, Modalities = modalities, BodyParts = [bodyPart],
            StudyDate = date, SeriesCount = series.Count, InstanceCount = instances, TotalSizeBytes = size,
            PatientPseudonym = $"P{rng.NextUInt64():X16}", Values = values, Institution = institution.Code, InstitutionName = institution.NameZh,
            ClassificationCode = code, StudyInstanceUid = studyUid, StudyDescription = description, Series = series,
        };
    }

    private static DateOnly StudyDate(ref Rng rng)
    {
        while (true)
        {
            var year = rng.Pick(Profiles.Years);
            var month = rng.Pick(Profiles.Months);
            var day = rng.Between(1, DateTime.DaysInMonth(year, month));
            var date = new DateOnly(year, month, day);
            if (date > Profiles.LastDay) continue;
            // Fewer studies at weekends: most are redrawn.
            if (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday && !rng.Chance(0.45)) continue;
            return date;
        }
    }

    /// <summary>Published a few days after the study (most within a week), in China's working hours, never after "now".</summary>
    private static DateTimeOffset PublishedAt(ref Rng rng, DateOnly date)
    {
        var lag = 1 + rng.Zipf(60, 1.3);
        var at = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(lag).AddSeconds(rng.Next(12 * 3600));
        var latest = new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero);
        return at < latest ? at : latest.AddSeconds(-1 - rng.Next(6 * 3600));
    }

    /// <summary>A version 7 GUID whose time is the publication's, the rest from the entry's generator (deterministic).</summary>
    private static Guid ResourceId(ref Rng rng, DateTimeOffset at)
    {
        Span<byte> b = stackalloc byte[16];
        var ms = (ulong)at.ToUnixTimeMilliseconds();
        for (var i = 0; i < 6; i++) b[i] = (byte)(ms >> (8 * (5 - i)));
        BitConverter.TryWriteBytes(b[6..], rng.NextUInt64());
        BitConverter.TryWriteBytes(b[8..], rng.NextUInt64());
        b[6] = (byte)(0x70 | (b[6] & 0x0F));
        b[8] = (byte)(0x80 | (b[8] & 0x3F));
        return new Guid(b, bigEndian: true);
    }

    /// <summary>资源标识符 (§2.12, §4.9.3): node root . administrative code . 类目 . 亚目 . 细目 . serial.</summary>
    private static string Identifier(OriginNode node, string code, long index) =>
        string.Create(CultureInfo.InvariantCulture, $"{node.OidRoot}.{node.AdministrativeCode}.{code}.{index + 1}");

    private static string StudyUid(ref Rng rng)
    {
        var value = new BigInteger(rng.NextGuid().ToByteArray(), isUnsigned: true);
        return "2.25." + value.ToString(CultureInfo.InvariantCulture);
    }

    private static List<PublishedSeries> Series(ref Rng rng, Profiles.Modality m, string[] modalities, string bodyPart, ClassificationScheme.Node exam,
        out string studyUid)
    {
        studyUid = StudyUid(ref rng);
        var count = rng.Between(m.Series.Min, m.Series.Max);
        var series = new List<PublishedSeries>(count + modalities.Length - 1);
        for (var s = 1; s <= count; s++)
            series.Add(new PublishedSeries
            {
                SeriesInstanceUid = $"{studyUid}.{s}", Modality = m.Code, BodyPartExamined = bodyPart, SeriesNumber = s,
                SeriesDescription = $"{exam.NameEn} {s}", InstanceCount = rng.Between(m.InstancesPerSeries.Min, m.InstancesPerSeries.Max),
            });
        foreach (var other in modalities.Skip(1))
            series.Add(new PublishedSeries
            {
                SeriesInstanceUid = $"{studyUid}.{series.Count + 1}", Modality = other, BodyPartExamined = bodyPart, SeriesNumber = series.Count + 1,
                SeriesDescription = other == "SR" ? "Dose report" : $"{other} for attenuation correction", InstanceCount = other == "SR" ? 1 : rng.Between(50, 300),
            });
        return series;
    }

    private Dictionary<string, string> BasicValues(string identifier, string title, ClassificationScheme.Node category, string code, IReadOnlyList<string> keywords,
        string abstractText, Institution institution, string format, string security, string? link, bool chargeSign)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["resourceId"] = identifier, ["resourceTitle"] = title, ["categorySchemeName"] = _scheme.NameZh, ["categorySchemeCode"] = _scheme.Code,
            ["categoryName"] = category.NameZh, ["categoryCode"] = code, ["keyword"] = string.Join(';', keywords), ["abstract"] = abstractText,
            ["organizationName"] = institution.NameZh, ["organizationCode"] = institution.Code, ["dataFormat"] = format,
            ["securityClassification"] = security, ["chargeSign"] = chargeSign ? "true" : "false",
        };
        if (institution.Email is { } email) values["electronicMailAddress"] = email;
        if (institution.Phone is { } phone) values["contactNumber"] = phone;
        if (institution.Address is { } address) values["contactAddress"] = address;
        if (institution.Postcode is { } postcode) values["zipCode"] = postcode;
        if (link is not null) values["onlineResourceLink"] = link;
        return values;
    }
}
