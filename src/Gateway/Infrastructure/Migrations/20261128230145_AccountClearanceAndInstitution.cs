using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MedImaging.Gateway.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class AccountClearanceAndInstitution : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "clearance",
                schema: "gateway",
                table: "users",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "institution",
                schema: "gateway",
                table: "users",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "clearance",
                schema: "gateway",
                table: "users");

            migrationBuilder.DropColumn(
                name: "institution",
                schema: "gateway",
                table: "users");
        }
    }
}
