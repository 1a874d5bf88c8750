using MedImaging.Gateway.Identity;

namespace MedImaging.Gateway.Tests;

public sealed class LoginPageTests
{
    [Fact]
    public void SignInPageRedirectsOnlyWithinTheGateway()
    {
        Assert.True(LoginPage.IsLocal("/connect/authorize?client_id=portal"));
        Assert.False(LoginPage.IsLocal("//evil.example/x"));
        Assert.False(LoginPage.IsLocal("/\\evil.example"));
        Assert.False(LoginPage.IsLocal("https://evil.example/"));
    }
}
