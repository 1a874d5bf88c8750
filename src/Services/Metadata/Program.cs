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
app.MapMetadataElementsApi();
app.MapClassificationApi();
app.MapIdentifiersApi();
app.MapValidationApi();
app.MapRecordsApi();
app.MapExportApi();

return await app.RunServiceAsync(args);
