using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MedImaging.ServiceDefaults.Auth;
using static MedImaging.Registration.Tests.AutoClassificationTests;

namespace MedImaging.Registration.Tests;

/// <summary>
/// What a cataloguer reads on a new entry: a title that tells studies apart without raw DICOM separators, the hospital a
/// study names when the node does not know it, and why a link cannot reach the study's data.
/// </summary>
public sealed class EntryTitleAndSourceTests(RegistrationNode node) : IClassFixture<RegistrationNode>
{
    private HttpClient Cataloguer => node.Client("cat-1", Roles.Cataloguer);

    private async Task<JsonNode> EntryAsync(Guid id) => JsonNode.Parse(await Cataloguer.GetStringAsync($"/resources/{id}"))!;

    private static IEnumerable<JsonNode> Problems(JsonNode entry, string element)
        => entry["problems"]!.AsArray().Where(p => p!["elementId"]!.ToString() == element).Select(p => p!);

    [Fact]
    public async Task TitlesShowNoDicomSeparatorsAndTellStudiesApartByDateAndInstitution()
    {
        var (_, entry) = await PushJsonAsync(node, CtInstance("CHEST", "Thorax^1HEAD_NECK"));
        var title = entry["title"]!.ToString();
        Assert.Equal($"CT 胸部 Thorax 1HEAD_NECK 2025-03-01 {RegistrationNode.TestInstitutionName}", title);
        Assert.DoesNotContain("^", Value(entry, "studyDescription")!["value"]!.ToString(), StringComparison.Ordinal);

        // The corpus's OT files say nothing of body part or description: the date and the hospital still tell them apart.
        var ot = await EntryAsync(await node.IngestEntryAsync("charset_files/chrH31.dcm", RegistrationNode.MappedAdapter));
        Assert.NotEqual("其他影像", ot["title"]!.ToString());
        Assert.StartsWith("其他影像 ", ot["title"]!.ToString(), StringComparison.Ordinal);
        Assert.Contains("河北医科大学第二医院", ot["title"]!.ToString(), StringComparison.Ordinal);
        Assert.Contains("接收于", ot["title"]!.ToString(), StringComparison.Ordinal); // no study date: the day it was received
        Assert.EndsWith("; v2", Value(ot, "resourceTitle")!["rule"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStudyNamingAnotherHospitalIsAProblemTheCataloguerSeesUntilTheyDecide()
    {
        var (id, entry) = await PushJsonAsync(node, CtInstance("CHEST", "CT CHEST", institution: "北京协和医院"), RegistrationNode.MappedAdapter);

        // Attributed to the adapter's hospital as before — but no longer silently: the name as sent is on the entry.
        Assert.Equal(RegistrationNode.MappedAdapterInstitutionCode, Value(entry, "organizationCode")!["value"]!.ToString());
        var problem = Assert.Single(Problems(entry, "organizationName"));
        Assert.Contains("'北京协和医院'", problem["detail"]!.ToString(), StringComparison.Ordinal);
        Assert.Equal("institution", problem["kind"]!.ToString());

        Assert.Equal(HttpStatusCode.OK, (await Cataloguer.PostAsync($"/resources/{id}/catalogue", JsonContent.Create(new { }))).StatusCode);
        var refused = await Cataloguer.PostAsync($"/resources/{id}/register", JsonContent.Create(new { }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("北京协和医院", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The cataloguer confirms the 负责方; the problem is gone and the entry registers.
        var confirmed = await Cataloguer.PostAsync($"/resources/{id}/catalogue", JsonContent.Create(new
        {
            values = new Dictionary<string, string> { ["organizationName"] = "北京协和医院", ["organizationCode"] = "12100000400000624D" },
        }));
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Empty(Problems(JsonNode.Parse(await confirmed.Content.ReadAsStringAsync())!, "organizationName"));
        Assert.Equal(HttpStatusCode.OK, (await Cataloguer.PostAsync($"/resources/{id}/register", JsonContent.Create(new { }))).StatusCode);
    }

    [Fact]
    public async Task WithoutAPacsUrlTheEntryLinksToTheNodesDicomWebAndSaysWhy()
    {
        var (_, entry) = await PushJsonAsync(node, CtInstance("CHEST", "CT CHEST"), "pacs-without-url");
        var study = Value(entry, "studyInstanceUid")!["value"]!.ToString();

        var gateway = node.Node.Node["endpoints"]!["gateway"]!.ToString().TrimEnd('/');
        Assert.Equal($"{gateway}/dicomweb/studies?StudyInstanceUID={study}", Value(entry, "onlineResourceLink")!["value"]!.ToString());
        var problem = Assert.Single(Problems(entry, "onlineResourceLink"));
        Assert.True(problem["advisory"]!.GetValue<bool>());
        Assert.Contains("pacs-without-url", problem["detail"]!.ToString(), StringComparison.Ordinal);

        // An adapter with a PACS URL links to the PACS and has nothing to say.
        var (_, linked) = await PushJsonAsync(node, CtInstance("CHEST", "CT CHEST"), "pacs-a");
        Assert.StartsWith(RegistrationNode.PacsBase + "/studies/", Value(linked, "onlineResourceLink")!["value"]!.ToString(), StringComparison.Ordinal);
        Assert.Empty(Problems(linked, "onlineResourceLink"));
    }
}
