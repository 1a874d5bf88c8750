using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace MedImaging.Exchange.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class Federation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "federated_entries",
                schema: "exchange",
                columns: table => new
                {
                    origin_node = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    resource_id = table.Column<Guid>(type: "uuid", nullable: false),
                    record_version = table.Column<int>(type: "integer", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    received_from = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    path = table.Column<List<string>>(type: "text[]", nullable: false),
                    share = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    classification_code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    security_classification = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    applied_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_federated_entries", x => new { x.origin_node, x.resource_id });
                });

            migrationBuilder.CreateTable(
                name: "federation_refusals",
                schema: "exchange",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sender = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    origin_node = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    resource_id = table.Column<Guid>(type: "uuid", nullable: true),
                    record_version = table.Column<int>(type: "integer", nullable: true),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    reason = table.Column<string>(type: "text", nullable: false),
                    message = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_federation_refusals", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "federation_shares",
                schema: "exchange",
                columns: table => new
                {
                    target = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    origin_node = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    resource_id = table.Column<Guid>(type: "uuid", nullable: false),
                    record_version = table.Column<int>(type: "integer", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    direction = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    share = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    classification_code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    security_classification = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_federation_shares", x => new { x.origin_node, x.resource_id, x.target });
                });

            migrationBuilder.CreateIndex(
                name: "ix_federated_entries_received_from_applied_at",
                schema: "exchange",
                table: "federated_entries",
                columns: new[] { "received_from", "applied_at" });

            migrationBuilder.CreateIndex(
                name: "ix_federation_refusals_received_at",
                schema: "exchange",
                table: "federation_refusals",
                column: "received_at");

            migrationBuilder.CreateIndex(
                name: "ix_federation_shares_target_sent_at",
                schema: "exchange",
                table: "federation_shares",
                columns: new[] { "target", "sent_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "federated_entries",
                schema: "exchange");

            migrationBuilder.DropTable(
                name: "federation_refusals",
                schema: "exchange");

            migrationBuilder.DropTable(
                name: "federation_shares",
                schema: "exchange");
        }
    }
}
