using System.Globalization;
using System.Text;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Node;

namespace MedImaging.Registration.Cataloguing;

/// <summary>
/// The institutions this node catalogues for (tier file <c>institutions</c>): who is 负责方 (§4.7.2.10–16) of a study.
/// A study is matched on its DICOM InstitutionName before that name goes to the PHI vault; only the code is kept.
/// </summary>
public sealed class InstitutionRegistry(ServiceHostContext host)
{
    private readonly Dictionary<string, InstitutionDescriptor> _byName = Index(host.Node?.Institutions ?? []);

    public IReadOnlyList<InstitutionDescriptor> All => host.Node?.Institutions ?? [];

    /// <summary>The institution whose name or DICOM spelling this is (case, width and spacing ignored), else null.</summary>
    public InstitutionDescriptor? Match(string? institutionName)
        => string.IsNullOrWhiteSpace(institutionName) ? null : _byName.GetValueOrDefault(Normalise(institutionName));

    public InstitutionDescriptor? Find(string? code)
        => string.IsNullOrWhiteSpace(code) ? null : All.FirstOrDefault(i => string.Equals(i.Code, code.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The institution the node file says this adapter (OAuth client id) pushes for (tier file <c>adapters</c>), else null.</summary>
    public InstitutionDescriptor? ForAdapter(string? adapter)
        => adapter is not null && host.Node?.Adapters.GetValueOrDefault(adapter)?.Institution is { } code ? Find(code) : null;

    private static Dictionary<string, InstitutionDescriptor> Index(IReadOnlyList<InstitutionDescriptor> institutions)
    {
        var index = new Dictionary<string, InstitutionDescriptor>(StringComparer.Ordinal);
        foreach (var i in institutions)
            foreach (var name in i.DicomNames.Append(i.Name.Zh).Append(i.Name.En).Where(n => !string.IsNullOrWhiteSpace(n)))
                index.TryAdd(Normalise(name), i);
        return index;
    }

    // Modalities write the same hospital as "HEBEI  GENERAL HOSPITAL", "Hebei General Hospital" or in full-width forms.
    private static string Normalise(string name)
    {
        var folded = name.Normalize(NormalizationForm.FormKC).ToUpper(CultureInfo.InvariantCulture);
        return string.Join(' ', folded.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }
}
