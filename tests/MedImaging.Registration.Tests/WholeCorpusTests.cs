using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MedImaging.Dicom;
using MedImaging.ServiceDefaults.Auth;

namespace MedImaging.Registration.Tests;

/// <summary>
/// Every file of Debian's pydicom corpus (files nobody here wrote: CT, MR, RT, SR, US, multi-frame, big endian,
/// deflated, encapsulated, broken ones, ISO 2022 names) pushed by STOW-RS, as a PACS adapter would. Every part gets an
/// outcome, every failure a reason, and every study that arrived becomes an entry whose mandatory elements are either
/// auto-filled or named in a precise problem once catalogued.
/// </summary>
public sealed class WholeCorpusTests(RegistrationNode node) : IClassFixture<RegistrationNode>
{
    private static readonly string[] Files = [.. new[] { "test_files", "charset_files" }
        .Select(d => Path.Combine(Corpus.Root, d)).Where(Directory.Exists)
        .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
        .Where(f => !f.Contains("__pycache__", StringComparison.Ordinal) && !f.EndsWith(".py", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal)];

    [Fact]
    public async Task EveryCorpusFileIsStoredOrRefusedWithAReasonAndEveryStudyBecomesACheckableEntry()
    {
        Assert.True(Files.Length > 100, $"the pydicom corpus is missing under {Corpus.Root} (apt-get install python3-pydicom)");
        var adapter = node.Client("pacs-a", Roles.Adapter);
        int stored = 0, failed = 0;
        foreach (var batch in Files.Chunk(25))
        {
            // A part over the node's size limit is refused on purpose; the corpus's big files test that path elsewhere.
            var parts = batch.Where(f => new FileInfo(f).Length <= RegistrationNode.MaxPartBytes).ToArray();
            var response = await adapter.PostAsync("/dicomweb/studies", Stow.Content([.. parts.Select(File.ReadAllBytes)]));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted or HttpStatusCode.Conflict, $"{(int)response.StatusCode}: {text}");
            var body = JsonNode.Parse(text)!;
            var ok = Stow.Items(body, "00081199");
            var refused = Stow.Items(body, "00081198");
            Assert.True(ok.Count + refused.Count == parts.Length, $"{parts.Length} parts, {ok.Count} stored, {refused.Count} failed: {text}");
            foreach (var failure in refused)
            {
                var reason = Stow.Text(failure, "00081197");
                Assert.False(string.IsNullOrEmpty(reason), $"failure without a reason: {failure.ToJsonString()}");
                // 0x0110 is "processing failure": our fault, never the file's.
                Assert.NotEqual(((int)0x0110).ToString(System.Globalization.CultureInfo.InvariantCulture), reason);
            }
            stored += ok.Count;
            failed += refused.Count;
        }

        // Files our own reader takes whole, with the three UIDs, are never refused as unreadable.
        var readable = Files.Count(f => new FileInfo(f).Length <= RegistrationNode.MaxPartBytes && HasUids(f));
        Assert.True(stored >= readable * 9 / 10, $"{stored} stored, {failed} refused, {readable} readable with UIDs");

        var cataloguer = node.Client("cat-corpus", Roles.Cataloguer);
        var entries = (await cataloguer.GetFromJsonAsync<JsonObject>("/resources?pageSize=500"))!["items"]!.AsArray();
        Assert.True(entries.Count >= 10, $"only {entries.Count} entries");
        foreach (var entry in entries)
        {
            var values = entry!["values"]!.AsArray();
            Assert.Contains(values, v => v!["element"]!.ToString() == "dataFormat" && v["source"]!.ToString() == "auto");
            Assert.Contains(values, v => v!["element"]!.ToString() == "resourceTitle" && !string.IsNullOrWhiteSpace(v["value"]?.ToString()));

            var catalogued = await cataloguer.PostAsJsonAsync($"/resources/{entry["id"]}/catalogue", new { reason = "corpus check" });
            var result = JsonNode.Parse(await catalogued.Content.ReadAsStringAsync())!;
            Assert.True(catalogued.StatusCode == HttpStatusCode.OK, result.ToJsonString());
            foreach (var problem in result["problems"]!.AsArray())
            {
                // A precise problem names the element by id and by its Chinese name, and says what is wrong.
                Assert.False(string.IsNullOrEmpty(problem!["elementId"]?.ToString()), problem.ToJsonString());
                Assert.False(string.IsNullOrEmpty(problem["nameZh"]?.ToString()), problem.ToJsonString());
                Assert.False(string.IsNullOrEmpty(problem["kind"]?.ToString()), problem.ToJsonString());
            }
        }
    }

    private static bool HasUids(string file)
    {
        try
        {
            var ds = DicomFile.Open(file, DicomReaderOptions.MetadataOnly).Dataset;
            return !string.IsNullOrEmpty(ds.GetString(DicomTags.SOPInstanceUID))
                && !string.IsNullOrEmpty(ds.GetString(DicomTags.StudyInstanceUID))
                && !string.IsNullOrEmpty(ds.GetString(DicomTags.SeriesInstanceUID));
        }
        catch (DicomReadException)
        {
            return false;
        }
    }
}
