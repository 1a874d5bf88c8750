using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MedImaging.Directory.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class ReadModelRebuildRuns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "rebuild_runs",
                schema: "directory",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    requested_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    pages = table.Column<int>(type: "integer", nullable: false),
                    entries_written = table.Column<long>(type: "bigint", nullable: false),
                    entries_removed = table.Column<long>(type: "bigint", nullable: false),
                    last_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_rebuild_runs", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_rebuild_runs_started_at",
                schema: "directory",
                table: "rebuild_runs",
                column: "started_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "rebuild_runs",
                schema: "directory");
        }
    }
}
