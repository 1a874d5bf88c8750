namespace MedImaging.Federation.Bench;

/// <summary>What the demo catalogues at a county: a mix the shipped rules treat differently.</summary>
public static class Samples
{
    public static readonly (string Code, string What)[] Categories =
    [
        ("2.2.1", "胸部CT平扫"),
        ("3.1.1", "头颅MR"),
        ("7.1.1", "病理切片"),
    ];

    public static readonly string[] Levels = ["public", "internal", "restricted", "confidential"];

    public static string CountyName(string node) => node switch
    {
        "zhengding" => "正定县",
        "zanhuang" => "赞皇县",
        "shijiazhuang" => "石家庄市",
        "hebei" => "河北省",
        _ => node,
    };
}
