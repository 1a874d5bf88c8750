using MedImaging.Metadata;
using MedImaging.Metadata.Apis;
using MedImaging.ServiceDefaults;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Node;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(ServiceNames.Metadata);
builder.AddMetadataServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapMetadataSetsApi();

return await app.RunServiceAsync(args);
