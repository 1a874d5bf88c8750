using System.Collections;

namespace MedImaging.Dicom;

/// <summary>A dataset: elements ordered by tag, with the character set in force for its text.</summary>
public sealed class DicomDataset : IEnumerable<DicomElement>
{
    private readonly List<DicomElement> _elements;

    /// <summary>Creates an empty dataset.</summary>
    public DicomDataset() : this(DicomCharacterSet.Default) { }

    /// <summary>Creates an empty dataset whose new text values use <paramref name="characterSet"/>.</summary>
    public DicomDataset(DicomCharacterSet characterSet, int capacity = 16)
    {
        CharacterSet = characterSet;
        _elements = new List<DicomElement>(capacity);
    }

    /// <summary>The character set in force: from (0008,0005) here, else inherited from the enclosing dataset.</summary>
    public DicomCharacterSet CharacterSet { get; set; }

    /// <summary>Number of elements at this level.</summary>
    public int Count => _elements.Count;

    /// <summary>The element at a position in tag order.</summary>
    public DicomElement this[int index] => _elements[index];

    /// <summary>Adds or replaces an element, keeping tag order.</summary>
    public DicomDataset Add(DicomElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        var n = _elements.Count;
        // Input is nearly always in ascending order: append without searching.
        if (n == 0 || _elements[n - 1].Tag < element.Tag) { _elements.Add(element); return this; }
        var i = IndexOf(element.Tag);
        if (i >= 0) _elements[i] = element;
        else _elements.Insert(~i, element);
        return this;
    }

    /// <summary>Adds or replaces a text element, encoded with this dataset's character set; the VR comes from the dictionary.</summary>
    public DicomDataset Add(DicomTag tag, params string[] values) => Add(tag, DicomDictionary.Default.ImplicitVR(tag), values);

    /// <summary>Adds or replaces an element from text values (numbers for binary VRs are parsed invariantly).</summary>
    public DicomDataset Add(DicomTag tag, DicomVR vr, params string[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (tag == DicomTags.SpecificCharacterSet) CharacterSet = DicomCharacterSet.FromTerms(values);
        return Add(DicomValueEncoder.Encode(tag, vr, values, CharacterSet));
    }

    /// <summary>Adds or replaces a sequence.</summary>
    public DicomDataset Add(DicomTag tag, params DicomDataset[] items) => Add(new DicomSequence(tag, items));

    /// <summary>Removes an element; true if it was there.</summary>
    public bool Remove(DicomTag tag)
    {
        var i = IndexOf(tag);
        if (i < 0) return false;
        _elements.RemoveAt(i);
        return true;
    }

    /// <summary>Removes every element matching a predicate (e.g. all private tags).</summary>
    public int RemoveAll(Predicate<DicomElement> match) => _elements.RemoveAll(match);

    /// <summary>True when the tag is present at this level.</summary>
    public bool Contains(DicomTag tag) => IndexOf(tag) >= 0;

    /// <summary>The element for a tag, or null.</summary>
    public DicomElement? GetElement(DicomTag tag)
    {
        var i = IndexOf(tag);
        return i >= 0 ? _elements[i] : null;
    }

    /// <summary>The whole decoded text of an element (all values joined by backslash), or null if absent.</summary>
    public string? GetString(DicomTag tag) => GetElement(tag)?.GetString();

    /// <summary>The values of an element as strings (empty when absent).</summary>
    public string[] GetStrings(DicomTag tag) => GetElement(tag)?.GetStrings() ?? [];

    /// <summary>The first value of a text element, or null.</summary>
    public string? GetFirstString(DicomTag tag) => GetStrings(tag) is { Length: > 0 } s ? s[0] : null;

    /// <summary>A value of a numeric element (IS, DS, US, UL, SS, SL, FL, FD…) as a double, or null.</summary>
    public double? GetDouble(DicomTag tag, int index = 0)
        => GetElement(tag) is { } e && e.GetDoubles() is { } d && d.Length > index ? d[index] : null;

    /// <summary>A value of a numeric element as an int, or null.</summary>
    public int? GetInt32(DicomTag tag, int index = 0) => GetDouble(tag, index) is { } d ? (int)d : null;

    /// <summary>The binary values of an element reinterpreted as <typeparamref name="T"/> (ushort for US/OW, float for FL…);
    /// empty when absent.</summary>
    public T[] GetValues<T>(DicomTag tag) where T : unmanaged => GetElement(tag)?.GetValues<T>() ?? [];

    /// <summary>A person name, decoded with its alphabetic, ideographic and phonetic groups, or null.</summary>
    public DicomPersonName? GetPersonName(DicomTag tag, int index = 0)
        => GetStrings(tag) is { } s && s.Length > index ? new DicomPersonName(s[index]) : null;

    /// <summary>The items of a sequence (empty when absent or not a sequence).</summary>
    public IReadOnlyList<DicomDataset> GetSequence(DicomTag tag) => GetElement(tag) is DicomSequence sq ? sq.Items : [];

    /// <summary>For a private data element, the value of the private creator that reserves its block.</summary>
    public string? GetPrivateCreator(DicomTag tag)
        => tag.IsPrivate && !tag.IsPrivateCreator && tag.Element >= 0x1000 ? GetString(tag.PrivateCreatorTag) : null;

    /// <summary>Copies this dataset (sequences are copied deeply; value bytes are shared, they are immutable).</summary>
    public DicomDataset Clone()
    {
        var copy = new DicomDataset(CharacterSet, _elements.Count);
        foreach (var e in _elements)
            copy._elements.Add(e is DicomSequence sq ? new DicomSequence(sq.Tag, sq.Items.Select(i => i.Clone())) : e);
        return copy;
    }

    internal int IndexOf(DicomTag tag)
    {
        int lo = 0, hi = _elements.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var t = _elements[mid].Tag.Value;
            if (t == tag.Value) return mid;
            if (t < tag.Value) lo = mid + 1;
            else hi = mid - 1;
        }
        return ~lo;
    }

    /// <inheritdoc />
    public IEnumerator<DicomElement> GetEnumerator() => _elements.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
