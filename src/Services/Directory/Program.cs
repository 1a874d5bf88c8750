using MedImaging.Directory;
using MedImaging.Directory.Apis;
using MedImaging.ServiceDefaults;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Node;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(ServiceNames.Directory);
builder.AddDirectoryServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapSchemaVersionsApi();
app.MapSearchApi();
app.MapCswApi();
app.MapConceptsApi();

return await app.RunServiceAsync(args);
