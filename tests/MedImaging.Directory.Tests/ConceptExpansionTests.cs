using MedImaging.Directory.Concepts;

namespace MedImaging.Directory.Tests;

/// <summary>How free text is cut into concepts with the shipped dictionary (no engine involved: what the engine is asked).</summary>
public sealed class ConceptExpansionTests
{
    private static readonly ConceptVocabulary Vocabulary = ConceptDictionaryLoader.Load(ConceptRegistration.ShippedPath);
    private readonly ConceptExpansion _expansion = new(Vocabulary);

    [Fact]
    public void Concepts_are_found_inside_unsegmented_Chinese_and_overlapping_ones_are_all_kept()
    {
        var expanded = _expansion.Expand("右肺结节随访", concepts: true);
        Assert.Contains(expanded.Concepts, c => c.Id == "RID50149" && c.MatchedText == "肺结节");
        Assert.Contains(expanded.Concepts, c => c.Id == "RID1302" && c.MatchedText == "右肺");
        Assert.Contains(expanded.Concepts, c => c.LabelEn == "follow-up");
        // Nothing is left over as a literal word: every character belongs to a concept.
        Assert.All(expanded.Groups, g => Assert.True(g.Count > 1, string.Join(",", g)));
    }

    [Theory]
    [InlineData("结节病灶", "结节,病变")]     // a nodular lesion, not 结节病 (sarcoidosis) + 灶
    [InlineData("肺结节病", "肺,结节病")]     // pulmonary sarcoidosis, not 肺结节 + 病
    [InlineData("乳腺结节病灶", "乳腺结节,病变")]
    [InlineData("右肺结节", "右肺,肺结节")]   // no term ends where 肺结节 begins: both readings stay
    public void Where_terms_overlap_the_left_one_yields_to_a_reading_that_tiles_the_text(string text, string labels)
    {
        Assert.Equal(labels.Split(','), _expansion.Expand(text, concepts: true).Concepts.Select(c => c.LabelZh));
    }

    [Fact]
    public void English_phrases_match_case_insensitively_at_word_boundaries_with_plurals()
    {
        Assert.Contains(_expansion.Expand("Pulmonary Nodules, RUL", concepts: true).Concepts, c => c.Id == "RID50149" && c.MatchedText == "pulmonary nodules");
        Assert.DoesNotContain(_expansion.Expand("octreotide", concepts: true).Concepts, c => c.Id == "RID10321");
        Assert.Equal([["octreotide"]], _expansion.Expand("octreotide", concepts: true).Groups);
    }

    [Fact]
    public void A_finding_at_a_site_is_its_own_terms_or_the_sites_AND_its_own_terms_or_the_findings()
    {
        var groups = _expansion.Expand("肺结节", concepts: true).Groups;
        Assert.Equal(2, groups.Count);
        Assert.Contains("右肺", groups[0]); // the site: 肺 and what lies below it
        Assert.Contains("结节", groups[1]); // the finding
        // Both groups match the English name ("pulmonary" stands for the site, "nodule" for the finding).
        Assert.All(groups, g => Assert.Contains(g, t => "pulmonary nodule".Contains(t, StringComparison.Ordinal)));
        // 肺气肿 sits under 肺 but is not 肺 + a finding's name: one group of its own terms.
        Assert.Single(_expansion.Expand("肺气肿", concepts: true).Groups);
    }

    [Theory]
    [InlineData("全身")]
    [InlineData("病变")]
    [InlineData("胸部")]
    public void Groups_stay_bounded_for_concepts_high_in_the_hierarchy(string text)
    {
        var expanded = _expansion.Expand(text, concepts: true);
        Assert.All(expanded.Groups, g => Assert.InRange(g.Count, 2, ConceptExpansion.MaxTermsPerGroup));
        Assert.Contains(text, expanded.Groups[0]);
    }

    [Fact]
    public void Text_no_concept_covers_stays_as_literal_words_without_stop_words()
    {
        var expanded = _expansion.Expand("nodule of the 张三医院", concepts: true);
        Assert.Contains(["张三医院"], expanded.Groups);
        Assert.DoesNotContain(expanded.Groups, g => g.Count == 1 && g[0] is "of" or "the");
        Assert.Equal([["nodule"], ["of"], ["the"], ["张三医院"]], _expansion.Expand("nodule of the 张三医院", concepts: false).Groups);
    }
}
