using MedImaging.Gateway.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedImaging.Gateway.Infrastructure.EntityConfigurations;

internal sealed class GatewayUserEntityTypeConfiguration : IEntityTypeConfiguration<GatewayUser>
{
    public void Configure(EntityTypeBuilder<GatewayUser> builder)
    {
        builder.ToTable("users");
        builder.HasKey(u => u.Id);
        builder.Property(u => u.UserName).HasMaxLength(100);
        builder.HasIndex(u => u.UserName).IsUnique();
        builder.Property(u => u.DisplayName).HasMaxLength(200);
        builder.Property(u => u.PasswordHash).HasMaxLength(400);
        builder.Property(u => u.Roles).HasColumnType("text[]");
        builder.Property(u => u.Clearance).HasMaxLength(32);
        // GB 32100 unified social credit codes are 18 characters; room for other registries' codes.
        builder.Property(u => u.Institution).HasMaxLength(64);
    }
}
