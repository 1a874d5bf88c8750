using MedImaging.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore.Design;

namespace MedImaging.Metadata.Infrastructure;

// Only for `dotnet ef migrations add`: the runtime's provider and conventions, never a connection.
internal sealed class DesignTimeMetadataDbContextFactory : IDesignTimeDbContextFactory<MetadataDbContext>
{
    public MetadataDbContext CreateDbContext(string[] args) => new(ServiceDbContextOptions.ForDesignTime<MetadataDbContext>(MetadataDbContext.Schema));
}
