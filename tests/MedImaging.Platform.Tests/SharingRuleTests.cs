using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Node;
using MedImaging.TestSupport;

namespace MedImaging.Platform.Tests;

/// <summary>
/// The sharing rules of a tier file (issue 13, ADR 0031): the first rule of a link that covers an entry decides, a
/// classification code covers the codes below it, and an entry no rule covers does not leave the node.
/// </summary>
public sealed class SharingRuleTests
{
    private static NodeDescriptor Shipped(string node) => NodeConfigurationLoader.Load(Path.Combine(RepositoryRoot.Path, "deploy", "tiers", node + ".json"));

    [Theory]
    [InlineData("3.6.1", SecurityLevels.Public, ShareType.Unconditional)]
    [InlineData("2", SecurityLevels.Internal, ShareType.Unconditional)]
    [InlineData("3.6", SecurityLevels.Restricted, ShareType.Conditional)]
    [InlineData("2.1.4", SecurityLevels.Confidential, ShareType.None)]
    [InlineData("7.1.1", SecurityLevels.Public, ShareType.None)]
    [InlineData(null, SecurityLevels.Public, ShareType.Unconditional)]
    public void A_county_shares_upward_what_its_file_says(string? code, string level, ShareType expected)
    {
        var decision = Shipped("zhengding").Routing.Decide(LinkDirection.Up, "shijiazhuang", code, level);
        Assert.Equal(expected, decision.Share);
        Assert.Equal(expected != ShareType.None, decision.Crosses);
        Assert.Equal(PseudonymPolicy.Rekey, decision.Pseudonyms);
    }

    [Fact]
    public void The_first_covering_rule_decides_and_no_rule_means_not_shared()
    {
        var routing = new NodeRouting
        {
            Up =
            [
                new SharingRule { Name = "CT 受限", Classifications = ["2"], SecurityClassifications = [SecurityLevels.Restricted], Share = ShareType.Conditional },
                new SharingRule { Name = "CT", Classifications = ["2"], Share = ShareType.Unconditional, Pseudonyms = PseudonymPolicy.Keep },
            ],
        };
        Assert.Equal((ShareType.Conditional, 0, "CT 受限"), Pick(routing.Decide(LinkDirection.Up, "p", "2.3", SecurityLevels.Restricted)));
        Assert.Equal((ShareType.Unconditional, 1, "CT"), Pick(routing.Decide(LinkDirection.Up, "p", "2.3.1", SecurityLevels.Confidential)));
        Assert.Equal(PseudonymPolicy.Keep, routing.Decide(LinkDirection.Up, "p", "2", SecurityLevels.Public).Pseudonyms);
        // Not below "2": "20" and "2x" are other codes; an entry without a code is not covered by a rule that names codes.
        Assert.Equal((ShareType.None, (int?)null, (string?)null), Pick(routing.Decide(LinkDirection.Up, "p", "20.1", SecurityLevels.Public)));
        Assert.Equal(ShareType.None, routing.Decide(LinkDirection.Up, "p", null, SecurityLevels.Public).Share);
        // No rules for a direction: nothing crosses it.
        Assert.Equal(ShareType.None, routing.Decide(LinkDirection.Down, "c", "2", SecurityLevels.Public).Share);

        static (ShareType, int?, string?) Pick(SharingDecision d) => (d.Share, d.Rule, d.RuleName);
    }

    [Fact]
    public void A_down_rule_with_to_applies_to_the_children_it_names()
    {
        var routing = new NodeRouting
        {
            Down =
            [
                new SharingRule { To = ["zanhuang"], Share = ShareType.Unconditional },
                new SharingRule { SecurityClassifications = [SecurityLevels.Public], Share = ShareType.Conditional },
            ],
        };
        Assert.Equal(ShareType.Unconditional, routing.Decide(LinkDirection.Down, "zanhuang", "5", SecurityLevels.Internal).Share);
        Assert.Equal(ShareType.None, routing.Decide(LinkDirection.Down, "zhengding", "5", SecurityLevels.Internal).Share);
        Assert.Equal(ShareType.Conditional, routing.Decide(LinkDirection.Down, "zhengding", "5", SecurityLevels.Public).Share);
    }

    [Fact]
    public void The_city_passes_county_entries_sideways_only_on_request_and_never_confidential_ones()
    {
        var city = Shipped("shijiazhuang").Routing;
        Assert.Equal(ShareType.Conditional, city.Decide(LinkDirection.Sideways, "zanhuang", "1.2", SecurityLevels.Internal).Share);
        Assert.Equal(ShareType.None, city.Decide(LinkDirection.Sideways, "zanhuang", "1.2", SecurityLevels.Restricted).Share);
        Assert.Equal(DirectoryMode.Centralised, city.DirectoryMode);
    }
}
