using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MedImaging.Directory.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class CatalogEntries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "catalog_entries",
                schema: "directory",
                columns: table => new
                {
                    origin_node = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    resource_id = table.Column<Guid>(type: "uuid", nullable: false),
                    record_version = table.Column<int>(type: "integer", nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    title = table.Column<string>(type: "text", nullable: false),
                    @abstract = table.Column<string>(name: "abstract", type: "text", nullable: true),
                    keywords = table.Column<List<string>>(type: "text[]", nullable: false),
                    resource_identifier = table.Column<string>(type: "text", nullable: true),
                    security_classification = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    institution = table.Column<string>(type: "text", nullable: true),
                    institution_name = table.Column<string>(type: "text", nullable: true),
                    classification_code = table.Column<string>(type: "text", nullable: true),
                    category = table.Column<string>(type: "text", nullable: true),
                    subcategory = table.Column<string>(type: "text", nullable: true),
                    modalities = table.Column<List<string>>(type: "text[]", nullable: false),
                    body_parts = table.Column<List<string>>(type: "text[]", nullable: false),
                    study_date = table.Column<DateOnly>(type: "date", nullable: true),
                    study_instance_uid = table.Column<string>(type: "text", nullable: true),
                    study_description = table.Column<string>(type: "text", nullable: true),
                    series_count = table.Column<int>(type: "integer", nullable: false),
                    instance_count = table.Column<int>(type: "integer", nullable: false),
                    total_size_bytes = table.Column<long>(type: "bigint", nullable: false),
                    patient_pseudonym = table.Column<string>(type: "text", nullable: true),
                    format = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    online_resource_link = table.Column<string>(type: "text", nullable: true),
                    values = table.Column<string>(type: "jsonb", nullable: false),
                    series = table.Column<string>(type: "jsonb", nullable: false),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    published_by = table.Column<string>(type: "text", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_catalog_entries", x => new { x.origin_node, x.resource_id });
                });

            migrationBuilder.CreateTable(
                name: "usage_counts",
                schema: "directory",
                columns: table => new
                {
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    origin_node = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    resource_id = table.Column<Guid>(type: "uuid", nullable: false),
                    institution = table.Column<string>(type: "text", nullable: false),
                    count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_usage_counts", x => new { x.day, x.kind, x.origin_node, x.resource_id, x.institution });
                });

            migrationBuilder.CreateIndex(
                name: "ix_catalog_entries_resource_identifier",
                schema: "directory",
                table: "catalog_entries",
                column: "resource_identifier");

            migrationBuilder.CreateIndex(
                name: "ix_catalog_entries_study_instance_uid",
                schema: "directory",
                table: "catalog_entries",
                column: "study_instance_uid");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "catalog_entries",
                schema: "directory");

            migrationBuilder.DropTable(
                name: "usage_counts",
                schema: "directory");
        }
    }
}
