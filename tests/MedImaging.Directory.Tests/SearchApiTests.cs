using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MedImaging.ServiceDefaults.Auth;

namespace MedImaging.Directory.Tests;

/// <summary>The JSON search binding: parameters, facets, cursor paging, clearance, and 400s naming the parameter.</summary>
public sealed class SearchApiTests : IAsyncLifetime
{
    private DirectoryNode _node = null!;

    public async Task InitializeAsync()
    {
        _node = await DirectoryNode.CreateAsync();
        await _node.ApplyAsync(
            _node.Published("胸部CT平扫 肺结节随访", SecurityLevels.Public) with { Modalities = ["CT"] },
            _node.Published("头颅MR平扫", SecurityLevels.Public) with { Modalities = ["MR"], BodyParts = ["HEAD"], ClassificationCode = "3.1.1" },
            _node.Published("胸部CT增强 内部", SecurityLevels.Internal) with { Modalities = ["CT"] },
            _node.Published("胸部CT 受限", SecurityLevels.Restricted) with { Modalities = ["CT"] });
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Anonymous_callers_find_public_entries_with_facets_and_page_through_them_by_cursor()
    {
        using var anonymous = _node.Directory.CreateClient();
        var first = await anonymous.GetFromJsonAsync<JsonElement>("/search?q=平扫&facets=modality,securityClassification&limit=1&sort=title");
        Assert.Equal(2, first.GetProperty("total").GetInt64());
        Assert.Single(first.GetProperty("items").EnumerateArray());
        var modalities = first.GetProperty("facets").GetProperty("modality").EnumerateArray().Select(f => f.GetProperty("value").GetString()!).Order().ToArray();
        Assert.Equal(["CT", "MR"], modalities);
        Assert.Equal(["public"], first.GetProperty("facets").GetProperty("securityClassification").EnumerateArray().Select(f => f.GetProperty("value").GetString()!).ToArray());
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await anonymous.GetFromJsonAsync<JsonElement>($"/search?q=平扫&limit=1&sort=title&cursor={Uri.EscapeDataString(cursor!)}");
        Assert.NotEqual(first.GetProperty("items")[0].GetProperty("resourceId").GetGuid(), second.GetProperty("items")[0].GetProperty("resourceId").GetGuid());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task A_token_widens_what_is_seen_up_to_its_clearance()
    {
        using var internalStaff = _node.Client(SecurityLevels.Internal);
        var answer = await internalStaff.GetFromJsonAsync<JsonElement>("/search?q=胸部&facets=securityClassification");
        Assert.Equal(2, answer.GetProperty("total").GetInt64());
        Assert.DoesNotContain("restricted", answer.GetProperty("facets").GetProperty("securityClassification").EnumerateArray().Select(f => f.GetProperty("value").GetString()));
    }

    [Theory]
    [InlineData("/search?limit=0", "limit")]
    [InlineData("/search?sort=size", "sort")]
    [InlineData("/search?facets=colour", "facets")]
    [InlineData("/search?studyDateFrom=2025-13-01", "studyDateFrom")]
    [InlineData("/search?cursor=%21%21", "cursor")]
    public async Task A_bad_parameter_is_a_400_naming_it(string url, string parameter)
    {
        using var anonymous = _node.Directory.CreateClient();
        using var response = await anonymous.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), await response.Content.ReadAsStringAsync());
    }
}
