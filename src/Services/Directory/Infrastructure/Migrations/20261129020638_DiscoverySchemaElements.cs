using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MedImaging.Directory.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class DiscoverySchemaElements : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "elements",
                schema: "directory",
                table: "schema_versions",
                type: "jsonb",
                nullable: false,
                // Versions recorded before: no schema yet (the next announcement fills it in).
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "entities",
                schema: "directory",
                table: "schema_versions",
                type: "jsonb",
                nullable: false,
                // Versions recorded before: no schema yet (the next announcement fills it in).
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "set_name_en",
                schema: "directory",
                table: "schema_versions",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "set_name_zh",
                schema: "directory",
                table: "schema_versions",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "elements",
                schema: "directory",
                table: "schema_versions");

            migrationBuilder.DropColumn(
                name: "entities",
                schema: "directory",
                table: "schema_versions");

            migrationBuilder.DropColumn(
                name: "set_name_en",
                schema: "directory",
                table: "schema_versions");

            migrationBuilder.DropColumn(
                name: "set_name_zh",
                schema: "directory",
                table: "schema_versions");
        }
    }
}
