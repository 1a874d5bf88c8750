using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MedImaging.Metadata.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class DicomRuleCategory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_dicom_classification_rules_scheme_id_attribute_value",
                schema: "metadata",
                table: "dicom_classification_rules");

            migrationBuilder.AddColumn<string>(
                name: "category",
                schema: "metadata",
                table: "dicom_classification_rules",
                type: "character varying(9)",
                maxLength: 9,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "ix_dicom_classification_rules_scheme_id_attribute_value_catego",
                schema: "metadata",
                table: "dicom_classification_rules",
                columns: new[] { "scheme_id", "attribute", "value", "category" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_dicom_classification_rules_scheme_id_attribute_value_catego",
                schema: "metadata",
                table: "dicom_classification_rules");

            migrationBuilder.DropColumn(
                name: "category",
                schema: "metadata",
                table: "dicom_classification_rules");

            migrationBuilder.CreateIndex(
                name: "ix_dicom_classification_rules_scheme_id_attribute_value",
                schema: "metadata",
                table: "dicom_classification_rules",
                columns: new[] { "scheme_id", "attribute", "value" },
                unique: true);
        }
    }
}
