using MedImaging.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore.Design;

namespace MedImaging.Inference.Infrastructure;

// Only for `dotnet ef migrations add`: the runtime's provider and conventions, never a connection.
internal sealed class DesignTimeInferenceDbContextFactory : IDesignTimeDbContextFactory<InferenceDbContext>
{
    public InferenceDbContext CreateDbContext(string[] args) => new(ServiceDbContextOptions.ForDesignTime<InferenceDbContext>(InferenceDbContext.Schema));
}
