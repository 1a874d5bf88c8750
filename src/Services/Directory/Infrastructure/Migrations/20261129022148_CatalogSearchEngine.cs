using Microsoft.EntityFrameworkCore.Migrations;
using NpgsqlTypes;

#nullable disable

namespace MedImaging.Directory.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class CatalogSearchEngine : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<NpgsqlTsVector>(
                name: "search_vector",
                schema: "directory",
                table: "catalog_entries",
                type: "tsvector",
                nullable: false,
                // Rows published before this column get an empty vector; `rebuild` re-reads them with their tokens.
                defaultValueSql: "''::tsvector");

            migrationBuilder.CreateIndex(
                name: "ix_catalog_entries_body_parts",
                schema: "directory",
                table: "catalog_entries",
                column: "body_parts")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_catalog_entries_category",
                schema: "directory",
                table: "catalog_entries",
                column: "category");

            migrationBuilder.CreateIndex(
                name: "ix_catalog_entries_classification_code",
                schema: "directory",
                table: "catalog_entries",
                column: "classification_code");

            migrationBuilder.CreateIndex(
                name: "ix_catalog_entries_institution",
                schema: "directory",
                table: "catalog_entries",
                column: "institution");

            migrationBuilder.CreateIndex(
                name: "ix_catalog_entries_kind",
                schema: "directory",
                table: "catalog_entries",
                column: "kind");

            migrationBuilder.CreateIndex(
                name: "ix_catalog_entries_modalities",
                schema: "directory",
                table: "catalog_entries",
                column: "modalities")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_catalog_entries_published_at_origin_node_resource_id",
                schema: "directory",
                table: "catalog_entries",
                columns: new[] { "published_at", "origin_node", "resource_id" });

            migrationBuilder.CreateIndex(
                name: "ix_catalog_entries_search_vector",
                schema: "directory",
                table: "catalog_entries",
                column: "search_vector")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_catalog_entries_study_date",
                schema: "directory",
                table: "catalog_entries",
                column: "study_date");

            migrationBuilder.CreateIndex(
                name: "ix_catalog_entries_subcategory",
                schema: "directory",
                table: "catalog_entries",
                column: "subcategory");

            migrationBuilder.CreateIndex(
                name: "ix_catalog_entries_title_origin_node_resource_id",
                schema: "directory",
                table: "catalog_entries",
                columns: new[] { "title", "origin_node", "resource_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_catalog_entries_body_parts",
                schema: "directory",
                table: "catalog_entries");

            migrationBuilder.DropIndex(
                name: "ix_catalog_entries_category",
                schema: "directory",
                table: "catalog_entries");

            migrationBuilder.DropIndex(
                name: "ix_catalog_entries_classification_code",
                schema: "directory",
                table: "catalog_entries");

            migrationBuilder.DropIndex(
                name: "ix_catalog_entries_institution",
                schema: "directory",
                table: "catalog_entries");

            migrationBuilder.DropIndex(
                name: "ix_catalog_entries_kind",
                schema: "directory",
                table: "catalog_entries");

            migrationBuilder.DropIndex(
                name: "ix_catalog_entries_modalities",
                schema: "directory",
                table: "catalog_entries");

            migrationBuilder.DropIndex(
                name: "ix_catalog_entries_published_at_origin_node_resource_id",
                schema: "directory",
                table: "catalog_entries");

            migrationBuilder.DropIndex(
                name: "ix_catalog_entries_search_vector",
                schema: "directory",
                table: "catalog_entries");

            migrationBuilder.DropIndex(
                name: "ix_catalog_entries_study_date",
                schema: "directory",
                table: "catalog_entries");

            migrationBuilder.DropIndex(
                name: "ix_catalog_entries_subcategory",
                schema: "directory",
                table: "catalog_entries");

            migrationBuilder.DropIndex(
                name: "ix_catalog_entries_title_origin_node_resource_id",
                schema: "directory",
                table: "catalog_entries");

            migrationBuilder.DropColumn(
                name: "search_vector",
                schema: "directory",
                table: "catalog_entries");
        }
    }
}
