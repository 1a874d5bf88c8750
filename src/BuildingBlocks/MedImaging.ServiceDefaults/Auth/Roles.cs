namespace MedImaging.ServiceDefaults.Auth;

/// <summary>The roles of the design (who uses the catalogue). Tokens carry them in the <c>role</c> claim.</summary>
public static class Roles
{
    public const string Adapter = "adapter";         // hospital PACS adapter: pushes DICOM metadata
    public const string Cataloguer = "cataloguer";   // 编目: completes and corrects entries
    public const string Reviewer = "reviewer";       // 审核: approves or rejects
    public const string Publisher = "publisher";     // 发布: publishes, sets sharing rules
    public const string Regulator = "regulator";     // audits everything, changes nothing
    public const string Admin = "admin";             // runs the node
    public const string Researcher = "researcher";   // clinician / researcher: searches and requests
    public const string Public = "public";           // public-level entries only
    public const string Node = "node";               // a peer node of another tier (client credentials)

    public static readonly IReadOnlyList<string> All = [Adapter, Cataloguer, Reviewer, Publisher, Regulator, Admin, Researcher, Public, Node];
}
