using System.Net;
using MedImaging.ServiceDefaults.Auth;

namespace MedImaging.Registration.Tests;

/// <summary>The endpoint the platform tests rely on keeps answering next to the new ones.</summary>
public sealed class ActiveMetadataSetsTests(RegistrationNode node) : IClassFixture<RegistrationNode>
{
    [Fact]
    public async Task ActiveSetsAreListedForCataloguersAndRefusedToThePublic()
    {
        var ok = await node.Client("cat", Roles.Cataloguer).GetAsync("/metadata-sets/active");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("""{"items":[],"page":1,"pageSize":50,"total":0}""", await ok.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await node.Client("p", Roles.Public).GetAsync("/metadata-sets/active")).StatusCode);
    }
}
