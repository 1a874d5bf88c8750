using MedImaging.Dicom;
using MedImaging.Registration.Privacy;

namespace MedImaging.Registration.Tests;

/// <summary>What Clean Descriptors takes out of free text, and what it leaves (docs/adr/0015-confidentiality-profile.md).</summary>
public sealed class DescriptorCleanerTests
{
    private static DescriptorCleaner For(string name, string? id = null)
    {
        var ds = new DicomDataset(DicomCharacterSet.Utf8);
        ds.Add(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");
        ds.Add(DicomTags.PatientName, DicomVR.PN, name);
        if (id is not null) ds.Add(DicomTags.PatientID, DicomVR.LO, id);
        return DescriptorCleaner.For(ds);
    }

    [Theory]
    [InlineData("唐三藏 胸部CT", "[PHI] 胸部CT")]
    [InlineData("唐 三藏 家属要求加急", "[PHI] 家属要求加急")]
    [InlineData("唐^三藏复查", "[PHI]复查")]
    [InlineData("三藏 胸部平扫", "[PHI] 胸部平扫")]           // a two-character given name alone is the person
    [InlineData("唐山 胸部CT", "唐山 胸部CT")]                // a one-character surname alone is a character of a word
    public void ChineseNamesAreReplacedWithAndWithoutSeparators(string text, string cleaned)
        => Assert.Equal(cleaned, For("唐^三藏").Clean(text));

    [Theory]
    [InlineData("Chest CT for Sanzang Pilgrim", "Chest CT for [PHI]")]
    [InlineData("PILGRIM, SANZANG follow-up", "[PHI] follow-up")]
    [InlineData("Pilgrim was seen before", "[PHI] was seen before")]
    [InlineData("Pilgrimage protocol", "Pilgrimage protocol")]      // not inside a longer word
    public void WesternNamesAreReplacedInEitherOrderAndOnlyAsWords(string text, string cleaned)
        => Assert.Equal(cleaned, For("Pilgrim^Sanzang").Clean(text));

    [Fact]
    public void EveryGroupOfTheNameAndTheIdentifierAreReplaced()
    {
        var cleaner = For("Yamada^Tarou=山田^太郎=やまだ^たろう", "H31EXAMPLE");
        Assert.Equal("[PHI] [PHI] [PHI] ([PHI])", cleaner.Clean("山田太郎 Tarou Yamada やまだ たろう (h31example)"));
        Assert.Equal("Lisinopril 扩张", For("Li^Ming").Clean("Lisinopril 扩张"));
    }

    [Fact]
    public void ShortIdentifiersAreOrdinaryNumbers()
    {
        var cleaner = For("Doe^Jane", "120");
        Assert.Equal("120 kV", cleaner.Clean("120 kV"));
        Assert.Same("120 kV", cleaner.Clean("120 kV"));
    }
}
