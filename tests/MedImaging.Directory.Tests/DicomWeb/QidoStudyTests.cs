using System.Net;
using System.Text.Json;
using MedImaging.ServiceDefaults.Auth;
using static MedImaging.Directory.Tests.DicomWeb.QidoCatalog;

namespace MedImaging.Directory.Tests.DicomWeb;

/// <summary>QIDO-RS study search: the matching rules of PS3.4 C.2.2.2 over the published catalogue, and the answer's attributes.</summary>
public sealed class QidoStudyTests(QidoCatalog catalog) : IClassFixture<QidoCatalog>
{
    // 河北医科大学* percent-encoded as UTF-8, as a browser or Orthanc sends it (Orthanc encodes the * too).
    private const string HebeiMedicalUniversityWildcard = "%E6%B2%B3%E5%8C%97%E5%8C%BB%E7%A7%91%E5%A4%A7%E5%AD%A6%2A";

    [Fact]
    public async Task A_percent_encoded_Chinese_institution_name_with_a_wildcard_finds_the_public_studies_and_returns_the_Chinese_intact()
    {
        using var anonymous = catalog.Client();
        var found = await QidoAsync(anonymous, $"/dicomweb/studies?InstitutionName={HebeiMedicalUniversityWildcard}");

        Assert.Equal(Sorted(catalog.ChestCt, catalog.FullWidth), Uids(found));
        var chest = found.Single(d => Value(d, "0020000D") == catalog.ChestCt.StudyInstanceUid);
        Assert.Equal("胸部CT平扫 肺结节随访", Value(chest, "00081030"));
        Assert.Equal("河北医科大学第二医院", Value(chest, "00080080")); // a matching key is answered (PS3.18 10.6.3.3)
        Assert.Equal("ISO_IR 192", Value(chest, "00080005"));
        Assert.Equal("20250314", Value(chest, "00080020"));
        Assert.Equal("CT", Value(chest, "00080061"));
        Assert.Equal("2", Value(chest, "00201206"));
        Assert.Equal("300", Value(chest, "00201208"));
        Assert.Equal(catalog.ChestCt.OnlineResourceLink, Value(chest, "00081190"));
        Assert.Equal("ONLINE", Value(chest, "00080056"));
    }

    [Theory]
    [InlineData("StudyDescription=%E5%A4%B4%E9%A2%85M%3F%E5%A2%9E%E5%BC%BA", "head")]          // 头颅M?增强: ? is one character
    [InlineData("StudyDescription=%E5%A4%B4%E9%A2%85MR%E5%A2%9E%E5%BC%BA", "head")]            // single value, exact
    [InlineData("StudyDescription=%E5%A4%B4%E9%A2%85MR", "")]                                     // single value is not a prefix
    [InlineData("StudyDescription=*%E8%82%BA%E7%BB%93%E8%8A%82*", "chest")]                       // *肺结节*
    [InlineData("StudyDate=20250314", "chest")]
    [InlineData("StudyDate=20250101-20250331", "chest,head,fullwidth")]
    [InlineData("StudyDate=20250315-", "fullwidth")]
    [InlineData("StudyDate=-20250105", "head")]
    [InlineData("StudyInstanceUID=1.2.156.600.1.1,1.2.156.600.1.2", "chest,head")]
    [InlineData("StudyInstanceUID=1.2.156.600.1.1%5C1.2.156.600.1.6", "chest,fullwidth")]        // backslash-separated list
    [InlineData("StudyInstanceUID=1.2.156.600.1.1&StudyInstanceUID=1.2.156.600.1.4", "chest")]  // the restricted one stays hidden
    [InlineData("ModalitiesInStudy=MR", "head")]
    [InlineData("ModalitiesInStudy=MR%5CCT", "chest,head,fullwidth")]
    [InlineData("ModalitiesInStudy=M*", "head")]
    [InlineData("StudyDescription=&InstitutionName=*", "chest,head,fullwidth")]                 // universal matching
    [InlineData("", "chest,head,fullwidth")]                                                      // never the dataset without a Study UID
    [InlineData("StudyDescription=ct*", "")]                                                      // literal matching is case-sensitive
    [InlineData("StudyDescription=ct*&fuzzymatching=true", "fullwidth")]                          // ＣＴ: case- and width-insensitive
    [InlineData("StudyDescription=%EF%BC%A3%EF%BC%B4*", "fullwidth")]                             // ＣＴ* literally
    [InlineData("InstitutionName=%E6%B2%B3%E5%8C%97%E9%86%AB%E7%A7%91%E5%A4%A7%E5%AD%B8%2A", "")]                            // 河北醫科大學*: traditional characters, literally
    [InlineData("InstitutionName=%E6%B2%B3%E5%8C%97%E9%86%AB%E7%A7%91%E5%A4%A7%E5%AD%B8%2A&fuzzymatching=true", "chest,fullwidth")]      // … and fuzzy
    [InlineData("ModalitiesInStudy=mr&fuzzymatching=true", "head")]
    [InlineData("InstitutionName=%E6%B2%B3%E5%8C%97%E7%9C%81%E4%BA%BA%E6%B0%91%E5%8C%BB%E9%99%A2", "head")]
    [InlineData("AccessionNumber=A123", "")]                                                      // the catalogue holds no accession numbers
    [InlineData("AccessionNumber=", "chest,head,fullwidth")]
    public async Task Each_matching_rule_finds_exactly_the_public_studies_it_should(string query, string expected)
    {
        using var anonymous = catalog.Client();
        var found = await QidoAsync(anonymous, "/dicomweb/studies?" + query);
        Assert.Equal(Names(expected), Uids(found));
    }

    [Fact]
    public async Task Every_patient_attribute_is_the_pseudonym_or_empty()
    {
        using var client = catalog.Client(SecurityLevels.Restricted);
        var found = await QidoAsync(client, "/dicomweb/studies?includefield=all");
        Assert.Equal(5, found.Length);
        foreach (var study in found)
        {
            var entry = new[] { catalog.ChestCt, catalog.HeadMr, catalog.FullWidth, catalog.Internal, catalog.Restricted }
                .Single(e => e.StudyInstanceUid == Value(study, "0020000D"));
            Assert.Equal(entry.PatientPseudonym, Value(study, "00100020"));
            Assert.Equal(entry.PatientPseudonym, Value(study, "00100010"));
            Assert.Equal("PN", study.GetProperty("00100010").GetProperty("vr").GetString());
            foreach (var empty in new[] { "00100030", "00100040", "00080050", "00080090", "00200010", "00080030" })
                Assert.False(study.GetProperty(empty).TryGetProperty("Value", out _), $"{empty} has a value in {study}");
            var patientKeys = study.EnumerateObject().Select(p => p.Name).Where(t => t.StartsWith("0010", StringComparison.Ordinal)).Order();
            Assert.Equal(["00100010", "00100020", "00100030", "00100040"], patientKeys);
        }
        // A pseudonym is a matching key like any other.
        var byPseudonym = await QidoAsync(client, $"/dicomweb/studies?PatientID={catalog.HeadMr.PatientPseudonym}");
        Assert.Equal(Sorted(catalog.HeadMr), Uids(byPseudonym));
    }

    [Fact]
    public async Task Includefield_adds_attributes_by_keyword_tag_or_all()
    {
        using var anonymous = catalog.Client();
        var plain = await QidoAsync(anonymous, "/dicomweb/studies?StudyInstanceUID=1.2.156.600.1.1");
        Assert.False(Assert.Single(plain).TryGetProperty("00080080", out _));

        foreach (var include in new[] { "includefield=00080080", "includefield=InstitutionName", "includefield=StudyDescription,InstitutionName", "includefield=all" })
        {
            var with = Assert.Single(await QidoAsync(anonymous, "/dicomweb/studies?StudyInstanceUID=1.2.156.600.1.1&" + include));
            Assert.Equal("河北医科大学第二医院", Value(with, "00080080"));
        }
    }

    [Fact]
    public async Task Limit_and_offset_page_through_the_studies_and_a_cut_short_page_says_there_is_more()
    {
        using var anonymous = catalog.Client();
        using var first = await anonymous.GetAsync("/dicomweb/studies?limit=2");
        Assert.Contains(first.Headers.GetValues("Warning"), w => w.Contains("additional results", StringComparison.Ordinal));
        var page1 = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToArray();
        using var second = await anonymous.GetAsync("/dicomweb/studies?limit=2&offset=2");
        Assert.False(second.Headers.Contains("Warning"));
        var page2 = JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToArray();

        Assert.Equal(2, page1.Length);
        Assert.Single(page2);
        Assert.Equal(Names("chest,head,fullwidth"), Uids(page1.Concat(page2)));
        Assert.Empty(await QidoAsync(anonymous, "/dicomweb/studies?offset=3"));
    }

    [Theory]
    [InlineData("Foo=1", "Foo")]
    [InlineData("00091234=1", "00091234")]
    [InlineData("StudyDate=2025-01-01", "StudyDate")]
    [InlineData("StudyDate=20250230", "StudyDate")]
    [InlineData("StudyInstanceUID=1.2.*", "StudyInstanceUID")]
    [InlineData("NumberOfStudyRelatedSeries=2", "NumberOfStudyRelatedSeries")]
    [InlineData("Modality=CT", "Modality")]                   // a series-level key at the study level
    [InlineData("includefield=PatientWeight", "PatientWeight")]
    [InlineData("limit=0", "limit")]
    [InlineData("offset=-1", "offset")]
    [InlineData("fuzzymatching=yes", "fuzzymatching")]
    [InlineData("StudyDescription=a&StudyDescription=b", "StudyDescription")]
    public async Task An_unknown_or_invalid_key_is_400_naming_it(string query, string named)
    {
        using var anonymous = catalog.Client();
        using var response = await anonymous.GetAsync("/dicomweb/studies?" + query);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(named, body, StringComparison.Ordinal);
        Assert.Contains(response.Headers.GetValues("Warning"), w => w.Contains(named, StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_match_is_200_with_an_empty_array_and_an_unacceptable_type_406()
    {
        using var anonymous = catalog.Client();
        using var none = await anonymous.GetAsync("/dicomweb/studies?StudyInstanceUID=1.2.3.4.5");
        Assert.Equal(HttpStatusCode.OK, none.StatusCode);
        Assert.Equal("[]", await none.Content.ReadAsStringAsync());

        using var html = catalog.Node.Directory.CreateClient();
        html.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        Assert.Equal(HttpStatusCode.NotAcceptable, (await html.GetAsync("/dicomweb/studies")).StatusCode);
    }

    private string[] Names(string names) => [.. names.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(n => n switch
    {
        "chest" => catalog.ChestCt, "head" => catalog.HeadMr, "fullwidth" => catalog.FullWidth, "internal" => catalog.Internal,
        "restricted" => catalog.Restricted, _ => throw new ArgumentException(n, nameof(names)),
    }).Select(e => e.StudyInstanceUid!).Order(StringComparer.Ordinal)];
}
