using System.Text.Json;

namespace MedImaging.Cli.Poll;

/// <summary>
/// What <c>medcat poll</c> has fed: the date its last complete round began (the window's start next time, minus the
/// overlap), when it last looked at every study, and, per study, how many instances the node stored. Written whole to a temporary file and renamed over
/// the old one, so a crash leaves the previous state, never half of one.
/// </summary>
public sealed class PollState
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public sealed record Study(int Instances, string? StudyDate);

    public DateOnly? Watermark { get; set; }

    /// <summary>When the last round that looked at every study (from --since) began.</summary>
    public DateTimeOffset? LastFullScan { get; set; }

    public Dictionary<string, Study> Studies { get; init; } = new(StringComparer.Ordinal);

    public static PollState Load(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize<PollState>(File.ReadAllText(path), Json) ?? new PollState() : new PollState();

    public void Save(string path)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, Json));
        File.Move(temporary, path, overwrite: true);
    }
}
