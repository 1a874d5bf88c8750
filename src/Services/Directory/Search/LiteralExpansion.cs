namespace MedImaging.Directory.Search;

/// <summary>
/// Free text as its own words, without the concept dictionary: each whitespace-separated word (normalised) is a group
/// that must match. What <see cref="IQueryExpansion"/> does when a query turns concept expansion off.
/// </summary>
public sealed class LiteralExpansion : IQueryExpansion
{
    public ExpandedText Expand(string text, bool concepts) => Literal(text);

    public static ExpandedText Literal(string text) => new(
        [.. TextNormalizer.Normalize(text).Split((char[])[' ', '\t', '\n', '\r', ',', ';', '，', '；', '、'], StringSplitOptions.RemoveEmptyEntries)
            .Distinct(StringComparer.Ordinal).Select(w => (IReadOnlyList<string>)[w])],
        []);
}
