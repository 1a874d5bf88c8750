using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MedImaging.Registration.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class StudyContrastAndInstitutionAsSent : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "contrast_bolus_agent",
                schema: "registration",
                table: "studies",
                type: "boolean",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "unmatched_institution_name",
                schema: "registration",
                table: "studies",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "contrast_bolus_agent",
                schema: "registration",
                table: "studies");

            migrationBuilder.DropColumn(
                name: "unmatched_institution_name",
                schema: "registration",
                table: "studies");
        }
    }
}
