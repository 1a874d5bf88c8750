using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;
using Npgsql;

namespace MedImaging.Metadata.Tests;

/// <summary>One node (own database and vhost) with the Metadata host per test class; clients for an admin and a cataloguer.</summary>
public sealed class MetadataFixture : IAsyncLifetime
{
    public NodeTestEnvironment Node { get; private set; } = null!;
    public ServiceFactory<MetadataServiceMarker> Factory { get; private set; } = null!;
    public HttpClient Admin { get; private set; } = null!;
    public HttpClient Reader { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Node = await NodeTestEnvironment.CreateAsync();
        Factory = new ServiceFactory<MetadataServiceMarker>(Node);
        Admin = Factory.CreateClient().WithToken(TestTokens.Create(Node, "meta-admin", Roles.Admin));
        Reader = Factory.CreateClient().WithToken(TestTokens.Create(Node, "cataloguer-1", Roles.Cataloguer));
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Node.DisposeAsync();
    }

    public string OidRoot => Node.Node["oidRoot"]!.GetValue<string>();
    public string AdministrativeCode => Node.Node["administrativeCode"]!.GetValue<string>();

    public async Task<string> IssueAsync(string classificationCode = "2.2.2")
    {
        var response = await Admin.PostAsJsonAsync("/identifiers", new { classificationCode, reason = "test" });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["oid"]!.GetValue<string>();
    }

    /// <summary>A complete, conforming record of the seeded basic set.</summary>
    public static JsonObject BasicRecord(string oid) => new()
    {
        ["resourceId"] = oid,
        ["resourceTitle"] = "胸部CT增强检查影像",
        ["resourceCategory"] = new JsonArray(new JsonObject
        {
            ["categorySchemeName"] = "医学影像学大数据资源分类方案",
            ["categorySchemeCode"] = "imaging",
            ["categoryName"] = "增强扫描",
            ["categoryCode"] = "2.2.2",
        }),
        ["keyword"] = new JsonArray("CT", "胸部"),
        ["abstract"] = "一例胸部增强CT检查",
        ["pointOfContact"] = new JsonObject
        {
            ["organizationName"] = "河北医科大学第二医院",
            ["electronicMailAddress"] = "pacs@example.org",
            ["zipCode"] = "050000",
        },
        ["dataFormat"] = new JsonArray("DICOM"),
        ["securityClassification"] = "internal",
        ["chargeSign"] = false,
    };

    public async Task<long> ScalarAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(Node.PostgresConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
