using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MedImaging.Registration.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class EntryClassificationAndInstitution : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "institution",
                schema: "registration",
                table: "resources",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "security_classification",
                schema: "registration",
                table: "resources",
                type: "text",
                nullable: true);

            // Existing entries get the columns from their values (the element ids the values are keyed by).
            migrationBuilder.Sql("""
                UPDATE registration.resources r SET
                    security_classification = (SELECT v ->> 'value' FROM jsonb_array_elements(r.values) v WHERE v ->> 'element' = 'securityClassification' LIMIT 1),
                    institution = (SELECT v ->> 'value' FROM jsonb_array_elements(r.values) v WHERE v ->> 'element' = 'organizationCode' LIMIT 1);
                """);

            migrationBuilder.CreateIndex(
                name: "ix_resources_institution_security_classification",
                schema: "registration",
                table: "resources",
                columns: new[] { "institution", "security_classification" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_resources_institution_security_classification",
                schema: "registration",
                table: "resources");

            migrationBuilder.DropColumn(
                name: "institution",
                schema: "registration",
                table: "resources");

            migrationBuilder.DropColumn(
                name: "security_classification",
                schema: "registration",
                table: "resources");
        }
    }
}
