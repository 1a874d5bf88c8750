using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;

namespace MedImaging.Registration.Tests;

/// <summary>
/// A test node with entries of every classification at each of its two institutions (catalogued by hand; the even levels
/// registered, so that the review queue holds some), and three ingested studies: one pushed by the adapter mapped to
/// institution A, two by an adapter mapped to none (one of them matched to institution B by its InstitutionName, one
/// with no institution at all).
/// </summary>
public sealed class ClearanceNode : IAsyncLifetime
{
    /// <summary>The first institution of hebei.json; the node file maps adapter <see cref="RegistrationNode.MappedAdapter"/> to it.</summary>
    public const string A = RegistrationNode.MappedAdapterInstitutionCode;

    /// <summary>The test node's extra institution.</summary>
    public const string B = RegistrationNode.TestInstitutionCode;

    public const string UnmappedAdapter = "pacs-a";

    public static readonly string[] Levels = ["public", "internal", "restricted", "confidential"];

    public RegistrationNode Node { get; } = new();

    /// <summary>Each batch the adapters pushed: id and adapter.</summary>
    public List<(Guid Id, string Adapter)> Batches { get; } = [];

    public async Task InitializeAsync()
    {
        await Node.InitializeAsync();
        var cataloguer = Node.Client("seed-cat", Roles.Cataloguer);
        foreach (var institution in new[] { A, B })
            for (var level = 0; level < Levels.Length; level++)
            {
                var id = await CreateAsync(cataloguer, institution, Levels[level], $"{institution} {Levels[level]}");
                if (level % 2 == 0)
                {
                    var registered = await cataloguer.PostAsJsonAsync($"/resources/{id}/register", new { });
                    Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());
                }
            }
        await PushAsync("charset_files/chrX1.dcm", RegistrationNode.MappedAdapter); // → A by the adapter mapping
        await PushAsync("CT_small.dcm", UnmappedAdapter);                          // → B by its InstitutionName
        await PushAsync("charset_files/chrH31.dcm", UnmappedAdapter);              // → no institution
    }

    public Task DisposeAsync() => Node.DisposeAsync();

    /// <summary>A dataset catalogued by hand for <paramref name="institution"/> with the given 安全限制分级; its id.</summary>
    public static async Task<Guid> CreateAsync(HttpClient client, string? institution, string level, string title)
    {
        var response = await client.PostAsJsonAsync("/resources", new { kind = "dataset", values = Dataset(title, level), institution });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return Guid.Parse(JsonNode.Parse(body)!["id"]!.ToString());
    }

    public static Dictionary<string, string> Dataset(string title, string level) => new()
    {
        ["resourceTitle"] = $"肺结节低剂量CT筛查研究数据集 {title}",
        ["categoryCode"] = "2.2.1",
        ["keyword"] = "肺结节;低剂量CT",
        ["abstract"] = "低剂量胸部CT筛查的去标识化体数据与结节标注。",
        ["dataFormat"] = "NIfTI;CSV",
        ["onlineResourceLink"] = "https://data.example.cn/datasets/lung-ldct",
        ["securityClassification"] = level,
    };

    private async Task PushAsync(string file, string adapter)
    {
        var response = await Node.Host.CreateClient().WithToken(TestTokens.Create(Node.Node, adapter, Roles.Adapter))
            .PostAsync("/dicomweb/studies", Stow.Content(Corpus.Bytes(file)));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Batches.Add((Guid.Parse(response.Headers.GetValues("X-Acquisition-Batch").Single()), adapter));
    }

    /// <summary>
    /// What the database holds, read from the entries' JSON values (not from the columns the service filters on): id,
    /// state, securityClassification and organizationCode.
    /// </summary>
    public async Task<List<Entry>> EntriesAsync()
    {
        var rows = await Node.StringsAsync("""
            SELECT json_build_object('id', id, 'state', state, 'values', values)::text FROM registration.resources ORDER BY id
            """);
        return [.. rows.Select(r => JsonNode.Parse(r)!).Select(r => new Entry(Guid.Parse(r["id"]!.ToString()), r["state"]!.ToString(),
            Value(r, "securityClassification"), Value(r, "organizationCode")))];
    }

    private static string? Value(JsonNode row, string element)
        => row["values"]!.AsArray().FirstOrDefault(v => v!["element"]!.ToString() == element)?["value"]?.ToString();

    public sealed record Entry(Guid Id, string State, string? Classification, string? Institution);

    /// <summary>The visibility rule written out for the test: rank of the code at or below the clearance; own institution when bound.</summary>
    public static bool Sees(string clearance, string? callerInstitution, Entry entry)
    {
        var rank = Array.IndexOf(Levels, entry.Classification ?? "");
        return rank >= 0 && rank <= Array.IndexOf(Levels, clearance) && (callerInstitution is null || callerInstitution == entry.Institution);
    }
}
