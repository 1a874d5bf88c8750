using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MedImaging.Registration.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class CatalogueEntries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "institution_code",
                schema: "registration",
                table: "studies",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AlterColumn<Guid>(
                name: "study_id",
                schema: "registration",
                table: "resources",
                type: "uuid",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "uuid");

            migrationBuilder.AddColumn<string>(
                name: "checked_against",
                schema: "registration",
                table: "resources",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "checked_at",
                schema: "registration",
                table: "resources",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "kind",
                schema: "registration",
                table: "resources",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "ImagingStudy");

            migrationBuilder.AddColumn<string>(
                name: "problems",
                schema: "registration",
                table: "resources",
                type: "jsonb",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "resource_identifier",
                schema: "registration",
                table: "resources",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_resources_resource_identifier",
                schema: "registration",
                table: "resources",
                column: "resource_identifier",
                unique: true);

            // Values are now keyed by the metadata sets' element ids (Metadata's Seed/basic-elements.json, dicom-extension.json).
            migrationBuilder.Sql(RenameElements(Renames));
        }

        private static readonly (string Old, string New)[] Renames =
        [
            ("resourceName", "resourceTitle"), ("keywords", "keyword"), ("format", "dataFormat"), ("bodyPart", "bodyPartExamined"),
            ("seriesCount", "numberOfSeries"), ("instanceCount", "numberOfInstances"), ("totalSizeBytes", "totalSize"),
        ];

        private static string RenameElements((string Old, string New)[] renames) => $$"""
            UPDATE registration.resources r SET values = (
                SELECT coalesce(jsonb_agg(CASE WHEN m.new IS NULL THEN e ELSE jsonb_set(e, '{element}', to_jsonb(m.new)) END), '[]'::jsonb)
                FROM jsonb_array_elements(r.values) e
                LEFT JOIN (VALUES {{string.Join(", ", renames.Select(x => $"('{x.Old}', '{x.New}')"))}}) AS m(old, new) ON e->>'element' = m.old)
            WHERE jsonb_typeof(r.values) = 'array';
            """;

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(RenameElements([.. Renames.Select(x => (x.New, x.Old))]));

            migrationBuilder.DropIndex(
                name: "ix_resources_resource_identifier",
                schema: "registration",
                table: "resources");

            migrationBuilder.DropColumn(
                name: "institution_code",
                schema: "registration",
                table: "studies");

            migrationBuilder.DropColumn(
                name: "checked_against",
                schema: "registration",
                table: "resources");

            migrationBuilder.DropColumn(
                name: "checked_at",
                schema: "registration",
                table: "resources");

            migrationBuilder.DropColumn(
                name: "kind",
                schema: "registration",
                table: "resources");

            migrationBuilder.DropColumn(
                name: "problems",
                schema: "registration",
                table: "resources");

            migrationBuilder.DropColumn(
                name: "resource_identifier",
                schema: "registration",
                table: "resources");

            migrationBuilder.AlterColumn<Guid>(
                name: "study_id",
                schema: "registration",
                table: "resources",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "uuid",
                oldNullable: true);
        }
    }
}
