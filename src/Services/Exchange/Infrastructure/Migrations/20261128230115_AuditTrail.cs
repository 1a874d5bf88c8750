using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MedImaging.Exchange.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class AuditTrail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_anchors",
                schema: "exchange",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    signed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    node = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    key_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    algorithm = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    signature = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_anchors", x => x.sequence);
                });

            migrationBuilder.CreateTable(
                name: "audit_records",
                schema: "exchange",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    event_id = table.Column<Guid>(type: "uuid", nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    node = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    service = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    actor_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    actor_name = table.Column<string>(type: "text", nullable: true),
                    actor_roles = table.Column<List<string>>(type: "text[]", nullable: false),
                    client_id = table.Column<string>(type: "text", nullable: true),
                    actor_node = table.Column<string>(type: "text", nullable: true),
                    actor_institution = table.Column<string>(type: "text", nullable: true),
                    actor_clearance = table.Column<string>(type: "text", nullable: true),
                    action = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    resource_kind = table.Column<string>(type: "text", nullable: true),
                    resource_id = table.Column<string>(type: "text", nullable: true),
                    resource_identifier = table.Column<string>(type: "text", nullable: true),
                    resource_classification = table.Column<string>(type: "text", nullable: true),
                    resource_institution = table.Column<string>(type: "text", nullable: true),
                    outcome = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    outcome_reason = table.Column<string>(type: "text", nullable: true),
                    source_address = table.Column<string>(type: "text", nullable: true),
                    user_agent = table.Column<string>(type: "text", nullable: true),
                    correlation_id = table.Column<string>(type: "text", nullable: true),
                    details = table.Column<string>(type: "jsonb", nullable: false),
                    previous_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    hash = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_records", x => x.sequence);
                });

            migrationBuilder.CreateIndex(
                name: "ix_audit_records_action_sequence",
                schema: "exchange",
                table: "audit_records",
                columns: new[] { "action", "sequence" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_records_actor_id_sequence",
                schema: "exchange",
                table: "audit_records",
                columns: new[] { "actor_id", "sequence" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_records_actor_institution_sequence",
                schema: "exchange",
                table: "audit_records",
                columns: new[] { "actor_institution", "sequence" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_records_event_id",
                schema: "exchange",
                table: "audit_records",
                column: "event_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_audit_records_occurred_at_sequence",
                schema: "exchange",
                table: "audit_records",
                columns: new[] { "occurred_at", "sequence" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_records_resource_id_sequence",
                schema: "exchange",
                table: "audit_records",
                columns: new[] { "resource_id", "sequence" });

            // Append-only, whoever connects: a statement-level trigger refuses every UPDATE, DELETE and TRUNCATE (even of
            // no rows), and ENABLE ALWAYS keeps it firing under session_replication_role = replica, the usual way round
            // triggers. Only the tables' owner or a superuser can still disable or drop it (ADR 0020).
            migrationBuilder.Sql("""
                CREATE FUNCTION exchange.refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  RAISE EXCEPTION '%.% is append-only: % is refused (ADR 0020)', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
                    USING ERRCODE = 'insufficient_privilege';
                END $$;
                CREATE TRIGGER audit_records_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON exchange.audit_records
                  FOR EACH STATEMENT EXECUTE FUNCTION exchange.refuse_audit_change();
                ALTER TABLE exchange.audit_records ENABLE ALWAYS TRIGGER audit_records_append_only;
                CREATE TRIGGER audit_anchors_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON exchange.audit_anchors
                  FOR EACH STATEMENT EXECUTE FUNCTION exchange.refuse_audit_change();
                ALTER TABLE exchange.audit_anchors ENABLE ALWAYS TRIGGER audit_anchors_append_only;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Dropping the tables drops their triggers; the function goes after them.
            migrationBuilder.DropTable(
                name: "audit_anchors",
                schema: "exchange");

            migrationBuilder.DropTable(
                name: "audit_records",
                schema: "exchange");

            migrationBuilder.Sql("DROP FUNCTION exchange.refuse_audit_change();");
        }
    }
}
