using System.Globalization;

namespace MedImaging.Directory.Bench;

/// <summary>The command line: <c>--name value</c> pairs and bare flags after the subcommand.</summary>
public sealed class Options(string[] args)
{
    public bool Has(string name) => args.Contains(name);

    public string? Text(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

    public long Number(string name, long fallback)
    {
        if (Text(name) is not { } text) return fallback;
        return long.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v : throw new ArgumentException($"{name}: '{text}' is not a whole number");
    }

    public long[] Numbers(string name, long[] fallback) => Text(name) is { } text
        ? [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => long.TryParse(t.Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0
                ? v : throw new ArgumentException($"{name}: '{t}' is not a positive whole number"))]
        : fallback;
}
