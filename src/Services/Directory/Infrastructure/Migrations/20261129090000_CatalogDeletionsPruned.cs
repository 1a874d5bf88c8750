using MedImaging.Directory.Infrastructure;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MedImaging.Directory.Infrastructure.Migrations
{
    /// <summary>
    /// How far the change feed's deletions have been pruned (ADR 0030): deletions older than the retention are removed,
    /// and an index whose saved position lies before this number missed some of them, so it is rebuilt from the table.
    /// One row. Not in the EF model: only the index feeder reads and writes it.
    /// </summary>
    [DbContext(typeof(DirectoryDbContext))]
    [Migration("20261129090000_CatalogDeletionsPruned")]
    public partial class CatalogDeletionsPruned : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE directory.catalog_deletions_pruned (
                  id integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
                  pruned_through bigint NOT NULL,
                  pruned_at timestamp with time zone);
                INSERT INTO directory.catalog_deletions_pruned (id, pruned_through) VALUES (1, 0);
                CREATE INDEX ix_catalog_deletions_deleted_at ON directory.catalog_deletions (deleted_at);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX directory.ix_catalog_deletions_deleted_at;
                DROP TABLE directory.catalog_deletions_pruned;
                """);
        }
    }
}
