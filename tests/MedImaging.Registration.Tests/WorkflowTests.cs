using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MedImaging.ServiceDefaults.Auth;

namespace MedImaging.Registration.Tests;

/// <summary>
/// The §4.5.1 workflow on an entry created by ingest: each step with the right role succeeds, with a wrong role is 403,
/// out of order is 409 naming both states; every step is recorded and announced.
/// </summary>
public sealed class WorkflowTests(RegistrationNode node) : IClassFixture<RegistrationNode>
{
    private HttpClient Cataloguer => node.Client("cat-1", Roles.Cataloguer);
    private HttpClient Reviewer => node.Client("rev-1", Roles.Reviewer);
    private HttpClient Publisher => node.Client("pub-1", Roles.Publisher);

    private Task<Guid> IngestAsync(string file) => node.IngestEntryAsync(file);

    private static async Task<HttpResponseMessage> Act(HttpClient client, Guid id, string verb, object? body = null)
        => await client.PostAsync($"/resources/{id}/{verb}", JsonContent.Create(body ?? new { }));

    private static async Task AssertStatus(HttpStatusCode expected, Task<HttpResponseMessage> call)
    {
        var response = await call;
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task IngestCreatesAPreparedEntryWithAutoAssignedValuesAndRules()
    {
        var id = await IngestAsync("CT_small.dcm");
        var entry = JsonNode.Parse(await Cataloguer.GetStringAsync($"/resources/{id}"))!;

        Assert.Equal("prepared", entry["state"]!.ToString());
        // modality CT, no body part, study description "e+1", study date, and the hospital its InstitutionName names
        Assert.Equal($"CT e+1 2004-01-19 {RegistrationNode.TestInstitutionName}", entry["title"]!.ToString());
        var values = entry["values"]!.AsArray().ToDictionary(v => v!["element"]!.ToString(), v => v!);
        Assert.Equal("DICOM", values["dataFormat"]!["value"]!.ToString());
        Assert.Equal($"{RegistrationNode.PacsBase}/studies/1.3.6.1.4.1.5962.1.2.1.20040119072730.12322", values["onlineResourceLink"]!["value"]!.ToString());
        Assert.Equal("2004-01-19", values["studyDate"]!["value"]!.ToString());
        Assert.All(values.Values, v => Assert.Equal("auto", v!["source"]!.ToString()));
        Assert.All(values.Values, v => Assert.False(string.IsNullOrEmpty(v!["rule"]!.ToString())));
    }

    [Fact]
    public async Task EachStepNeedsItsRoleAndItsState()
    {
        var id = await IngestAsync("MR_small.dcm");

        await AssertStatus(HttpStatusCode.Forbidden, Act(Reviewer, id, "catalogue"));
        await AssertStatus(HttpStatusCode.Conflict, Act(Cataloguer, id, "register"));
        await AssertStatus(HttpStatusCode.OK, Act(Cataloguer, id, "catalogue", new { values = new Dictionary<string, string> { ["resourceTitle"] = "磁共振 头部 平扫", ["categoryCode"] = "3.1.1" } }));
        await AssertStatus(HttpStatusCode.Forbidden, Act(Publisher, id, "register"));
        await AssertStatus(HttpStatusCode.OK, Act(Cataloguer, id, "register"));

        await AssertStatus(HttpStatusCode.Forbidden, Act(Cataloguer, id, "approve"));
        await AssertStatus(HttpStatusCode.BadRequest, Act(Reviewer, id, "reject"));
        await AssertStatus(HttpStatusCode.OK, Act(Reviewer, id, "reject", new { reason = "检查部位缺失" }));
        await AssertStatus(HttpStatusCode.Conflict, Act(Reviewer, id, "approve"));
        await AssertStatus(HttpStatusCode.OK, Act(Cataloguer, id, "revise", new { reason = "补充检查部位", values = new Dictionary<string, string> { ["bodyPartExamined"] = "HEAD" } }));
        await AssertStatus(HttpStatusCode.OK, Act(Cataloguer, id, "register"));
        await AssertStatus(HttpStatusCode.OK, Act(Reviewer, id, "approve"));

        await AssertStatus(HttpStatusCode.Forbidden, Act(Reviewer, id, "publish"));
        await AssertStatus(HttpStatusCode.OK, Act(Publisher, id, "publish"));
        await AssertStatus(HttpStatusCode.Forbidden, Act(Cataloguer, id, "withdraw", new { reason = "x" }));
        await AssertStatus(HttpStatusCode.OK, Act(Publisher, id, "withdraw", new { reason = "患者撤回授权" }));

        var entry = JsonNode.Parse(await Cataloguer.GetStringAsync($"/resources/{id}"))!;
        Assert.Equal("withdrawn", entry["state"]!.ToString());
        Assert.Equal(2, (int)entry["recordVersion"]!);
        var values = entry["values"]!.AsArray().ToDictionary(v => v!["element"]!.ToString(), v => v!);
        Assert.Equal("manual", values["resourceTitle"]!["source"]!.ToString());
        Assert.Equal("磁共振 头部 平扫", entry["title"]!.ToString());

        var history = JsonNode.Parse(await Cataloguer.GetStringAsync($"/resources/{id}/history"))!["items"]!.AsArray();
        Assert.Equal(["catalogue", "register", "reject", "revise", "register", "approve", "publish", "withdraw"], history.Select(h => h!["action"]!.ToString()));
        Assert.Equal("检查部位缺失", history[2]!["reason"]!.ToString());
        Assert.Equal("rev-1", history[2]!["actor"]!.ToString());
    }

    [Fact]
    public async Task AnInvalidTransitionNamesTheCurrentAndRequestedState()
    {
        var id = await IngestAsync("rtplan.dcm");
        var response = await Act(Publisher, id, "publish");
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("prepared", problem["currentState"]!.ToString());
        Assert.Equal("published", problem["requestedState"]!.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await Act(Publisher, Guid.NewGuid(), "publish")).StatusCode);
    }

    [Fact]
    public async Task TheReviewQueueApprovesAndPublishesInBulkAndEventsReachTheBroker()
    {
        await node.ListenAsync("MedImaging.Contracts.Registration:ResourcePublished", "test-published");
        var ids = new[] { await IngestAsync("charset_files/chrH31.dcm"), await IngestAsync("charset_files/chrX1.dcm") };
        foreach (var id in ids)
        {
            // OT without a study date or an institution: the cataloguer completes what DICOM did not say.
            await AssertStatus(HttpStatusCode.OK, Act(Cataloguer, id, "catalogue", new { values = new Dictionary<string, string>
            {
                ["studyDate"] = "2001-05-07", ["categoryCode"] = "2.9.1", ["organizationName"] = "河北省人民医院", ["electronicMailAddress"] = "radiology@hbgh.example.cn",
            } }));
            await AssertStatus(HttpStatusCode.OK, Act(Cataloguer, id, "register"));
        }
        var queue = JsonNode.Parse(await Reviewer.GetStringAsync("/review-queue"))!["items"]!.AsArray().Select(i => Guid.Parse(i!["id"]!.ToString()));
        Assert.Superset(ids.ToHashSet(), queue.ToHashSet());

        var approved = await Reviewer.PostAsJsonAsync("/review-queue/approve", new { ids = ids.Append(Guid.NewGuid()) });
        var outcomes = JsonNode.Parse(await approved.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(["approved", "approved", "not-found"], outcomes.Select(o => o!["outcome"]!.ToString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await Reviewer.PostAsJsonAsync("/review-queue/publish", new { ids })).StatusCode);
        var published = await Publisher.PostAsJsonAsync("/review-queue/publish", new { ids });
        Assert.Equal(["published", "published"], JsonNode.Parse(await published.Content.ReadAsStringAsync())!.AsArray().Select(o => o!["outcome"]!.ToString()));

        var messages = await node.ReceiveAsync("test-published", 2);
        Assert.Equal(ids.Select(i => i.ToString()).Order(), messages.Select(m => m["message"]!["resourceId"]!.ToString()).Order());
        Assert.All(messages, m => Assert.Equal("DICOM", m["message"]!["format"]!.ToString()));
        Assert.Equal(2, await node.CountAsync("SELECT count(*) FROM registration.outbox_messages WHERE message_type = 'MedImaging.Contracts.Registration.ResourceRegistered' AND body::text LIKE ANY($1)",
            (object)ids.Select(i => $"%{i}%").ToArray()));
    }
}
