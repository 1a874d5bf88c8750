using Microsoft.EntityFrameworkCore;

namespace MedImaging.ServiceDefaults.Messaging;

public static class OutboxModelBuilderExtensions
{
    /// <summary>Adds the outbox and inbox tables to a service's model (and so to its migrations, in its schema).</summary>
    public static ModelBuilder AddOutboxAndInbox(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxMessage>(e =>
        {
            e.ToTable("outbox_messages");
            e.HasKey(m => m.Id);
            e.Property(m => m.Sequence).UseIdentityAlwaysColumn();
            e.HasIndex(m => m.Sequence, "ix_outbox_messages_sequence").IsUnique();
            e.Property(m => m.MessageType).HasMaxLength(400);
            e.Property(m => m.Body).HasColumnType("jsonb");
            e.Property(m => m.CorrelationId).HasMaxLength(100);
            e.Property(m => m.CreatedAt).HasDefaultValueSql("now()");
            // The relay's query: unsent messages in order. A partial index keeps it small however long the history grows.
            e.HasIndex(m => m.Sequence, "ix_outbox_messages_unsent").HasFilter("sent_at IS NULL");
        });
        modelBuilder.Entity<InboxMessage>(e =>
        {
            e.ToTable("inbox_messages");
            e.HasKey(m => new { m.MessageId, m.Consumer });
            e.Property(m => m.Consumer).HasMaxLength(200);
            e.Property(m => m.MessageType).HasMaxLength(400);
            e.Property(m => m.ReceivedAt).HasDefaultValueSql("now()");
        });
        return modelBuilder;
    }
}
