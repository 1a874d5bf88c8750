using MedImaging.Registration;
using MedImaging.Registration.Apis;
using MedImaging.ServiceDefaults;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Node;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(ServiceNames.Registration);
builder.AddRegistrationServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapActiveMetadataSetsApi();
app.MapStowApi();
app.MapDicomJsonApi();
app.MapAcquisitionsApi();
app.MapResourcesApi();
app.MapReviewQueueApi();
app.MapPhiVaultAdminApi();
app.MapPublishedFeedApi();

return await app.RunServiceAsync(args);
