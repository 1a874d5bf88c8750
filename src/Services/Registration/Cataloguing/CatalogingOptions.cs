using MedImaging.Registration.Domain;

namespace MedImaging.Registration.Cataloguing;

/// <summary>
/// Default rules of automatic cataloguing (<c>Registration:Cataloguing</c>): the security classification (§4.7.2.18)
/// and the charge sign (§4.7.2.20) of a new entry. A rule applies when all the conditions it names hold.
/// </summary>
public sealed class CatalogingOptions
{
    public string DefaultSecurityClassification { get; set; } = "internal";

    /// <summary>The most restrictive matching rule wins.</summary>
    public List<CatalogingRule> SecurityRules { get; set; } = [];

    public bool DefaultChargeSign { get; set; }

    /// <summary>The first matching rule wins.</summary>
    public List<CatalogingRule> ChargeRules { get; set; } = [];

    public string? Problem()
    {
        if (!MetadataElements.SecurityLevels.Contains(DefaultSecurityClassification))
            return $"Registration:Cataloguing:DefaultSecurityClassification '{DefaultSecurityClassification}' is not one of {string.Join(", ", MetadataElements.SecurityLevels)}.";
        for (var i = 0; i < SecurityRules.Count; i++)
            if (SecurityRules[i].Level is not { } level || !MetadataElements.SecurityLevels.Contains(level))
                return $"Registration:Cataloguing:SecurityRules:{i}:Level '{SecurityRules[i].Level}' is not one of {string.Join(", ", MetadataElements.SecurityLevels)}.";
        for (var i = 0; i < ChargeRules.Count; i++)
            if (ChargeRules[i].Charge is null) return $"Registration:Cataloguing:ChargeRules:{i}:Charge must be true or false.";
        return null;
    }
}

/// <summary>Conditions (modality code, classification code prefix, resource kind) and what the rule assigns.</summary>
public sealed class CatalogingRule
{
    public string? Modality { get; set; }
    public string? CategoryPrefix { get; set; }
    public ResourceKind? Kind { get; set; }
    public string? Level { get; set; }
    public bool? Charge { get; set; }

    public bool Matches(ResourceKind kind, IReadOnlyCollection<string> modalities, string? categoryCode) =>
        (Kind is null || Kind == kind)
        && (Modality is null || modalities.Contains(Modality, StringComparer.OrdinalIgnoreCase))
        && (CategoryPrefix is null || (categoryCode is not null && (categoryCode == CategoryPrefix || categoryCode.StartsWith(CategoryPrefix + ".", StringComparison.Ordinal))));

    public string Describe() => string.Join(", ", new[]
    {
        Kind is null ? null : $"kind={Kind}", Modality is null ? null : $"modality={Modality}", CategoryPrefix is null ? null : $"category {CategoryPrefix}.*",
    }.OfType<string>());
}
