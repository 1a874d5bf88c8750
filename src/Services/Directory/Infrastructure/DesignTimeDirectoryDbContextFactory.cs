using MedImaging.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore.Design;

namespace MedImaging.Directory.Infrastructure;

// Only for `dotnet ef migrations add`: the runtime's provider and conventions, never a connection.
internal sealed class DesignTimeDirectoryDbContextFactory : IDesignTimeDbContextFactory<DirectoryDbContext>
{
    public DirectoryDbContext CreateDbContext(string[] args) => new(ServiceDbContextOptions.ForDesignTime<DirectoryDbContext>(DirectoryDbContext.Schema));
}
