using MedImaging.Inference.Domain;
using MedImaging.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Inference.Infrastructure;

public sealed class InferenceDbContext(DbContextOptions<InferenceDbContext> options) : DbContext(options)
{
    public const string Schema = "inference";

    public DbSet<AnalysisJob> AnalysisJobs => Set<AnalysisJob>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(InferenceDbContext).Assembly);
        modelBuilder.AddOutboxAndInbox();
    }
}
