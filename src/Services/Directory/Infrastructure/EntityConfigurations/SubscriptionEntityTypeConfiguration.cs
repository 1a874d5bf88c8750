using System.Text.Json;
using MedImaging.Directory.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedImaging.Directory.Infrastructure.EntityConfigurations;

internal sealed class SubscriptionEntityTypeConfiguration : IEntityTypeConfiguration<Subscription>
{
    public void Configure(EntityTypeBuilder<Subscription> builder)
    {
        builder.ToTable("subscriptions");
        builder.HasKey(s => s.Id);
        builder.HasIndex(s => s.Subscriber);
        builder.Property(s => s.Subscriber).HasMaxLength(200);
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.Property(s => s.Clearance).HasMaxLength(32);
        builder.Property(s => s.ScopeNode).HasMaxLength(64);
        builder.Property(s => s.ScopeInstitution).HasMaxLength(64);
        builder.Property(s => s.WebhookUrl).HasMaxLength(2000);
        builder.Property(s => s.WebhookSecret).HasMaxLength(200);
        builder.Property(s => s.WebhookLastError).HasMaxLength(2000);
        builder.Ignore(s => s.Scope);
        builder.Property(s => s.Query).HasColumnType("jsonb").HasConversion(
            v => JsonSerializer.Serialize(v, CatalogEntryEntityTypeConfiguration.Json),
            s => JsonSerializer.Deserialize<SubscriptionQuery>(s, CatalogEntryEntityTypeConfiguration.Json) ?? new SubscriptionQuery(),
            new ValueComparer<SubscriptionQuery>((a, b) => a == b, v => v.GetHashCode(), v => v));
    }
}

internal sealed class NotificationEntityTypeConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.ToTable("notifications");
        builder.HasKey(n => n.Id);
        // One notification per subscription and entry: a republication or a redelivered fact adds nothing.
        builder.HasIndex(n => new { n.SubscriptionId, n.OriginNode, n.ResourceId }).IsUnique();
        // The subscriber's inbox, newest first.
        builder.HasIndex(n => new { n.Subscriber, n.MatchedAt });
        builder.Property(n => n.Subscriber).HasMaxLength(200);
        builder.Property(n => n.SubscriptionName).HasMaxLength(200);
        builder.Property(n => n.OriginNode).HasMaxLength(64);
    }
}

internal sealed class WebhookDeliveryEntityTypeConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("webhook_deliveries");
        builder.HasKey(d => d.Id);
        // Unsubscribing drops what is still owed to the subscription's webhook.
        builder.HasOne<Subscription>().WithMany().HasForeignKey(d => d.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
        // The dispatcher's scan: only rows still owed.
        builder.HasIndex(d => d.NextAttemptAt).HasFilter("delivered_at IS NULL AND abandoned_at IS NULL");
        builder.Property(d => d.LastError).HasMaxLength(2000);
    }
}
