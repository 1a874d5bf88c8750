using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MedImaging.Directory.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class DirSubsSubscriptionsEvaluation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "entry_comments",
                schema: "directory",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    origin_node = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    resource_id = table.Column<Guid>(type: "uuid", nullable: false),
                    author = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    author_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    text = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_entry_comments", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "entry_ratings",
                schema: "directory",
                columns: table => new
                {
                    origin_node = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    resource_id = table.Column<Guid>(type: "uuid", nullable: false),
                    rater = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    stars = table.Column<int>(type: "integer", nullable: false),
                    rated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_entry_ratings", x => new { x.origin_node, x.resource_id, x.rater });
                    table.CheckConstraint("ck_entry_ratings_stars", "stars BETWEEN 1 AND 5");
                });

            migrationBuilder.CreateTable(
                name: "notifications",
                schema: "directory",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    subscription_id = table.Column<Guid>(type: "uuid", nullable: false),
                    subscriber = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    subscription_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    origin_node = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    resource_id = table.Column<Guid>(type: "uuid", nullable: false),
                    record_version = table.Column<int>(type: "integer", nullable: false),
                    matched_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    read_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_notifications", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "subscriptions",
                schema: "directory",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    subscriber = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    query = table.Column<string>(type: "jsonb", nullable: false),
                    classifications = table.Column<List<string>>(type: "text[]", nullable: false),
                    modalities = table.Column<List<string>>(type: "text[]", nullable: false),
                    body_parts = table.Column<List<string>>(type: "text[]", nullable: false),
                    institutions = table.Column<List<string>>(type: "text[]", nullable: false),
                    nodes = table.Column<List<string>>(type: "text[]", nullable: false),
                    security_classifications = table.Column<List<string>>(type: "text[]", nullable: false),
                    kinds = table.Column<List<string>>(type: "text[]", nullable: false),
                    clearance = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    clearance_rank = table.Column<int>(type: "integer", nullable: false),
                    scope_node = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    scope_institution = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    scope_seen_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    webhook_url = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    webhook_secret = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    webhook_last_delivered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    webhook_last_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    webhook_last_error_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_subscriptions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "webhook_deliveries",
                schema: "directory",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    subscription_id = table.Column<Guid>(type: "uuid", nullable: false),
                    notification_id = table.Column<Guid>(type: "uuid", nullable: false),
                    body = table.Column<string>(type: "text", nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    lease_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    delivered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    abandoned_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_deliveries", x => x.id);
                    table.ForeignKey(
                        name: "fk_webhook_deliveries_subscriptions_subscription_id",
                        column: x => x.subscription_id,
                        principalSchema: "directory",
                        principalTable: "subscriptions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_entry_comments_origin_node_resource_id_created_at",
                schema: "directory",
                table: "entry_comments",
                columns: new[] { "origin_node", "resource_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_notifications_subscriber_matched_at",
                schema: "directory",
                table: "notifications",
                columns: new[] { "subscriber", "matched_at" });

            migrationBuilder.CreateIndex(
                name: "ix_notifications_subscription_id_origin_node_resource_id",
                schema: "directory",
                table: "notifications",
                columns: new[] { "subscription_id", "origin_node", "resource_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_subscriptions_subscriber",
                schema: "directory",
                table: "subscriptions",
                column: "subscriber");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_next_attempt_at",
                schema: "directory",
                table: "webhook_deliveries",
                column: "next_attempt_at",
                filter: "delivered_at IS NULL AND abandoned_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_subscription_id",
                schema: "directory",
                table: "webhook_deliveries",
                column: "subscription_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "entry_comments",
                schema: "directory");

            migrationBuilder.DropTable(
                name: "entry_ratings",
                schema: "directory");

            migrationBuilder.DropTable(
                name: "notifications",
                schema: "directory");

            migrationBuilder.DropTable(
                name: "webhook_deliveries",
                schema: "directory");

            migrationBuilder.DropTable(
                name: "subscriptions",
                schema: "directory");
        }
    }
}
