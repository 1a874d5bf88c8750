using System.Diagnostics;
using System.Net;
using System.Text.Json;
using MedImaging.Contracts.Registration;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;
using Npgsql;

namespace MedImaging.Directory.Tests.Dcat;

/// <summary>
/// The DCAT-AP export read by rdflib (Debian's python3-rdflib) in both serialisations, page after page the way CKAN's
/// DCAT harvester follows them: every public entry appears once with its mapped elements, no other entry ever does,
/// whatever token the caller holds, and every page served is one audit record.
/// </summary>
public sealed class DcatExportTests : IAsyncLifetime
{
    private const string Python = "/usr/bin/python3";
    private DirectoryNode _node = null!;
    private ResourcePublished _chest = null!, _english = null!, _dataset = null!, _internal = null!, _restricted = null!;

    public async Task InitializeAsync()
    {
        _node = await DirectoryNode.CreateAsync();
        _chest = _node.Published("河北医科大学第二医院 胸部CT平扫 肺结节随访") with
        {
            ResourceIdentifier = "2.16.156.10011.2.9.1.1001", Abstract = "低剂量胸部CT，肺结节随访", Keywords = ["肺结节", "低剂量"],
            InstitutionName = "河北医科大学第二医院", StudyInstanceUid = "1.2.156.600.9.1", InstanceCount = 300, PatientPseudonym = "0123456789abcdef0123456789abcdef",
            OnlineResourceLink = "https://pacs.hb2h.example.cn/dicomweb/studies/1.2.156.600.9.1",
            Values = new Dictionary<string, string> { ["categoryName"] = "CT胸部平扫", ["categorySchemeCode"] = "DB13/T-2025", ["electronicMailAddress"] = "imaging@hb2h.example.cn" },
        };
        _english = _node.Published("Brain MR with contrast") with { ResourceIdentifier = "2.16.156.10011.2.9.1.1002", InstitutionName = "河北医科大学第二医院", Modalities = ["MR"] };
        _dataset = _node.Published("肺结节标注数据集") with { ResourceIdentifier = "2.16.156.10011.2.9.1.1003", Kind = "Dataset", Format = "NIfTI", StudyDate = null };
        _internal = _node.Published("内部条目 不得导出", SecurityLevels.Internal) with { ResourceIdentifier = "2.16.156.10011.2.9.1.2001" };
        _restricted = _node.Published("受限条目 不得导出", SecurityLevels.Restricted) with { ResourceIdentifier = "2.16.156.10011.2.9.1.2002" };
        await _node.ApplyAsync(_chest, _english, _dataset, _internal, _restricted);
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Theory]
    [InlineData(null)]
    [InlineData(SecurityLevels.Confidential)]
    public async Task A_harvester_following_the_pages_gets_every_public_entry_once_and_nothing_else(string? clearance)
    {
        using var client = clearance is null ? _node.Directory.CreateClient() : _node.Client(clearance, null, Roles.Admin);
        var datasets = new Dictionary<string, JsonElement>();
        string? path = "/dcat.ttl?pageSize=2";
        var pages = 0;
        while (path is not null)
        {
            var (summary, rawText) = await PageAsync(client, path);
            pages++;
            Assert.True(summary.GetProperty("isomorphic").GetBoolean(), $"Turtle and JSON-LD of {path} carry different triples");
            Assert.Equal(3, summary.GetProperty("totalItems").GetInt32());
            foreach (var hidden in new[] { _internal, _restricted })
            {
                Assert.DoesNotContain(hidden.Title, rawText, StringComparison.Ordinal);
                Assert.DoesNotContain(hidden.ResourceIdentifier!, rawText, StringComparison.Ordinal);
            }
            var inCatalog = summary.GetProperty("catalogDatasets").EnumerateArray().Select(d => d.GetString()!).ToList();
            foreach (var ds in summary.GetProperty("datasets").EnumerateObject())
            {
                Assert.Contains(ds.Name, inCatalog);
                Assert.True(datasets.TryAdd(ds.Value.GetProperty("identifier")[0].GetString()!, ds.Value), $"{ds.Name} on two pages");
            }
            var next = summary.GetProperty("next");
            Assert.Equal(next.ValueKind == JsonValueKind.Null ? null : next.GetString()!.Replace("/dcat.ttl", "/dcat.jsonld", StringComparison.Ordinal),
                summary.GetProperty("jsonldNext").GetString());
            // The links name the node's gateway (/api/directory/…); this test talks to the Directory host itself.
            path = next.ValueKind == JsonValueKind.Null ? null : next.GetString()![next.GetString()!.IndexOf("/dcat.ttl", StringComparison.Ordinal)..];
            Assert.True(pages <= 3, "the pages do not end");
        }
        Assert.Equal(2, pages);
        Assert.Equal(new[] { _chest, _english, _dataset }.Select(e => e.ResourceIdentifier!).Order(), datasets.Keys.Order());

        var chest = datasets[_chest.ResourceIdentifier!];
        Assert.Equal("[[\"河北医科大学第二医院 胸部CT平扫 肺结节随访\",\"zh\"]]", chest.GetProperty("title").GetRawText());
        Assert.Equal("[[\"低剂量胸部CT，肺结节随访\",\"zh\"]]", chest.GetProperty("description").GetRawText());
        Assert.Equal("[[\"CT\",null],[\"低剂量\",\"zh\"],[\"肺结节\",\"zh\"]]", chest.GetProperty("keyword").GetRawText());
        Assert.Equal("[\"http://publications.europa.eu/resource/authority/access-right/PUBLIC\"]", chest.GetProperty("accessRights").GetRawText());
        Assert.Equal("[[\"300\",\"http://www.w3.org/2001/XMLSchema#nonNegativeInteger\"]]", chest.GetProperty("numberOfRecords").GetRawText());
        Assert.Equal("[[\"1\",\"http://www.w3.org/2001/XMLSchema#nonNegativeInteger\"]]", chest.GetProperty("numberOfUniqueIndividuals").GetRawText());
        Assert.EndsWith("#dateTime", chest.GetProperty("issued")[0][1].GetString(), StringComparison.Ordinal);
        var theme = chest.GetProperty("theme")[0];
        Assert.Equal("[\"2.2.1\"]", theme.GetProperty("notation").GetRawText());
        Assert.Equal("[[\"CT胸部平扫\",\"zh\"]]", theme.GetProperty("prefLabel").GetRawText());
        var publisher = chest.GetProperty("publisher")[0];
        Assert.Contains("[\"河北医科大学第二医院\",\"zh\"]", publisher.GetProperty("name").GetRawText(), StringComparison.Ordinal);
        Assert.Contains("[\"The Second Hospital of Hebei Medical University\",\"en\"]", publisher.GetProperty("name").GetRawText(), StringComparison.Ordinal);
        Assert.Equal($"[\"{_node.FirstInstitution}\"]", publisher.GetProperty("identifier").GetRawText());
        var distribution = chest.GetProperty("distribution")[0];
        Assert.Equal($"[\"{_chest.OnlineResourceLink}\"]", distribution.GetProperty("accessURL").GetRawText());
        Assert.Equal("[\"https://www.iana.org/assignments/media-types/application/dicom\"]", distribution.GetProperty("format").GetRawText());
        Assert.Equal("[[\"2025-03-14\",\"http://www.w3.org/2001/XMLSchema#date\"]]", chest.GetProperty("temporal")[0].GetProperty("start").GetRawText());

        Assert.Equal("[[\"Brain MR with contrast\",\"en\"]]", datasets[_english.ResourceIdentifier!].GetProperty("title").GetRawText());
        Assert.Equal(0, datasets[_dataset.ResourceIdentifier!].GetProperty("distribution").GetArrayLength()); // no online link: no distribution

        // Two pages, each fetched as Turtle and as JSON-LD: four exports, four audit records.
        Assert.Equal(4L, await ExportAuditsAsync());
    }

    [Fact]
    public async Task The_catalogue_negotiates_Turtle_or_JSON_LD_and_refuses_other_types_and_bad_parameters()
    {
        using var client = _node.Directory.CreateClient();
        client.DefaultRequestHeaders.Accept.ParseAdd("application/ld+json");
        using var jsonld = await client.GetAsync("/dcat");
        Assert.Equal("application/ld+json", jsonld.Content.Headers.ContentType?.MediaType);
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(await jsonld.Content.ReadAsStringAsync()).RootElement.GetProperty("@graph").ValueKind);

        using var turtle = _node.Directory.CreateClient();
        turtle.DefaultRequestHeaders.Accept.ParseAdd("text/turtle");
        Assert.Equal("text/turtle", (await turtle.GetAsync("/dcat")).Content.Headers.ContentType?.MediaType);

        using var html = _node.Directory.CreateClient();
        html.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        Assert.Equal(HttpStatusCode.NotAcceptable, (await html.GetAsync("/dcat")).StatusCode);

        using var bad = await client.GetAsync("/dcat.ttl?pageSize=0");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("pageSize", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<(JsonElement Summary, string RawText)> PageAsync(HttpClient client, string path)
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("medcat-dcat-").FullName;
        try
        {
            var ttl = await client.GetStringAsync(path);
            var jsonld = await client.GetStringAsync(path.Replace("/dcat.ttl", "/dcat.jsonld", StringComparison.Ordinal));
            await File.WriteAllTextAsync(Path.Combine(dir, "page.ttl"), ttl);
            await File.WriteAllTextAsync(Path.Combine(dir, "page.jsonld"), jsonld);
            var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add(Path.Combine(RepositoryRoot.Path, "tests", "MedImaging.Directory.Tests", "Dcat", "dcat_summary.py"));
            psi.ArgumentList.Add(Path.Combine(dir, "page.ttl"));
            psi.ArgumentList.Add(Path.Combine(dir, "page.jsonld"));
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = await p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            Assert.True(p.ExitCode == 0, $"rdflib could not read {path}: {stderr}\n--- Turtle ---\n{ttl}\n--- JSON-LD ---\n{jsonld}");
            return (JsonDocument.Parse(await stdout).RootElement.Clone(), ttl + jsonld);
        }
        finally
        {
            System.IO.Directory.Delete(dir, recursive: true);
        }
    }

    private async Task<long> ExportAuditsAsync()
    {
        await using var conn = new NpgsqlConnection(_node.Node.PostgresConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM directory.outbox_messages WHERE body::jsonb->>'action' = 'catalogue-export' AND body::jsonb->'resource'->>'identifier' = 'dcat'", conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
