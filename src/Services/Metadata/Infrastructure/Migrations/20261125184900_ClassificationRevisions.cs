using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MedImaging.Metadata.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class ClassificationRevisions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "classification_scheme_revisions",
                schema: "metadata",
                columns: table => new
                {
                    scheme_id = table.Column<Guid>(type: "uuid", nullable: false),
                    revision = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    change_kind = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    subject = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    snapshot = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_classification_scheme_revisions", x => new { x.scheme_id, x.revision });
                    table.ForeignKey(
                        name: "fk_classification_scheme_revisions_classification_schemes_sche",
                        column: x => x.scheme_id,
                        principalSchema: "metadata",
                        principalTable: "classification_schemes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "classification_scheme_revisions",
                schema: "metadata");
        }
    }
}
