using MedImaging.Registration.Domain;
using MedImaging.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Registration.Infrastructure;

public sealed class RegistrationDbContext(DbContextOptions<RegistrationDbContext> options) : DbContext(options)
{
    public const string Schema = "registration";

    public DbSet<ActiveMetadataSet> ActiveMetadataSets => Set<ActiveMetadataSet>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(RegistrationDbContext).Assembly);
        modelBuilder.AddOutboxAndInbox();
    }
}
