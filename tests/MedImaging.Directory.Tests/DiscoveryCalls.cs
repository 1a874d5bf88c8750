using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MedImaging.Contracts.Registration;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using StackExchange.Redis;

namespace MedImaging.Directory.Tests;

/// <summary>The discovery interface's calls as a client makes them, and what the tests look at behind them (Redis keys, outbox rows).</summary>
public static class DiscoveryCalls
{
    public static async Task<string> OpenSessionAsync(this HttpClient client)
    {
        var response = await client.PostAsync("/sessions", null);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    /// <summary>A search that must succeed: its answer (resultSetId, hits, size, capped, expiresAt).</summary>
    public static async Task<JsonObject> SearchAsync(this HttpClient client, string session, object body)
    {
        var response = await client.PostAsJsonAsync($"/sessions/{session}/searches", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public static async Task<JsonObject> RetrieveAsync(this HttpClient client, string session, string resultSet, int position = 1, int count = 10, string elementSet = "brief")
    {
        var response = await client.GetAsync($"/sessions/{session}/result-sets/{resultSet}?position={position}&count={count}&elementSet={elementSet}");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public static IEnumerable<JsonObject> Records(this JsonObject retrieval) => retrieval["records"]!.AsArray().Select(r => r!.AsObject());

    public static string Str(this JsonNode? node) => node!.GetValue<string>();

    /// <summary>A client of the Directory host with a token for this subject (the fixture's clients are all "tester").</summary>
    public static HttpClient ClientAs(this DirectoryNode node, string subject, string clearance, string? institution = null) =>
        node.Directory.CreateClient().WithToken(TestTokens.CreateScoped(node.Node, subject, clearance, institution, Roles.Researcher));

    /// <summary>A client without a token.</summary>
    public static HttpClient Anonymous(this DirectoryNode node) => node.Directory.CreateClient();

    public static RedisKey SessionKey(this DirectoryNode node, string session) => $"medcat:{node.NodeId}:{node.Node.Database}:directory:session:{session}";

    public static RedisKey ResultSetKeys(this DirectoryNode node, string resultSet) => $"medcat:{node.NodeId}:{node.Node.Database}:directory:result-set:{resultSet}:keys";

    public static IDatabase Redis(this DirectoryNode node) => node.Directory.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();

    /// <summary>The audit events the Directory host wrote to its outbox with this action, as JSON.</summary>
    public static async Task<List<JsonObject>> AuditEventsAsync(this DirectoryNode node, string action)
    {
        await using var conn = new NpgsqlConnection(node.Node.PostgresConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT body::text FROM directory.outbox_messages WHERE message_type = 'MedImaging.Contracts.Audit.AuditEventRecorded' AND body->>'action' = $1 ORDER BY sequence", conn);
        cmd.Parameters.AddWithValue(action);
        await using var reader = await cmd.ExecuteReaderAsync();
        var list = new List<JsonObject>();
        while (await reader.ReadAsync()) list.Add(JsonNode.Parse(reader.GetString(0))!.AsObject());
        return list;
    }

    public static async Task<long> ScalarAsync(this DirectoryNode node, string sql)
    {
        await using var conn = new NpgsqlConnection(node.Node.PostgresConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A publication whose values make a complete record of the DICOM extension set (as Registration publishes one).</summary>
    public static ResourcePublished Complete(this DirectoryNode node, string title, string oid, string classification = SecurityLevels.Public)
    {
        var p = node.Published(title, classification);
        return p with
        {
            ResourceIdentifier = oid, Abstract = $"{title} 摘要", Keywords = ["胸部", "CT"], InstitutionName = "河北医科大学第二医院",
            StudyInstanceUid = "1.2.840.113619.2.55.3." + oid[(oid.LastIndexOf('.') + 1)..], SeriesCount = 2, InstanceCount = 240,
            OnlineResourceLink = "https://pacs.example.org/dicomweb/studies/1.2.3",
            Values = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["resourceId"] = oid, ["resourceTitle"] = title, ["categorySchemeName"] = "医学影像学大数据资源分类方案", ["categorySchemeCode"] = "imaging",
                ["categoryName"] = "平扫", ["categoryCode"] = "2.2.1", ["keyword"] = "胸部;CT", ["abstract"] = $"{title} 摘要",
                ["organizationName"] = "河北医科大学第二医院", ["organizationCode"] = node.FirstInstitution, ["electronicMailAddress"] = "pacs@example.org",
                ["dataFormat"] = "DICOM", ["securityClassification"] = classification, ["onlineResourceLink"] = "https://pacs.example.org/dicomweb/studies/1.2.3",
                ["chargeSign"] = "False", ["modality"] = "CT", ["bodyPartExamined"] = "CHEST", ["studyDate"] = "2025-03-14",
                ["studyInstanceUid"] = "1.2.840.113619.2.55.3", ["numberOfSeries"] = "2", ["numberOfInstances"] = "240", ["studyDescription"] = "胸部CT平扫",
            },
        };
    }
}
