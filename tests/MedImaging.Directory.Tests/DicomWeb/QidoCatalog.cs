using System.Net.Http.Headers;
using System.Text.Json;
using MedImaging.Contracts.Registration;
using MedImaging.ServiceDefaults.Auth;

namespace MedImaging.Directory.Tests.DicomWeb;

/// <summary>
/// One Directory node for the QIDO-RS tests, with a small catalogue published once through the real read-model writer:
/// studies at every clearance, of two institutions, with Chinese names and descriptions, a full-width description and a
/// hand-catalogued dataset without a Study UID.
/// </summary>
public sealed class QidoCatalog : IAsyncLifetime
{
    public const string SecondInstitution = "12130000401705668N";

    public DirectoryNode Node { get; private set; } = null!;

    /// <summary>Public, first institution (河北医科大学第二医院), 2025-03-14, CT, two series, a DICOMweb retrieve link.</summary>
    public ResourcePublished ChestCt { get; private set; } = null!;

    /// <summary>Public, second institution (河北省人民医院), 2025-01-05, MR.</summary>
    public ResourcePublished HeadMr { get; private set; } = null!;

    /// <summary>Public, first institution, 2025-03-31, description in full-width Latin (ＣＴ).</summary>
    public ResourcePublished FullWidth { get; private set; } = null!;

    /// <summary>Internal, first institution (河北医科大学第三医院), 2025-06-30, CT and PT.</summary>
    public ResourcePublished Internal { get; private set; } = null!;

    /// <summary>Restricted, second institution, 2024-12-31, CT.</summary>
    public ResourcePublished Restricted { get; private set; } = null!;

    /// <summary>Public dataset catalogued by hand: no Study UID, never a QIDO-RS study.</summary>
    public ResourcePublished Dataset { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Node = await DirectoryNode.CreateAsync();
        ChestCt = Study("胸部CT平扫 肺结节随访", "1.2.156.600.1.1", SecurityLevels.Public, Node.FirstInstitution, "河北医科大学第二医院", new(2025, 3, 14), ["CT"]) with
        {
            OnlineResourceLink = "https://pacs.hb2h.example.cn/dicomweb/studies/1.2.156.600.1.1",
            SeriesCount = 2, InstanceCount = 300,
            Series =
            [
                new PublishedSeries { SeriesInstanceUid = "1.2.156.600.1.1.2", Modality = "CT", BodyPartExamined = "LUNG", SeriesDescription = "肺窗 1mm", SeriesNumber = 2, InstanceCount = 180 },
                new PublishedSeries { SeriesInstanceUid = "1.2.156.600.1.1.1", Modality = "CT", BodyPartExamined = "CHEST", SeriesDescription = "胸部平扫 5mm", SeriesNumber = 1, InstanceCount = 120 },
            ],
        };
        HeadMr = Study("头颅MR增强", "1.2.156.600.1.2", SecurityLevels.Public, SecondInstitution, "河北省人民医院", new(2025, 1, 5), ["MR"]);
        FullWidth = Study("ＣＴ Chest Routine", "1.2.156.600.1.6", SecurityLevels.Public, Node.FirstInstitution, "河北医科大学第二医院", new(2025, 3, 31), ["CT"]);
        Internal = Study("腹部CT增强 内部", "1.2.156.600.1.3", SecurityLevels.Internal, Node.FirstInstitution, "河北医科大学第三医院", new(2025, 6, 30), ["CT", "PT"]);
        Restricted = Study("受限 胸部CT", "1.2.156.600.1.4", SecurityLevels.Restricted, SecondInstitution, "河北医科大学附属医院", new(2024, 12, 31), ["CT"]) with
        {
            Series = [new PublishedSeries { SeriesInstanceUid = "1.2.156.600.1.4.1", Modality = "CT", SeriesNumber = 1, InstanceCount = 10 }],
        };
        Dataset = Node.Published("河北医科大学 肺结节数据集") with { Kind = "Dataset", InstitutionName = "河北医科大学第二医院", StudyDescription = "胸部CT平扫 数据集" };
        await Node.ApplyAsync(ChestCt, HeadMr, FullWidth, Internal, Restricted, Dataset);
    }

    public async Task DisposeAsync() => await Node.DisposeAsync();

    private ResourcePublished Study(string description, string uid, string classification, string institution, string institutionName, DateOnly date, string[] modalities) =>
        Node.Published(description, classification, institution) with
        {
            StudyDescription = description, StudyInstanceUid = uid, InstitutionName = institutionName, StudyDate = date, Modalities = modalities,
            PatientPseudonym = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(uid)))[..32],
            SeriesCount = 1, InstanceCount = 40,
        };

    /// <summary>An anonymous client (no token) unless a clearance is given.</summary>
    public HttpClient Client(string? clearance = null, string? institution = null, params string[] roles)
    {
        var client = clearance is null ? Node.Directory.CreateClient() : Node.Client(clearance, institution, roles);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/dicom+json"));
        return client;
    }

    /// <summary>GET and parse a DICOM JSON answer, failing with the body when the status is not 200.</summary>
    public static async Task<JsonElement[]> QidoAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/dicom+json", response.Content.Headers.ContentType?.MediaType);
        return [.. JsonDocument.Parse(body).RootElement.EnumerateArray()];
    }

    /// <summary>The first value of a tag as a string (PN: its Alphabetic group), or null when it has none.</summary>
    public static string? Value(JsonElement dataset, string tag)
    {
        if (!dataset.TryGetProperty(tag, out var a) || !a.TryGetProperty("Value", out var values) || values.GetArrayLength() == 0) return null;
        var v = values[0];
        return v.ValueKind switch
        {
            JsonValueKind.Object => v.GetProperty("Alphabetic").GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => v.GetString(),
        };
    }

    public static string[] Uids(IEnumerable<JsonElement> datasets) => [.. datasets.Select(d => Value(d, "0020000D")!).Order(StringComparer.Ordinal)];

    public static string[] Sorted(params ResourcePublished[] entries) => [.. entries.Select(e => e.StudyInstanceUid!).Order(StringComparer.Ordinal)];
}
