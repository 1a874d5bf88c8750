using MedImaging.Dicom.Tests.Peers;

namespace MedImaging.Dicom.Tests;

/// <summary>Character sets (PS3.5 §6.1, PS3.3 C.12.1.1.2): single-byte, UTF-8, GB18030, GBK, ISO 2022 extensions.</summary>
public sealed class CharacterSetTests
{
    // Expected names are pydicom's (checked by CorpusAgreementTests too) as listed in the corpus's FileInfo.txt.
    [PydicomTheory]
    [InlineData("chrX1.dcm", "Wang^XiaoDong=王^小東=")]
    [InlineData("chrX2.dcm", "Wang^XiaoDong=王^小东=")]
    [InlineData("chrH31.dcm", "Yamada^Tarou=山田^太郎=やまだ^たろう")]
    [InlineData("chrH32.dcm", "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう")]
    [InlineData("chrI2.dcm", "Hong^Gildong=洪^吉洞=홍^길동")]
    [InlineData("chrKoreanMulti.dcm", "김희중")]
    [InlineData("chrJapMultiExplicitIR6.dcm", "やまだ^たろう")]
    [InlineData("chrArab.dcm", "قباني^لنزار")]
    [InlineData("chrGreek.dcm", "Διονυσιος")]
    [InlineData("chrHbrw.dcm", "שרון^דבורה")]
    [InlineData("chrRuss.dcm", "Люкceмбypг")]
    [InlineData("chrGerm.dcm", "Äneas^Rüdiger")]
    [InlineData("chrFren.dcm", "Buc^Jérôme")]
    public void CharsetCorpusFilesDecodeToTheExpectedPatientName(string file, string expected)
    {
        Assert.Equal(expected, DicomFile.Open(Corpus.Get(file)).Dataset.GetString(DicomTags.PatientName));
    }

    [PydicomFact]
    public void ChineseNamesHaveAlphabeticAndIdeographicGroups()
    {
        var gb = DicomFile.Open(Corpus.Get("chrX2.dcm"), DicomReaderOptions.MetadataOnly).Dataset.GetPersonName(DicomTags.PatientName)!;
        Assert.Equal(("Wang^XiaoDong", "王^小东", ""), (gb.Alphabetic, gb.Ideographic, gb.Phonetic));
        Assert.Equal(("Wang", "XiaoDong"), (gb.FamilyName, gb.GivenName));
        Assert.Equal("王", gb.GetComponent(1, 0));
        var jp = DicomFile.Open(Corpus.Get("chrH31.dcm")).Dataset.GetPersonName(DicomTags.PatientName)!;
        Assert.Equal("やまだ^たろう", jp.Phonetic);
    }

    [PydicomFact]
    public void SequenceItemWithItsOwnCharacterSetOverridesTheDataset()
    {
        var ds = DicomFile.Open(Corpus.Get("chrSQEncoding1.dcm")).Dataset;
        var item = ds.GetSequence(new DicomTag(0x00321064))[0];
        Assert.Equal("ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう", item.GetString(DicomTags.PatientName));
    }

    // Bytes from Python's gb18030/gbk codecs (an encoder nobody here wrote).
    [Fact]
    public void Gb18030FourByteAndGbkValuesDecode()
    {
        var gb18030 = DicomCharacterSet.FromElementValue("GB18030");
        Assert.Equal("王^小东", gb18030.Decode(Convert.FromHexString("cdf55ed0a1b6ab"), DicomVR.PN));
        Assert.Equal("𠀀", gb18030.Decode(Convert.FromHexString("95328236"), DicomVR.LO)); // four-byte GB18030 sequence
        var gbk = DicomCharacterSet.FromElementValue("GBK");
        Assert.Equal("张^小东", gbk.Decode(Convert.FromHexString("d5c55ed0a1b6ab"), DicomVR.PN));
        Assert.Equal("镕", gbk.Decode(Convert.FromHexString("e946"), DicomVR.LO)); // GBK, not in GB2312
    }

    [Fact]
    public void GbkTrailByte0x5CIsNotAValueDelimiter()
    {
        // 乗 is 81 5C in GBK: the second byte is a backslash in ASCII. Values are split after decoding.
        var ds = new DicomDataset(DicomCharacterSet.FromElementValue("GBK"));
        ds.Add(new DicomElement(DicomTags.InstitutionName, DicomVR.LO, Convert.FromHexString("815c5c41"), ds.CharacterSet));
        Assert.Equal(["乗", "A"], ds.GetStrings(DicomTags.InstitutionName));
    }

    [Fact]
    public void Iso2022Ir58PersonNameFollowsPs3_5AnnexK()
    {
        var cs = DicomCharacterSet.FromTerms(["", "ISO 2022 IR 58"]);
        var bytes = PeerDisagreementTests.Ir58Name;
        Assert.Equal("Zhang^XiaoDong=张^小东=", cs.Decode(bytes, DicomVR.PN).TrimEnd());
        // Encoding repeats the escape after each delimiter, because the designation resets there (§6.1.2.5.3).
        Assert.Equal(bytes[..^1], cs.Encode("Zhang^XiaoDong=张^小东=", DicomVR.PN));
    }

    [PydicomFact]
    public void Iso2022Ir87EncodingReproducesTheCorpusBytes()
    {
        // chrH31.dcm was written by another toolkit: our encoder must produce the same escape sequences.
        var element = DicomFile.Open(Corpus.Get("chrH31.dcm")).Dataset.GetElement(DicomTags.PatientName)!;
        var expected = element.Buffer.ToArray().AsSpan().TrimEnd((byte)' ').ToArray();
        Assert.Equal(expected, element.CharacterSet.Encode("Yamada^Tarou=山田^太郎=やまだ^たろう", DicomVR.PN));
    }

    [Fact]
    public void EveryDefinedTermAndEscapeHasAnEncodingOnThisRuntime()
    {
        foreach (var set in CharsetTerms.Escapes) Assert.NotNull(set.Encoding);
        foreach (var term in CharsetTerms.Simple.Keys)
        {
            var cs = DicomCharacterSet.FromElementValue(term);
            Assert.True(cs.IsKnown, term);
            Assert.Equal("AB", cs.Decode("AB"u8, DicomVR.LO));
        }
        Assert.False(DicomCharacterSet.FromElementValue("ISO_IR 999").IsKnown);
        // JIS X 0212 (ISO 2022 IR 159): 0x30 0x21 is 丂 (U+4E02), which .NET cannot decode: we must not print 亜 instead.
        Assert.Equal("\uFFFD", DicomCharacterSet.FromTerms(["", "ISO 2022 IR 159"]).Decode([0x1B, 0x24, 0x28, 0x44, 0x30, 0x21, 0x1B, 0x28, 0x42], DicomVR.LO));
    }

    [Fact]
    public void CharacterSetAppliesOnlyToTheTextVRsThatPs3_5Names()
    {
        var ds = new DicomDataset(DicomCharacterSet.Utf8);
        var utf8Bytes = "é"u8.ToArray();
        ds.Add(new DicomElement(DicomTags.InstitutionName, DicomVR.LO, utf8Bytes, ds.CharacterSet));
        ds.Add(new DicomElement(DicomTags.Modality, DicomVR.CS, utf8Bytes, ds.CharacterSet));
        Assert.Equal("é", ds.GetString(DicomTags.InstitutionName));
        Assert.Equal("Ã©", ds.GetString(DicomTags.Modality)); // CS is default repertoire: bytes are not UTF-8 there
    }

    [Fact]
    public void Iso2022EscapeIsResetAtComponentDelimiters()
    {
        // KS X 1001 designated in G1 once, before '^': after the delimiter G1 falls back to value 1 (none), so the
        // next high bytes are not Korean any more (PS3.5 §6.1.2.5.3); a conformant writer repeats the escape.
        var cs = DicomCharacterSet.FromTerms(["", "ISO 2022 IR 149"]);
        var conformant = Convert.FromHexString("1b2429439dab5e1b242943b1e6b5bf".Replace("9dab", "c8ab", StringComparison.Ordinal));
        Assert.Equal("홍^길동", cs.Decode(conformant, DicomVR.PN));
        var encoded = cs.Encode("홍^길동", DicomVR.PN);
        Assert.Equal(conformant, encoded);
    }
}
