using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MedImaging.Metadata.Domain;

/// <summary>
/// Whether one JSON value conforms to an element's data type and value domain. Identifier and classification checks
/// read the scheme through <paramref name="identifiers"/>; <paramref name="serialStatus"/> says whether this node issued an OID.
/// </summary>
public sealed class ValueConformance(IdentifierRules identifiers, ClassificationScheme scheme, Func<string, string?> serialStatus)
{
    public sealed record Failure(string Kind, string Detail);

    public Failure? Check(MetadataElement el, JsonNode? node)
    {
        if (node is not JsonValue value) return new(ValidationProblem.Type, $"expected a single {el.DataType} value, found {node?.GetValueKind().ToString() ?? "null"}");
        var kind = value.GetValueKind();
        var d = el.Domain;
        switch (el.DataType)
        {
            case MetadataDataType.Integer or MetadataDataType.Decimal:
                if (kind != JsonValueKind.Number) return new(ValidationProblem.Type, $"expected a number ({el.DataType}), found {kind}");
                var number = value.GetValue<decimal>();
                if (el.DataType == MetadataDataType.Integer && number != decimal.Truncate(number)) return new(ValidationProblem.Type, $"expected an integer, found {number}");
                if (d.Minimum is { } min && number < min) return new(ValidationProblem.Domain, $"{number} is below the minimum {min}");
                if (d.Maximum is { } max && number > max) return new(ValidationProblem.Domain, $"{number} is above the maximum {max}");
                return null;
            case MetadataDataType.Boolean:
                return kind is JsonValueKind.True or JsonValueKind.False ? null : new(ValidationProblem.Type, $"expected true or false, found {kind}");
        }

        if (kind != JsonValueKind.String) return new(ValidationProblem.Type, $"expected a string ({el.DataType}), found {kind}");
        var text = value.GetValue<string>();
        if (d.MaxLength is { } maxLength && text.Length > maxLength) return new(ValidationProblem.Domain, $"{text.Length} characters; the maximum is {maxLength}");
        if (d.Pattern is { } pattern && !Regex.IsMatch(text, $"^(?:{pattern})$", RegexOptions.None, TimeSpan.FromSeconds(1)))
            return new(ValidationProblem.Domain, $"'{Shorten(text)}' does not match the pattern {pattern}");
        if (d.Codes.Count > 0 && d.Codes.All(c => c.Code != text))
            return new(ValidationProblem.Code, $"'{Shorten(text)}' is not one of the codes {string.Join(", ", d.Codes.Select(c => c.Code))}");

        return el.DataType switch
        {
            MetadataDataType.Date when !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) =>
                new(ValidationProblem.Type, $"'{Shorten(text)}' is not a date (yyyy-MM-dd)"),
            MetadataDataType.DateTime when !DateTimeOffset.TryParseExact(text, ["yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _) =>
                new(ValidationProblem.Type, $"'{Shorten(text)}' is not an ISO 8601 date-time with offset"),
            MetadataDataType.Uri when !Uri.TryCreate(text, UriKind.Absolute, out _) =>
                new(ValidationProblem.Type, $"'{Shorten(text)}' is not an absolute URI"),
            MetadataDataType.Oid when !IdentifierRules.IsWellFormedOid(text) =>
                new(ValidationProblem.Oid, $"'{Shorten(text)}' is not a well-formed OID"),
            MetadataDataType.ResourceIdentifier when identifiers.Explain(text, serialStatus) is { Valid: false } x =>
                new(ValidationProblem.Oid, $"'{Shorten(text)}' is not a valid resource identifier: {string.Join(" ", x.Problems)}"),
            MetadataDataType.ClassificationCode when scheme.Node(text) is not { Withdrawn: false } =>
                new(ValidationProblem.Code, $"'{Shorten(text)}' is not a code of classification scheme '{scheme.Code}'{(scheme.Node(text) is null ? "" : " (withdrawn)")}"),
            _ => null,
        };
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";
}
