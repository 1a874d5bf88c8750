using MedImaging.Inference;
using MedImaging.Inference.Apis;
using MedImaging.ServiceDefaults;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Node;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(ServiceNames.Inference);
builder.AddInferenceServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapAnalysisJobsApi();

return await app.RunServiceAsync(args);
