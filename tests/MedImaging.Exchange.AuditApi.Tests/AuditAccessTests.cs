using System.Net;
using MedImaging.ServiceDefaults.Auth;

namespace MedImaging.Exchange.AuditApi.Tests;

/// <summary>The trail is for regulators and the node's admins only: every other role is refused, anonymous callers too.</summary>
public sealed class AuditAccessTests(AuditApiFixture fx) : IClassFixture<AuditApiFixture>
{
    private static readonly string[] Endpoints = ["/audit/events", "/audit/export?format=csv", "/audit/export?format=jsonl", "/audit/export?format=atna"];

    public static TheoryData<string, HttpStatusCode> Cases => new()
    {
        { Roles.Researcher, HttpStatusCode.Forbidden },
        { Roles.Cataloguer, HttpStatusCode.Forbidden },
        { Roles.Reviewer, HttpStatusCode.Forbidden },
        { Roles.Publisher, HttpStatusCode.Forbidden },
        { Roles.Adapter, HttpStatusCode.Forbidden },
        { Roles.Public, HttpStatusCode.Forbidden },
        { Roles.Node, HttpStatusCode.Forbidden },
        { Roles.Regulator, HttpStatusCode.OK },
        { Roles.Admin, HttpStatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task OnlyRegulatorsAndAdminsReadOrExportTheTrail(string role, HttpStatusCode expected)
    {
        await AuditRows.InsertAsync(fx.Node.PostgresConnectionString, new Row());
        using var client = fx.As($"user-{role}", role);
        foreach (var endpoint in Endpoints)
        {
            using var response = await client.GetAsync(endpoint);
            Assert.True(expected == response.StatusCode, $"{role} GET {endpoint}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task AnonymousCallersAreUnauthenticated()
    {
        using var client = fx.Factory.CreateClient();
        foreach (var endpoint in Endpoints)
        {
            using var response = await client.GetAsync(endpoint);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public async Task ARefusedCallerLearnsNothingAndIsNotRecordedAsHavingQueried()
    {
        using var client = fx.As("curious-researcher", Roles.Researcher);
        using var response = await client.GetAsync("/audit/events?actor=someone");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("sequence", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // The refusal itself is audited (access-forbidden) by the platform's middleware; no audit-query is recorded for it.
        var queries = await fx.AuditEventsInOutboxAsync(MedImaging.Contracts.Audit.AuditActions.AuditQuery);
        Assert.DoesNotContain(queries, q => q["actor"]?["subjectId"]?.ToString() == "curious-researcher");
    }
}
