using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace MedImaging.Metadata.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "metadata");

            migrationBuilder.CreateSequence(
                name: "resource_identifier_serial",
                schema: "metadata");

            migrationBuilder.CreateTable(
                name: "classification_schemes",
                schema: "metadata",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    name_zh = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    name_en = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    revision = table.Column<int>(type: "integer", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_classification_schemes", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "inbox_messages",
                schema: "metadata",
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
                name: "metadata_sets",
                schema: "metadata",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    name_zh = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    name_en = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_metadata_sets", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                schema: "metadata",
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
                name: "provenance",
                schema: "metadata",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    why = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    source = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    subject = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    action = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    details = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_provenance", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "resource_identifiers",
                schema: "metadata",
                columns: table => new
                {
                    oid = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    administrative_code = table.Column<string>(type: "character varying(6)", maxLength: 6, nullable: false),
                    category_code = table.Column<string>(type: "character varying(9)", maxLength: 9, nullable: false),
                    subcategory_code = table.Column<string>(type: "character varying(9)", maxLength: 9, nullable: false),
                    detail_code = table.Column<string>(type: "character varying(9)", maxLength: 9, nullable: false),
                    serial = table.Column<long>(type: "bigint", nullable: false),
                    issued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    issued_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    withdrawn_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    withdrawn_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    withdrawal_reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_resource_identifiers", x => x.oid);
                });

            migrationBuilder.CreateTable(
                name: "classification_nodes",
                schema: "metadata",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    scheme_id = table.Column<Guid>(type: "uuid", nullable: false),
                    code = table.Column<string>(type: "character varying(9)", maxLength: 9, nullable: false),
                    full_code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    parent_code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    level = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    name_zh = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    name_en = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    withdrawn = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_classification_nodes", x => x.id);
                    table.ForeignKey(
                        name: "fk_classification_nodes_classification_schemes_scheme_id",
                        column: x => x.scheme_id,
                        principalSchema: "metadata",
                        principalTable: "classification_schemes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "dicom_classification_rules",
                schema: "metadata",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    scheme_id = table.Column<Guid>(type: "uuid", nullable: false),
                    attribute = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    value = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    level = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    code = table.Column<string>(type: "character varying(9)", maxLength: 9, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dicom_classification_rules", x => x.id);
                    table.ForeignKey(
                        name: "fk_dicom_classification_rules_classification_schemes_scheme_id",
                        column: x => x.scheme_id,
                        principalSchema: "metadata",
                        principalTable: "classification_schemes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "metadata_set_versions",
                schema: "metadata",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    metadata_set_id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    change_note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    source = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<string>(type: "text", nullable: false),
                    activated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    activated_by = table.Column<string>(type: "text", nullable: true),
                    based_on_version = table.Column<int>(type: "integer", nullable: true),
                    migration = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_metadata_set_versions", x => x.id);
                    table.ForeignKey(
                        name: "fk_metadata_set_versions_metadata_sets_metadata_set_id",
                        column: x => x.metadata_set_id,
                        principalSchema: "metadata",
                        principalTable: "metadata_sets",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "metadata_elements",
                schema: "metadata",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    set_version_id = table.Column<Guid>(type: "uuid", nullable: false),
                    element_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    entity_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    order = table.Column<int>(type: "integer", nullable: false),
                    name_zh = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    name_en = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    definition = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    data_type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    domain = table.Column<string>(type: "jsonb", nullable: false),
                    obligation = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    condition = table.Column<string>(type: "jsonb", nullable: true),
                    max_occurs = table.Column<int>(type: "integer", nullable: true),
                    remarks = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    clause = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    dicom_tag = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_metadata_elements", x => x.id);
                    table.ForeignKey(
                        name: "fk_metadata_elements_metadata_set_versions_set_version_id",
                        column: x => x.set_version_id,
                        principalSchema: "metadata",
                        principalTable: "metadata_set_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "metadata_entities",
                schema: "metadata",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    set_version_id = table.Column<Guid>(type: "uuid", nullable: false),
                    entity_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    order = table.Column<int>(type: "integer", nullable: false),
                    name_zh = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    name_en = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    definition = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    obligation = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    max_occurs = table.Column<int>(type: "integer", nullable: true),
                    remarks = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    clause = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_metadata_entities", x => x.id);
                    table.ForeignKey(
                        name: "fk_metadata_entities_metadata_set_versions_set_version_id",
                        column: x => x.set_version_id,
                        principalSchema: "metadata",
                        principalTable: "metadata_set_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "metadata_records",
                schema: "metadata",
                columns: table => new
                {
                    resource_id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    set_version_id = table.Column<Guid>(type: "uuid", nullable: false),
                    set_code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    values = table.Column<string>(type: "jsonb", nullable: false),
                    revision = table.Column<int>(type: "integer", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_metadata_records", x => x.resource_id);
                    table.ForeignKey(
                        name: "fk_metadata_records_metadata_set_versions_set_version_id",
                        column: x => x.set_version_id,
                        principalSchema: "metadata",
                        principalTable: "metadata_set_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_classification_nodes_scheme_id_full_code",
                schema: "metadata",
                table: "classification_nodes",
                columns: new[] { "scheme_id", "full_code" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_classification_schemes_code",
                schema: "metadata",
                table: "classification_schemes",
                column: "code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_dicom_classification_rules_scheme_id_attribute_value",
                schema: "metadata",
                table: "dicom_classification_rules",
                columns: new[] { "scheme_id", "attribute", "value" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_metadata_elements_set_version_id_element_id",
                schema: "metadata",
                table: "metadata_elements",
                columns: new[] { "set_version_id", "element_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_metadata_entities_set_version_id_entity_id",
                schema: "metadata",
                table: "metadata_entities",
                columns: new[] { "set_version_id", "entity_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_metadata_records_set_version_id",
                schema: "metadata",
                table: "metadata_records",
                column: "set_version_id");

            migrationBuilder.CreateIndex(
                name: "ix_metadata_set_versions_metadata_set_id_version",
                schema: "metadata",
                table: "metadata_set_versions",
                columns: new[] { "metadata_set_id", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ux_one_active_version_per_set",
                schema: "metadata",
                table: "metadata_set_versions",
                column: "metadata_set_id",
                unique: true,
                filter: "status = 'Active'");

            migrationBuilder.CreateIndex(
                name: "ix_metadata_sets_code",
                schema: "metadata",
                table: "metadata_sets",
                column: "code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_sequence",
                schema: "metadata",
                table: "outbox_messages",
                column: "sequence",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_sequence1",
                schema: "metadata",
                table: "outbox_messages",
                column: "sequence",
                filter: "sent_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_provenance_subject_at",
                schema: "metadata",
                table: "provenance",
                columns: new[] { "subject", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_resource_identifiers_serial",
                schema: "metadata",
                table: "resource_identifiers",
                column: "serial",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "classification_nodes",
                schema: "metadata");

            migrationBuilder.DropTable(
                name: "dicom_classification_rules",
                schema: "metadata");

            migrationBuilder.DropTable(
                name: "inbox_messages",
                schema: "metadata");

            migrationBuilder.DropTable(
                name: "metadata_elements",
                schema: "metadata");

            migrationBuilder.DropTable(
                name: "metadata_entities",
                schema: "metadata");

            migrationBuilder.DropTable(
                name: "metadata_records",
                schema: "metadata");

            migrationBuilder.DropTable(
                name: "outbox_messages",
                schema: "metadata");

            migrationBuilder.DropTable(
                name: "provenance",
                schema: "metadata");

            migrationBuilder.DropTable(
                name: "resource_identifiers",
                schema: "metadata");

            migrationBuilder.DropTable(
                name: "classification_schemes",
                schema: "metadata");

            migrationBuilder.DropTable(
                name: "metadata_set_versions",
                schema: "metadata");

            migrationBuilder.DropTable(
                name: "metadata_sets",
                schema: "metadata");

            migrationBuilder.DropSequence(
                name: "resource_identifier_serial",
                schema: "metadata");
        }
    }
}
