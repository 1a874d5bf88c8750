using MedImaging.Gateway;
using MedImaging.Gateway.Health;
using MedImaging.Gateway.Identity;
using MedImaging.Gateway.Proxy;
using MedImaging.ServiceDefaults;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Node;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(ServiceNames.Gateway);
builder.AddGatewayServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.UseIngestBodyLimit();
app.UseRateLimiter();
app.MapReverseProxy();
app.MapIdentityEndpoints();
app.MapNodeHealthApi();

if (DevCredentials.RequestedFile(args) is { } credentialsFile)
    return await DevCredentials.RunAsync(app, credentialsFile);
return await app.RunServiceAsync(args);
