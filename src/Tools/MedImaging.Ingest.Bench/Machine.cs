using System.Globalization;
using System.Runtime.InteropServices;

namespace MedImaging.Ingest.Bench;

/// <summary>What the numbers were measured on, and CPU time of processes the benchmark did not start (PostgreSQL).</summary>
public static class Machine
{
    public static string Describe()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"
            : "?";
        var memory = File.Exists("/proc/meminfo")
            ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"
            : "?";
        return $"{Environment.ProcessorCount} cores ({cpu}), {memory} RAM, {RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }

    /// <summary>Summed user + system CPU of every process with this command name (Linux /proc), in seconds.</summary>
    public static double CpuSecondsOf(string command)
    {
        double ticks = 0;
        foreach (var dir in Directory.Exists("/proc") ? Directory.EnumerateDirectories("/proc") : [])
        {
            if (!int.TryParse(Path.GetFileName(dir), out _)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var open = stat.IndexOf('(', StringComparison.Ordinal);
                var close = stat.LastIndexOf(')');
                if (stat[(open + 1)..close] != command) continue;
                var fields = stat[(close + 2)..].Split(' ');
                ticks += double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // the process ended while we looked
            }
        }
        return ticks / 100.0; // USER_HZ
    }
}
