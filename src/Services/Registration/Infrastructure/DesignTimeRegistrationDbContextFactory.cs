using MedImaging.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore.Design;

namespace MedImaging.Registration.Infrastructure;

// Only for `dotnet ef migrations add`: the runtime's provider and conventions, never a connection.
internal sealed class DesignTimeRegistrationDbContextFactory : IDesignTimeDbContextFactory<RegistrationDbContext>
{
    public RegistrationDbContext CreateDbContext(string[] args) => new(ServiceDbContextOptions.ForDesignTime<RegistrationDbContext>(RegistrationDbContext.Schema));
}
