using System.Globalization;
using System.Linq.Expressions;
using System.Xml.Linq;
using MedImaging.Directory.Domain;
using Microsoft.EntityFrameworkCore;
using P = MedImaging.Directory.Csw.Predicates;

namespace MedImaging.Directory.Csw;

// The lambdas below are expression trees EF turns into SQL (lower(), <, LIKE under the database's collation); they are
// never run in .NET, so the culture-dependence the string analyzers warn about does not arise, and the overloads they
// suggest (StringComparison arguments) have no SQL translation.
#pragma warning disable CA1304, CA1309, CA1310, CA1311, CA1862

/// <summary>
/// One queryable of the binding (GetCapabilities lists them, a constraint names them): how each comparison of the
/// OGC Filter / CQL model becomes a condition over the read model. Like patterns arrive already in SQL form
/// (<c>%</c>, <c>_</c>, escape <c>\</c>).
/// </summary>
internal abstract class Queryable(XName name, string description)
{
    public XName Name { get; } = name;
    public string Description { get; } = description;

    public abstract Expression<Func<CatalogEntry, bool>> Compare(CompareOp op, string literal, bool matchCase);

    public abstract Expression<Func<CatalogEntry, bool>> Like(string sqlPattern, bool matchCase);

    public abstract Expression<Func<CatalogEntry, bool>> IsNull();

    public virtual Expression<Func<CatalogEntry, bool>> Between(string lower, string upper) =>
        P.And([Compare(CompareOp.GreaterThanOrEqualTo, lower, true), Compare(CompareOp.LessThanOrEqualTo, upper, true)]);

    protected static string Lower(string s) => s.ToLowerInvariant();
}

/// <summary>A text column.</summary>
internal sealed class TextQueryable(XName name, string description, Expression<Func<CatalogEntry, string?>> column) : Queryable(name, description)
{
    public override Expression<Func<CatalogEntry, bool>> Compare(CompareOp op, string v, bool matchCase)
    {
        var lower = Lower(v);
        return op switch
        {
            CompareOp.EqualTo when matchCase => P.On(column, s => s == v),
            CompareOp.EqualTo => P.On(column, s => s!.ToLower() == lower),
            CompareOp.NotEqualTo => P.Not(Compare(CompareOp.EqualTo, v, matchCase)),
            CompareOp.LessThan => P.On(column, s => string.Compare(s, v) < 0),
            CompareOp.LessThanOrEqualTo => P.On(column, s => string.Compare(s, v) <= 0),
            CompareOp.GreaterThan => P.On(column, s => string.Compare(s, v) > 0),
            _ => P.On(column, s => string.Compare(s, v) >= 0),
        };
    }

    public override Expression<Func<CatalogEntry, bool>> Like(string p, bool matchCase) => matchCase
        ? P.On(column, s => EF.Functions.Like(s, p, "\\"))
        : P.On(column, s => EF.Functions.ILike(s!, p, "\\"));

    public override Expression<Func<CatalogEntry, bool>> IsNull() => P.On(column, s => s == null || s == "");
}

/// <summary>A multi-valued text column (keywords, modalities): a comparison holds when it holds for any value.</summary>
internal sealed class ListQueryable(XName name, string description, Expression<Func<CatalogEntry, List<string>>> column) : Queryable(name, description)
{
    public override Expression<Func<CatalogEntry, bool>> Compare(CompareOp op, string v, bool matchCase)
    {
        var lower = Lower(v);
        return op switch
        {
            CompareOp.EqualTo when matchCase => P.On(column, l => l.Contains(v)),
            CompareOp.EqualTo => P.On(column, l => l.Any(x => x.ToLower() == lower)),
            // "Not equal" of a multi-valued property: no value equals (what a user filtering out a modality means).
            CompareOp.NotEqualTo => P.Not(Compare(CompareOp.EqualTo, v, matchCase)),
            CompareOp.LessThan => P.On(column, l => l.Any(x => string.Compare(x, v) < 0)),
            CompareOp.LessThanOrEqualTo => P.On(column, l => l.Any(x => string.Compare(x, v) <= 0)),
            CompareOp.GreaterThan => P.On(column, l => l.Any(x => string.Compare(x, v) > 0)),
            _ => P.On(column, l => l.Any(x => string.Compare(x, v) >= 0)),
        };
    }

    public override Expression<Func<CatalogEntry, bool>> Like(string p, bool matchCase) => matchCase
        ? P.On(column, l => l.Any(x => EF.Functions.Like(x, p, "\\")))
        : P.On(column, l => l.Any(x => EF.Functions.ILike(x, p, "\\")));

    public override Expression<Func<CatalogEntry, bool>> IsNull() => P.On(column, l => l.Count == 0);
}

/// <summary>The classification code: equality matches at any of the three levels (类目 "2", 亚目 "2.2", 细目 "2.2.1").</summary>
internal sealed class ClassificationQueryable(XName name, string description) : Queryable(name, description)
{
    private readonly TextQueryable _full = new(name, description, e => e.ClassificationCode);

    public override Expression<Func<CatalogEntry, bool>> Compare(CompareOp op, string v, bool matchCase) => op switch
    {
        CompareOp.EqualTo => e => e.Category == v || e.Subcategory == v || e.ClassificationCode == v,
        CompareOp.NotEqualTo => P.Not(Compare(CompareOp.EqualTo, v, matchCase)),
        _ => _full.Compare(op, v, matchCase),
    };

    public override Expression<Func<CatalogEntry, bool>> Like(string p, bool matchCase) => _full.Like(p, matchCase);

    public override Expression<Func<CatalogEntry, bool>> IsNull() => _full.IsNull();
}

/// <summary>A queryable several columns answer (dc:subject: keywords and classification): any of them matching.</summary>
internal sealed class AnyOfQueryable(XName name, string description, params Queryable[] parts) : Queryable(name, description)
{
    public override Expression<Func<CatalogEntry, bool>> Compare(CompareOp op, string v, bool matchCase) => op == CompareOp.NotEqualTo
        ? P.Not(Compare(CompareOp.EqualTo, v, matchCase))
        : P.Or(parts.Select(q => q.Compare(op, v, matchCase)));

    public override Expression<Func<CatalogEntry, bool>> Like(string p, bool matchCase) => P.Or(parts.Select(q => q.Like(p, matchCase)));

    public override Expression<Func<CatalogEntry, bool>> IsNull() => P.And(parts.Select(q => q.IsNull()));
}

/// <summary>
/// A timestamp (dct:modified: when the published record version was made). A date literal stands for its whole day
/// (UTC): = is within the day, &lt;= up to its end, &gt; after it.
/// </summary>
internal sealed class TimestampQueryable(XName name, string description, Expression<Func<CatalogEntry, DateTimeOffset>> column) : Queryable(name, description)
{
    public override Expression<Func<CatalogEntry, bool>> Compare(CompareOp op, string literal, bool matchCase)
    {
        var (start, end) = Literals.Instant(literal);
        return op switch
        {
            CompareOp.EqualTo => P.On(column, t => t >= start && t < end),
            CompareOp.NotEqualTo => P.Not(Compare(CompareOp.EqualTo, literal, matchCase)),
            CompareOp.LessThan => P.On(column, t => t < start),
            CompareOp.LessThanOrEqualTo => P.On(column, t => t < end),
            CompareOp.GreaterThan => P.On(column, t => t >= end),
            _ => P.On(column, t => t >= start),
        };
    }

    public override Expression<Func<CatalogEntry, bool>> Like(string p, bool matchCase) =>
        throw CswException.Invalid("Constraint", $"{Name} is a date: PropertyIsLike does not apply to it.");

    public override Expression<Func<CatalogEntry, bool>> IsNull() => P.False;
}

/// <summary>A calendar date (dc:date, the study date).</summary>
internal sealed class DateQueryable(XName name, string description, Expression<Func<CatalogEntry, DateOnly?>> column) : Queryable(name, description)
{
    public override Expression<Func<CatalogEntry, bool>> Compare(CompareOp op, string literal, bool matchCase)
    {
        DateOnly? d = Literals.Date(literal);
        return op switch
        {
            CompareOp.EqualTo => P.On(column, x => x == d),
            CompareOp.NotEqualTo => P.On(column, x => x != d),
            CompareOp.LessThan => P.On(column, x => x < d),
            CompareOp.LessThanOrEqualTo => P.On(column, x => x <= d),
            CompareOp.GreaterThan => P.On(column, x => x > d),
            _ => P.On(column, x => x >= d),
        };
    }

    public override Expression<Func<CatalogEntry, bool>> Like(string p, bool matchCase) =>
        throw CswException.Invalid("Constraint", $"{Name} is a date: PropertyIsLike does not apply to it.");

    public override Expression<Func<CatalogEntry, bool>> IsNull() => P.On(column, x => x == null);
}

/// <summary>Literals of dates and timestamps as a constraint writes them (ISO 8601; a space instead of T is accepted).</summary>
internal static class Literals
{
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyyMMdd"];

    public static DateOnly Date(string literal)
    {
        var s = literal.Trim();
        if (DateOnly.TryParseExact(s, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
            return DateOnly.FromDateTime(t.UtcDateTime);
        throw CswException.Invalid("Constraint", $"'{literal}' is not a date (yyyy-MM-dd).");
    }

    /// <summary>A timestamp literal as [start, end): a whole UTC day for a date, one instant (end just after it) for a date-time.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) Instant(string literal)
    {
        var s = literal.Trim();
        if (DateOnly.TryParseExact(s, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            var start = new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return (start, start.AddDays(1));
        }
        if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
            return (t.ToUniversalTime(), t.ToUniversalTime().AddTicks(10)); // PostgreSQL keeps microseconds
        throw CswException.Invalid("Constraint", $"'{literal}' is not a date or date-time (ISO 8601).");
    }
}
