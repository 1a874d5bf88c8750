using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace MedImaging.Registration.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "registration");

            migrationBuilder.CreateTable(
                name: "acquisition_batches",
                schema: "registration",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    adapter = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    channel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    target_study_uid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    received = table.Column<int>(type: "integer", nullable: false),
                    stored = table.Column<int>(type: "integer", nullable: false),
                    already_stored = table.Column<int>(type: "integer", nullable: false),
                    rejected = table.Column<int>(type: "integer", nullable: false),
                    received_bytes = table.Column<long>(type: "bigint", nullable: false),
                    error = table.Column<string>(type: "text", nullable: true),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_acquisition_batches", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "active_metadata_sets",
                schema: "registration",
                columns: table => new
                {
                    set_code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    metadata_set_id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    version_id = table.Column<Guid>(type: "uuid", nullable: false),
                    activated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    activated_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_active_metadata_sets", x => x.set_code);
                });

            migrationBuilder.CreateTable(
                name: "inbox_messages",
                schema: "registration",
                columns: table => new
                {
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    consumer = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    message_type = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_inbox_messages", x => new { x.message_id, x.consumer });
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                schema: "registration",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    message_type = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    body = table.Column<string>(type: "jsonb", nullable: false),
                    correlation_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_error = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_messages", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "phi_vault",
                schema: "registration",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    digest = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    key_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    nonce = table.Column<byte[]>(type: "bytea", nullable: false),
                    tag = table.Column<byte[]>(type: "bytea", nullable: false),
                    ciphertext = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_phi_vault", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "studies",
                schema: "registration",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    study_instance_uid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    patient_pseudonym = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    accession_pseudonym = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    study_date = table.Column<DateOnly>(type: "date", nullable: true),
                    study_description = table.Column<string>(type: "text", nullable: true),
                    modalities = table.Column<List<string>>(type: "text[]", nullable: false),
                    body_parts = table.Column<List<string>>(type: "text[]", nullable: false),
                    series_count = table.Column<int>(type: "integer", nullable: false),
                    instance_count = table.Column<int>(type: "integer", nullable: false),
                    total_size_bytes = table.Column<long>(type: "bigint", nullable: false),
                    online_resource_link = table.Column<string>(type: "text", nullable: true),
                    source_adapter = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    first_received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_studies", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "acquisition_items",
                schema: "registration",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    batch_id = table.Column<Guid>(type: "uuid", nullable: false),
                    ordinal = table.Column<int>(type: "integer", nullable: false),
                    sop_instance_uid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    sop_class_uid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    version = table.Column<int>(type: "integer", nullable: true),
                    failure_reason = table.Column<int>(type: "integer", nullable: true),
                    detail = table.Column<string>(type: "text", nullable: true),
                    size_bytes = table.Column<long>(type: "bigint", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_acquisition_items", x => x.id);
                    table.ForeignKey(
                        name: "fk_acquisition_items_acquisition_batches_batch_id",
                        column: x => x.batch_id,
                        principalSchema: "registration",
                        principalTable: "acquisition_batches",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "resources",
                schema: "registration",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    study_id = table.Column<Guid>(type: "uuid", nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    record_version = table.Column<int>(type: "integer", nullable: false),
                    title = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    values = table.Column<string>(type: "jsonb", nullable: false),
                    last_reason = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_resources", x => x.id);
                    table.ForeignKey(
                        name: "fk_resources_studies_study_id",
                        column: x => x.study_id,
                        principalSchema: "registration",
                        principalTable: "studies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "series",
                schema: "registration",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    study_id = table.Column<Guid>(type: "uuid", nullable: false),
                    series_instance_uid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    modality = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    body_part_examined = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    series_description = table.Column<string>(type: "text", nullable: true),
                    series_number = table.Column<int>(type: "integer", nullable: true),
                    instance_count = table.Column<int>(type: "integer", nullable: false),
                    total_size_bytes = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_series", x => x.id);
                    table.ForeignKey(
                        name: "fk_series_studies_study_id",
                        column: x => x.study_id,
                        principalSchema: "registration",
                        principalTable: "studies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "resource_transitions",
                schema: "registration",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    resource_id = table.Column<Guid>(type: "uuid", nullable: false),
                    action = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    from_state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    to_state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    record_version = table.Column<int>(type: "integer", nullable: false),
                    actor = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    reason = table.Column<string>(type: "text", nullable: true),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_resource_transitions", x => x.id);
                    table.ForeignKey(
                        name: "fk_resource_transitions_resources_resource_id",
                        column: x => x.resource_id,
                        principalSchema: "registration",
                        principalTable: "resources",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "instances",
                schema: "registration",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    study_id = table.Column<Guid>(type: "uuid", nullable: false),
                    series_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sop_instance_uid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    sop_class_uid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    current_version = table.Column<int>(type: "integer", nullable: false),
                    content_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    size_bytes = table.Column<long>(type: "bigint", nullable: false),
                    transfer_syntax_uid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    first_stored_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_stored_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_instances", x => x.id);
                    table.ForeignKey(
                        name: "fk_instances_series_series_id",
                        column: x => x.series_id,
                        principalSchema: "registration",
                        principalTable: "series",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_instances_studies_study_id",
                        column: x => x.study_id,
                        principalSchema: "registration",
                        principalTable: "studies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "instance_versions",
                schema: "registration",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    instance_id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    content_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    size_bytes = table.Column<long>(type: "bigint", nullable: false),
                    metadata = table.Column<string>(type: "jsonb", nullable: false),
                    phi_record_id = table.Column<Guid>(type: "uuid", nullable: true),
                    patient_pseudonym = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    batch_id = table.Column<Guid>(type: "uuid", nullable: false),
                    stored_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_instance_versions", x => x.id);
                    table.ForeignKey(
                        name: "fk_instance_versions_instances_instance_id",
                        column: x => x.instance_id,
                        principalSchema: "registration",
                        principalTable: "instances",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_instance_versions_phi_records_phi_record_id",
                        column: x => x.phi_record_id,
                        principalSchema: "registration",
                        principalTable: "phi_vault",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_acquisition_batches_adapter_started_at",
                schema: "registration",
                table: "acquisition_batches",
                columns: new[] { "adapter", "started_at" });

            migrationBuilder.CreateIndex(
                name: "ix_acquisition_batches_started_at",
                schema: "registration",
                table: "acquisition_batches",
                column: "started_at");

            migrationBuilder.CreateIndex(
                name: "ix_acquisition_items_batch_id_ordinal",
                schema: "registration",
                table: "acquisition_items",
                columns: new[] { "batch_id", "ordinal" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_instance_versions_batch_id",
                schema: "registration",
                table: "instance_versions",
                column: "batch_id");

            migrationBuilder.CreateIndex(
                name: "ix_instance_versions_instance_id_version",
                schema: "registration",
                table: "instance_versions",
                columns: new[] { "instance_id", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_instance_versions_phi_record_id",
                schema: "registration",
                table: "instance_versions",
                column: "phi_record_id");

            migrationBuilder.CreateIndex(
                name: "ix_instances_series_id",
                schema: "registration",
                table: "instances",
                column: "series_id");

            migrationBuilder.CreateIndex(
                name: "ix_instances_sop_instance_uid",
                schema: "registration",
                table: "instances",
                column: "sop_instance_uid",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_instances_study_id",
                schema: "registration",
                table: "instances",
                column: "study_id");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_sequence",
                schema: "registration",
                table: "outbox_messages",
                column: "sequence",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_sequence1",
                schema: "registration",
                table: "outbox_messages",
                column: "sequence",
                filter: "sent_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_phi_vault_digest",
                schema: "registration",
                table: "phi_vault",
                column: "digest",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_resource_transitions_resource_id_at",
                schema: "registration",
                table: "resource_transitions",
                columns: new[] { "resource_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_resources_state",
                schema: "registration",
                table: "resources",
                column: "state");

            migrationBuilder.CreateIndex(
                name: "ix_resources_study_id",
                schema: "registration",
                table: "resources",
                column: "study_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_series_series_instance_uid",
                schema: "registration",
                table: "series",
                column: "series_instance_uid",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_series_study_id",
                schema: "registration",
                table: "series",
                column: "study_id");

            migrationBuilder.CreateIndex(
                name: "ix_studies_patient_pseudonym",
                schema: "registration",
                table: "studies",
                column: "patient_pseudonym");

            migrationBuilder.CreateIndex(
                name: "ix_studies_study_instance_uid",
                schema: "registration",
                table: "studies",
                column: "study_instance_uid",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "acquisition_items",
                schema: "registration");

            migrationBuilder.DropTable(
                name: "active_metadata_sets",
                schema: "registration");

            migrationBuilder.DropTable(
                name: "inbox_messages",
                schema: "registration");

            migrationBuilder.DropTable(
                name: "instance_versions",
                schema: "registration");

            migrationBuilder.DropTable(
                name: "outbox_messages",
                schema: "registration");

            migrationBuilder.DropTable(
                name: "resource_transitions",
                schema: "registration");

            migrationBuilder.DropTable(
                name: "acquisition_batches",
                schema: "registration");

            migrationBuilder.DropTable(
                name: "instances",
                schema: "registration");

            migrationBuilder.DropTable(
                name: "phi_vault",
                schema: "registration");

            migrationBuilder.DropTable(
                name: "resources",
                schema: "registration");

            migrationBuilder.DropTable(
                name: "series",
                schema: "registration");

            migrationBuilder.DropTable(
                name: "studies",
                schema: "registration");
        }
    }
}
