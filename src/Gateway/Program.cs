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
if (args.Contains(KeyPublication.Flag))
    return await KeyPublication.RunAsync(app);
if (ServiceClients.RequestedDirectory(args) is { } clientsDirectory)
    return await ServiceClients.RunAsync(app, clientsDirectory);
return await app.RunServiceAsync(args);
