using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Util;

namespace MedImaging.Directory.Search.Index;

/// <summary>
/// The index's fields and how an entry becomes a Lucene document. Text is the catalogue's own tokens (<see cref="SearchText"/>,
/// the same that fill the tsvector) in four fields by weight, so both engines match the same entries; filters are exact
/// terms; facets and sorts read doc values.
/// </summary>
public static class IndexFields
{
    public const string EntryKey = "key", Origin = "origin", ResourceId = "rid", Security = "sec", Institution = "inst",
        Classification = "cls", Category = "cat", Subcategory = "sub", Code = "code", Modality = "mod", BodyPart = "body", Kind = "kind",
        StudyUid = "suid", StudyDate = "sdate", Year = "year", Published = "pub", Title = "title";

    /// <summary>Text by tsvector weight: A title, B keywords, C abstract and study description, D institution name and modalities.</summary>
    public const string TextA = "ta", TextB = "tb", TextC = "tc", TextD = "td";

    public static readonly IReadOnlyList<string> TextFields = [TextA, TextB, TextC, TextD];

    // Doc values hold at most 32,766 bytes; a title longer than this sorts by its first 8,000 bytes.
    private const int MaxSortBytes = 8000;

    private static readonly FieldType TextType = NewTextType();

    public static string Key(string origin, Guid resourceId) => origin + "\u001f" + resourceId.ToString("D");

    public static int DateNumber(DateOnly d) => d.Year * 10000 + d.Month * 100 + d.Day;

    public static Document Build(IndexedEntry e)
    {
        var doc = new Document
        {
            new StringField(EntryKey, e.Key, Field.Store.NO),
            new StringField(Origin, e.OriginNode, Field.Store.NO),
            new SortedDocValuesField(Origin, new BytesRef(e.OriginNode)),
            new SortedDocValuesField(ResourceId, new BytesRef(e.ResourceId.ToString("D"))),
            new StringField(Kind, e.Kind, Field.Store.NO),
            new SortedDocValuesField(Kind, new BytesRef(e.Kind)),
            new Int64Field(Published, e.PublishedAt.UtcTicks, Field.Store.NO),
            new NumericDocValuesField(Published, e.PublishedAt.UtcTicks),
            new SortedDocValuesField(Title, new BytesRef(SortTitle(e.Title))),
        };
        Single(doc, Security, e.SecurityClassification);
        Single(doc, Institution, e.Institution);
        Single(doc, Category, e.Category, indexed: false);
        Single(doc, Subcategory, e.Subcategory, indexed: false);
        Single(doc, Code, e.ClassificationCode, indexed: false);
        // A classification filter matches a code at any of the three levels.
        foreach (var c in new[] { e.Category, e.Subcategory, e.ClassificationCode }.OfType<string>().Distinct(StringComparer.Ordinal))
            doc.Add(new StringField(Classification, c, Field.Store.NO));
        Multi(doc, Modality, e.Modalities);
        Multi(doc, BodyPart, e.BodyParts);
        if (e.StudyInstanceUid is { } uid) doc.Add(new StringField(StudyUid, uid, Field.Store.NO));
        if (e.StudyDate is { } date)
        {
            doc.Add(new Int32Field(StudyDate, DateNumber(date), Field.Store.NO));
            doc.Add(new SortedDocValuesField(Year, new BytesRef(date.Year.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }
        doc.Add(new Field(TextA, new PreTokenizedStream([e.Title]), TextType));
        doc.Add(new Field(TextB, new PreTokenizedStream(e.Keywords), TextType));
        doc.Add(new Field(TextC, new PreTokenizedStream([e.Abstract, e.StudyDescription]), TextType));
        doc.Add(new Field(TextD, new PreTokenizedStream([e.InstitutionName, .. e.Modalities]), TextType));
        return doc;
    }

    private static void Single(Document doc, string field, string? value, bool indexed = true)
    {
        if (value is null) return;
        if (indexed) doc.Add(new StringField(field, value, Field.Store.NO));
        doc.Add(new SortedDocValuesField(field, new BytesRef(value)));
    }

    private static void Multi(Document doc, string field, IReadOnlyList<string> values)
    {
        foreach (var v in values.Distinct(StringComparer.Ordinal))
        {
            doc.Add(new StringField(field, v, Field.Store.NO));
            doc.Add(new SortedSetDocValuesField(field, new BytesRef(v)));
        }
    }

    /// <summary>The title as sorted (its first 8,000 bytes at most).</summary>
    public static string SortTitle(string s)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(s) <= MaxSortBytes) return s;
        var n = Math.Min(s.Length, MaxSortBytes / 3);
        return s[..(char.IsHighSurrogate(s[n - 1]) ? n - 1 : n)];
    }

    // Positions only for phrases; no norms (scores are the engine's own weights, not length-normalised), no stored text.
    private static FieldType NewTextType()
    {
        var t = new FieldType(TextField.TYPE_NOT_STORED) { OmitNorms = true, IndexOptions = IndexOptions.DOCS_AND_FREQS_AND_POSITIONS };
        t.Freeze();
        return t;
    }
}
