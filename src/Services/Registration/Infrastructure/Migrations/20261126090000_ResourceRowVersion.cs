using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MedImaging.Registration.Infrastructure.Migrations
{
    /// <summary>
    /// Maps catalogue entries' optimistic concurrency token to PostgreSQL's xmin. xmin is a system column every row
    /// already has, so there is nothing to create or drop; the migration records the model change only.
    /// </summary>
    public partial class ResourceRowVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
        }
    }
}
