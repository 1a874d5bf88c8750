using System.Globalization;
using System.Text;
using MedImaging.Metadata.Domain;

namespace MedImaging.Metadata.Infrastructure.Export;

/// <summary>
/// The human-readable data dictionary (§4.9.4: 在关系型数据库中建立元数据的数据字典描述元数据结构) in Markdown: one table
/// per level of the schema, with every §4.6 attribute, walked in the same order as the XSD.
/// </summary>
internal static class DataDictionaryWriter
{
    public static string Write(MetadataSet set, MetadataSetVersion v)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# {set.NameZh} ({set.NameEn}) — 版本 {v.Version} ({v.Status})").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"{v.ChangeNote}").AppendLine();
        md.AppendLine("| 标识 | 中文名称 | 英文名称 | 定义 | 数据类型 | 值域 | 约束/条件 | 最大出现次数 | DICOM | 备注 |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var item in SchemaLayout.TopLevel(v))
        {
            if (item.Element is { } e) { Row(md, e, ""); continue; }
            var en = item.Entity!;
            md.AppendLine(CultureInfo.InvariantCulture, $"| **{en.EntityId}** | **{Cell(en.NameZh)}** | {Cell(en.NameEn)} | {Cell(en.Definition)} | 实体 | | {SchemaLayout.ObligationZh(en.Obligation)} | {SchemaLayout.Occurs(en.MaxOccurs)} | | {Cell(en.Remarks)} |");
            foreach (var member in item.Members) Row(md, member, "↳ ");
        }
        return md.ToString();
    }

    private static void Row(StringBuilder md, MetadataElement e, string indent)
    {
        var domain = e.Domain.Codes.Count > 0 ? string.Join("; ", e.Domain.Codes.Select(c => $"{c.Code} {c.NameZh}"))
            : string.Join("; ", new[] { e.Domain.Description, e.Domain.MaxLength is { } m ? $"≤{m} 字符" : null, SchemaLayout.PatternOf(e) is { } p ? $"`{p}`" : null,
                e.Domain.Minimum is { } min ? $"≥{min}" : null, e.Domain.Maximum is { } max ? $"≤{max}" : null }.Where(s => s is not null));
        var obligation = SchemaLayout.ObligationZh(e.Obligation) + (e.Condition is { } c ? $" ({c.Describe()})" : "");
        md.AppendLine(CultureInfo.InvariantCulture, $"| {indent}{e.ElementId} | {Cell(e.NameZh)} | {Cell(e.NameEn)} | {Cell(e.Definition)} | {e.DataType} | {Cell(domain)} | {Cell(obligation)} | {SchemaLayout.Occurs(e.MaxOccurs)} | {e.DicomTag} | {Cell(e.Remarks)} |");
    }

    private static string Cell(string? text) => (text ?? "").Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
