using System.Diagnostics;
using System.Text.Json;

namespace MedImaging.Directory.Tests.Statistics;

/// <summary>Reads CSV with Python's csv module (Debian's python3), a reader nobody here wrote, as a spreadsheet user's tools would.</summary>
internal static class PythonCsv
{
    public static async Task<List<List<string>>> ReadAsync(byte[] csv)
    {
        var path = Path.Combine(Path.GetTempPath(), $"medcat-stats-{Guid.NewGuid():N}.csv");
        await File.WriteAllBytesAsync(path, csv);
        try
        {
            var start = new ProcessStartInfo("/usr/bin/python3")
            {
                ArgumentList = { "-c", "import csv, json, sys; print(json.dumps(list(csv.reader(open(sys.argv[1], encoding='utf-8-sig', newline=''), strict=True)), ensure_ascii=False))", path },
                RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = System.Text.Encoding.UTF8,
            };
            start.Environment["PYTHONIOENCODING"] = "utf-8";
            using var python = Process.Start(start)!;
            var output = await python.StandardOutput.ReadToEndAsync();
            var error = await python.StandardError.ReadToEndAsync();
            await python.WaitForExitAsync();
            Assert.True(python.ExitCode == 0, error);
            return JsonSerializer.Deserialize<List<List<string>>>(output)!;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
