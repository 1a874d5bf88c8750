using MedImaging.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore.Design;

namespace MedImaging.Gateway.Infrastructure;

// Only for `dotnet ef migrations add`: the runtime's provider and conventions, never a connection.
internal sealed class DesignTimeGatewayDbContextFactory : IDesignTimeDbContextFactory<GatewayDbContext>
{
    public GatewayDbContext CreateDbContext(string[] args) => new(ServiceDbContextOptions.ForDesignTime<GatewayDbContext>(GatewayDbContext.Schema));
}
