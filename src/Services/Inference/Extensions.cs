using MedImaging.Inference.Infrastructure;
using MedImaging.ServiceDefaults.Data;
using MedImaging.ServiceDefaults.Messaging;

namespace MedImaging.Inference;

public static class Extensions
{
    public static WebApplicationBuilder AddInferenceServices(this WebApplicationBuilder builder)
    {
        builder.AddServiceDbContext<InferenceDbContext>(InferenceDbContext.Schema);
        builder.AddMessaging();
        return builder;
    }
}
