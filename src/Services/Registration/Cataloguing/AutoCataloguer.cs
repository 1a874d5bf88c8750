using MedImaging.Registration.Domain;
using MedImaging.ServiceDefaults.Node;
using Microsoft.Extensions.Options;
using static MedImaging.Registration.Domain.CatalogingRules;
using E = MedImaging.Registration.Domain.MetadataElements;

namespace MedImaging.Registration.Cataloguing;

/// <summary>
/// Automatic cataloguing (§4.8.2 b) beyond what DICOM alone says: classification through the Metadata service's
/// mapping, 负责方 from the node's institution registry, default security classification and charge sign by rule.
/// Every value carries the rule that produced it; a cataloguer's value is never overwritten.
/// </summary>
public sealed class AutoCataloguer(IOptions<CatalogingOptions> options, InstitutionRegistry institutions, IMetadataService metadata, ClassificationMemo memo)
{
    /// <summary>The rules that need no other service: DICOM values, point of contact, title, security, charge.</summary>
    public IEnumerable<AssignedValue> Local(Resource resource, Study? study)
    {
        var values = new List<AssignedValue>();
        var contact = PointOfContact(study).ToList();
        // The title names the 负责方: a cataloguer's, else the one assigned here.
        var institution = resource.Values.FirstOrDefault(v => v.Element == E.OrganizationName && v.Source == ValueSource.Manual)?.Value
            ?? contact.FirstOrDefault(v => v.Element == E.OrganizationName)?.Value;
        if (study is not null) values.AddRange(Derive(study, institution));
        values.AddRange(contact);

        var modalities = (values.FirstOrDefault(v => v.Element == E.Modality)?.Value ?? resource.Value(E.Modality) ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var category = resource.Value(E.CategoryCode);
        var o = options.Value;

        var security = o.SecurityRules.Select((r, i) => (Rule: r, Index: i)).Where(x => x.Rule.Matches(resource.Kind, modalities, category))
            .OrderByDescending(x => Level(x.Rule.Level!)).FirstOrDefault();
        values.Add(security.Rule is { } s
            ? Auto(E.SecurityClassification, s.Level!, $"security = {s.Level} by rule Registration:Cataloguing:SecurityRules:{security.Index} ({s.Describe()})")
            : Auto(E.SecurityClassification, o.DefaultSecurityClassification, $"security = default {o.DefaultSecurityClassification} (Registration:Cataloguing:DefaultSecurityClassification)"));

        var charge = o.ChargeRules.Select((r, i) => (Rule: r, Index: i)).FirstOrDefault(x => x.Rule.Matches(resource.Kind, modalities, category));
        values.Add(charge.Rule is { } c
            ? Auto(E.ChargeSign, Bool(c.Charge!.Value), $"charge = {Bool(c.Charge!.Value)} by rule Registration:Cataloguing:ChargeRules:{charge.Index} ({c.Describe()})")
            : Auto(E.ChargeSign, Bool(o.DefaultChargeSign), $"charge = default {Bool(o.DefaultChargeSign)} (Registration:Cataloguing:DefaultChargeSign)"));
        return values;
    }

    /// <summary>
    /// 负责方 of a study: the institution its InstitutionName matched; else, since many PACS send none, the one the node
    /// file names for the adapter that pushed it. Ingest keeps only the matched code, so the adapter is looked up here.
    /// </summary>
    private IEnumerable<AssignedValue> PointOfContact(Study? study)
    {
        if (study?.InstitutionCode is { } code && institutions.Find(code) is { } named)
            return PointOfContact(named, "matched on the study's InstitutionName (0008,0080)");
        if (study is not null && institutions.ForAdapter(study.SourceAdapter) is { } pushedFor)
            return PointOfContact(pushedFor, $"matched by adapter {study.SourceAdapter} (tier file adapters), the study's InstitutionName being absent or unknown");
        return [];
    }

    /// <summary>The 负责方 elements of an institution of the registry.</summary>
    public static IEnumerable<AssignedValue> PointOfContact(InstitutionDescriptor institution, string how)
    {
        var rule = $"负责方 = institution {institution.Code} of the node's registry (tier file institutions), {how}";
        yield return Auto(E.OrganizationName, institution.Name.Zh, rule);
        yield return Auto(E.OrganizationCode, institution.Code, rule);
        if (institution.Email is { Length: > 0 } email) yield return Auto(E.ElectronicMailAddress, email, rule);
        if (institution.Phone is { Length: > 0 } phone) yield return Auto(E.ContactNumber, phone, rule);
        if (institution.Address is { Length: > 0 } address) yield return Auto(E.ContactAddress, address, rule);
        if (institution.Postcode is { Length: > 0 } postcode) yield return Auto(E.ZipCode, postcode, rule);
    }

    /// <summary>
    /// Everything: classification through the Metadata service (a study by its DICOM attributes; the names of whatever
    /// code the entry carries), asked afresh, then the local rules, some of which depend on the category.
    /// </summary>
    public async Task ApplyAsync(Resource resource, Study? study, IReadOnlyList<string?> seriesDescriptions, string bearerToken, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var scheme = memo.Remember(await metadata.SchemeAsync(bearerToken, ct));
        ClassifyResult? result = null;
        if (resource.Kind == ResourceKind.ImagingStudy)
        {
            var input = ClassifyInput.For(resource, study, seriesDescriptions);
            result = await metadata.ClassifyAsync(input, bearerToken, ct);
            memo.Remember(input, result);
        }
        resource.ApplyAutomatic(Classification(resource, scheme, result, null));
        resource.ApplyAutomatic(Local(resource, study));
    }

    /// <summary>
    /// Ingest's writer: the classification values from the memo's answers, or null when the memo has none for this study
    /// (it is then classified after the commit). The local rules are applied first, so the input is the entry's own.
    /// </summary>
    public (IReadOnlyList<AssignedValue> Values, SchemeView Scheme)? FromMemo(Resource resource, Study study, IEnumerable<string?> seriesDescriptions)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return memo.Cached(ClassifyInput.For(resource, study, seriesDescriptions)) is { } hit
            ? (Classification(resource, hit.Scheme, hit.Result, null), hit.Scheme)
            : null;
    }

    /// <summary>
    /// The classification values the scheme gives an entry: scheme code and name, the mapping's code for a study, and the
    /// names of the code the entry will carry (a cataloguer's, else the mapping's, else the one it has). <paramref name="why"/>
    /// is appended to each rule when a re-derivation, not a cataloguing step, asks.
    /// </summary>
    public static IReadOnlyList<AssignedValue> Classification(Resource resource, SchemeView scheme, ClassifyResult? result, string? why)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(scheme);
        string Rule(string rule) => why is null ? rule : $"{rule}; {why}";
        var schemeRule = Rule($"classification scheme of the Metadata service ({scheme.Code}, revision {scheme.Revision})");
        var classified = new List<AssignedValue>
        {
            Auto(E.CategorySchemeCode, scheme.Code, schemeRule),
            Auto(E.CategorySchemeName, scheme.NameZh, schemeRule),
        };
        var current = resource.Values.FirstOrDefault(v => v.Element == E.CategoryCode);
        var effective = current?.Value;
        if (resource.Kind == ResourceKind.ImagingStudy && result?.FullCode is { } code)
        {
            classified.Add(Auto(E.CategoryCode, code, Rule($"Metadata DICOM mapping ({scheme.Code} rev {scheme.Revision}): {string.Join(", ", result.MatchedRules)}")));
            if (current is not { Source: ValueSource.Manual }) effective = code;
        }
        // The names follow the code the entry carries, whether the mapping or a cataloguer chose it.
        if (effective is not null && scheme.PathTo(effective) is { Count: > 0 } path)
            classified.Add(Auto(E.CategoryName, string.Join(" / ", path.Select(n => n.NameZh)),
                Rule($"names of {effective} (类目/亚目/细目) in scheme {scheme.Code} rev {scheme.Revision}")));
        return classified;
    }

    /// <summary>The same, asking the mapping through <paramref name="classify"/> (re-classification memoises its answers).</summary>
    public static async Task<IReadOnlyList<AssignedValue>> ClassificationAsync(Resource resource, Study? study, IReadOnlyList<string?> seriesDescriptions,
        SchemeView scheme, Func<ClassifyInput, CancellationToken, Task<ClassifyResult>> classify, string? why, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(classify);
        var result = resource.Kind == ResourceKind.ImagingStudy ? await classify(ClassifyInput.For(resource, study, seriesDescriptions), ct) : null;
        return Classification(resource, scheme, result, why);
    }

    private static int Level(string level) => MetadataElements.SecurityLevels.ToList().IndexOf(level);

    private static string Bool(bool value) => value ? "true" : "false";
}
