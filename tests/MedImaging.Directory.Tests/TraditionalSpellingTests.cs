using System.Diagnostics;
using MedImaging.Directory.Concepts;

namespace MedImaging.Directory.Tests;

/// <summary>
/// The traditional and full-width spellings of the dictionary's terms meet their simplified, half-width forms in the
/// normaliser. The traditional spellings come from OpenCC (Debian's opencc, not our table), so a concept added with a
/// character the table lacks fails here rather than quietly missing traditional queries.
/// </summary>
public sealed class TraditionalSpellingTests
{
    private static readonly ConceptVocabulary Vocabulary = ConceptDictionaryLoader.Load(ConceptRegistration.ShippedPath);

    [Theory]
    [InlineData("s2t")]
    [InlineData("s2tw")]
    [InlineData("s2hk")]
    public async Task Every_Chinese_term_written_in_traditional_characters_normalises_to_its_simplified_form(string config)
    {
        string[] terms = [.. Vocabulary.Concepts.SelectMany(c => c.ChineseTerms).Distinct(StringComparer.Ordinal)];
        var traditional = await OpenCcAsync(config, terms);
        Assert.Equal(terms.Length, traditional.Length);
        var differing = terms.Zip(traditional).Where(p => p.First != p.Second).ToList();
        Assert.True(differing.Count > 100, $"only {differing.Count} terms are spelt differently in {config}");
        Assert.Empty(differing.Where(p => ConceptText.Normalize(p.Second) != ConceptText.Normalize(p.First)).Select(p => $"{p.Second} → {ConceptText.Normalize(p.Second)}, not {p.First}"));
    }

    [Theory]
    [InlineData("右肺上葉結節", "MIC:0099")]
    [InlineData("髖關節", "RID2639")]
    [InlineData("鋇餐", "MIC:0047")]
    [InlineData("ＣＴＡ", "MIC:0003")]
    [InlineData("增強ＭＲＩ", "MIC:0024")]
    public void A_traditional_or_full_width_query_finds_the_concept(string text, string id)
    {
        var expansion = new ConceptExpansion(Vocabulary);
        Assert.Contains(expansion.Expand(text, concepts: true).Concepts, c => c.Id == id);
    }

    private static async Task<string[]> OpenCcAsync(string config, string[] lines)
    {
        using var process = Process.Start(new ProcessStartInfo("opencc", ["-c", config])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, StandardInputEncoding = new System.Text.UTF8Encoding(false),
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        })!;
        await process.StandardInput.WriteAsync(string.Join('\n', lines) + "\n");
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        return output.TrimEnd('\n').Split('\n');
    }
}
