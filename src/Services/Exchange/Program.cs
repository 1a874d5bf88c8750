using MedImaging.Exchange;
using MedImaging.Exchange.Apis;
using MedImaging.ServiceDefaults;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Node;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(ServiceNames.Exchange);
builder.AddExchangeServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapFederationLinksApi();
app.MapAuditApi();
app.MapAuditVerifyApi();

return await app.RunServiceAsync(args);
