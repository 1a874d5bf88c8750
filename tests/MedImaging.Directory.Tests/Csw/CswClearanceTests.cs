using System.Xml.Linq;
using MedImaging.Contracts.Registration;
using MedImaging.ServiceDefaults.Auth;
using static MedImaging.Directory.Tests.CswCalls;

namespace MedImaging.Directory.Tests;

/// <summary>
/// Every CSW read path as anonymous, public, internal (institution-bound and node-wide), restricted and confidential
/// callers: no entry, count or record above the caller's clearance or outside its institution ever comes out.
/// </summary>
public sealed class CswClearanceTests : IAsyncLifetime
{
    private const string OtherInstitution = "12130000401705668N";
    private DirectoryNode _node = null!;
    private readonly Dictionary<string, ResourcePublished> _entries = [];

    public async Task InitializeAsync()
    {
        _node = await DirectoryNode.CreateAsync();
        foreach (var level in SecurityLevels.All)
        {
            _entries[level] = _node.Published($"肺部结节 {level}", level) with { ResourceIdentifier = $"2.16.156.10011.2.9.130000.1.{SecurityLevels.Rank(level)}" };
            _entries[$"{level}-other"] = _node.Published($"肺部结节 {level} 他院", level, institution: OtherInstitution);
        }
        await _node.ApplyAsync([.. _entries.Values]);
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    public static TheoryData<string, string?, string?> Callers => new()
    {
        { "anonymous", null, null },
        { "public", SecurityLevels.Public, null },
        { "internal-bound", SecurityLevels.Internal, "bound" },
        { "internal", SecurityLevels.Internal, null },
        { "restricted", SecurityLevels.Restricted, null },
        { "confidential-bound", SecurityLevels.Confidential, "bound" },
    };

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task No_path_shows_an_entry_or_a_count_above_the_callers_clearance_or_outside_its_institution(string caller, string? clearance, string? bound)
    {
        var institution = bound is null ? null : _node.FirstInstitution;
        using var client = clearance is null ? _node.Directory.CreateClient() : _node.Client(clearance, institution);
        var scope = new CallerScope(clearance ?? SecurityLevels.Public, clearance is null ? null : _node.NodeId, institution);
        var visible = _entries.Values.Where(e => scope.MaySee(e.SecurityClassification, e.Institution)).ToList();
        var expected = visible.Select(e => e.Title).Order(StringComparer.Ordinal).ToList();
        Assert.True(expected.Count > 0, caller);

        // GetRecords: hits, results in both schemas, Filter and CQL, AnyText and element filters.
        var (_, hits) = await PostAsync(client, GetRecords("<ogc:Filter><ogc:PropertyIsEqualTo><ogc:PropertyName>csw:AnyText</ogc:PropertyName><ogc:Literal>结节</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter>", resultType: "hits"));
        Assert.Equal(expected.Count, Matched(hits));
        var (_, results) = await PostAsync(client, GetRecords(""));
        Assert.Equal(expected, Titles(results).Order(StringComparer.Ordinal));
        Assert.Equal(expected.Count, Matched(results));
        var (_, own) = await GetAsync(client, "service=CSW&version=2.0.2&request=GetRecords&typeNames=csw:Record&resultType=results&outputSchema=urn:medimaging:metadata&elementSetName=full&maxRecords=50");
        Assert.Equal(expected, own.Descendants(Mi + "resourceTitle").Select(t => t.Value).Order(StringComparer.Ordinal));
        foreach (var level in SecurityLevels.All)
        {
            var (_, byLevel) = await GetAsync(client, Cql($"dct:accessRights = '{level}'"));
            Assert.Equal(visible.Count(e => e.SecurityClassification == level), Matched(byLevel));
            Assert.All(byLevel.Descendants(Dct + "accessRights").Select(a => a.Value), v => Assert.True(SecurityLevels.Rank(v) <= SecurityLevels.Rank(scope.Clearance), v));
        }
        var (_, byInstitution) = await GetAsync(client, Cql($"mi:organizationCode = '{OtherInstitution}'"));
        Assert.Equal(visible.Count(e => e.Institution == OtherInstitution), Matched(byInstitution));

        // GetRecordById of every entry, by each of its identifiers: only the visible ones answer.
        foreach (var entry in _entries.Values)
        {
            var ids = new[] { entry.ResourceId.ToString(), $"{entry.OriginNode}/{entry.ResourceId}", entry.ResourceIdentifier }.OfType<string>();
            foreach (var id in ids)
            {
                var (_, byId) = await GetAsync(client, $"service=CSW&version=2.0.2&request=GetRecordById&elementSetName=full&id={Uri.EscapeDataString(id)}");
                var records = byId.Root!.Elements().ToList();
                Assert.Equal(visible.Contains(entry) ? 1 : 0, records.Count);
            }
        }
    }

    [Fact]
    public async Task A_restricted_record_served_is_audited_and_a_public_one_is_not()
    {
        using var client = _node.Client(SecurityLevels.Confidential);
        var restricted = _entries[SecurityLevels.Restricted];
        var open = _entries[SecurityLevels.Public];
        await GetAsync(client, $"service=CSW&version=2.0.2&request=GetRecordById&id={restricted.ResourceId},{open.ResourceId}");

        await using var conn = new Npgsql.NpgsqlConnection(_node.Node.PostgresConnectionString);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("SELECT body::text FROM directory.outbox_messages WHERE message_type LIKE '%AuditEventRecorded%'", conn);
        var bodies = new List<string>();
        await using (var reader = await cmd.ExecuteReaderAsync()) while (await reader.ReadAsync()) bodies.Add(reader.GetString(0));
        Assert.Contains(bodies, b => b.Contains(restricted.ResourceId.ToString(), StringComparison.Ordinal) && b.Contains("entry-read", StringComparison.Ordinal));
        Assert.DoesNotContain(bodies, b => b.Contains(open.ResourceId.ToString(), StringComparison.Ordinal));
    }
}
