using MedImaging.Directory;
using MedImaging.Directory.Apis;
using MedImaging.Directory.Dcat;
using MedImaging.Directory.DicomWeb;
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
app.MapRebuildApi();
app.MapSearchIndexApi();
app.MapDescriptionApi();
app.MapDiscoveryApi();
app.MapRecordsApi();
app.MapQidoApi();
app.MapDcatApi();
app.MapSubscriptionsApi();
app.MapNotificationsApi();
app.MapEvaluationApi();
app.MapStatisticsApi();
app.MapConceptsApi();

return await app.RunServiceAsync(args);
