using System.Linq.Expressions;
using System.Text;
using System.Text.RegularExpressions;
using MedImaging.Directory.Domain;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Directory.DicomWeb;

/// <summary>
/// The study-level matching keys as one condition over the read model (<see cref="Search.CatalogQuery.Where"/>), so
/// that the engine applies it in SQL beside the caller's clearance and pages agree with it. Literal matching is exact
/// and case-sensitive (LIKE); with <c>fuzzymatching=true</c> text and names match case-, width- and
/// traditional/simplified-insensitively (a PostgreSQL regular expression of each character's variants,
/// <see cref="FuzzyPattern"/>): ct* finds "ＣＴ Chest", 醫院 finds 医院.
/// </summary>
public static class QidoStudyFilter
{
    public static Expression<Func<CatalogEntry, bool>>? Build(QidoRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Expression<Func<CatalogEntry, bool>>? all = null;
        foreach (var (attribute, match) in request.Keys)
        {
            if (match is DicomMatch.Universal) continue;
            var condition = attribute.Role == QidoKeyRole.Empty ? (_ => false) : Condition(attribute, match, request.Fuzzy);
            all = all is null ? condition : AndAlso(all, condition);
        }
        return all;
    }

    private static Expression<Func<CatalogEntry, bool>> Condition(QidoElement attribute, DicomMatch match, bool fuzzy) => attribute.Tag switch
    {
        QidoAttributes.StudyInstanceUid => match switch
        {
            DicomMatch.Exact s => e => e.StudyInstanceUid == s.Value,
            DicomMatch.AnyOf any => Uids(any.Values),
            _ => throw Unsupported(attribute, match),
        },
        QidoAttributes.StudyDate => match is DicomMatch.DateRange r ? Dates(r) : throw Unsupported(attribute, match),
        QidoAttributes.ModalitiesInStudy => Modalities(match, fuzzy),
        QidoAttributes.StudyDescription => Text(e => e.StudyDescription, match, fuzzy),
        QidoAttributes.InstitutionName => Text(e => e.InstitutionName, match, fuzzy),
        // The catalogue holds no patient identity: PatientID and PatientName both answer, and match, the pseudonym.
        QidoAttributes.PatientId or QidoAttributes.PatientName => Text(e => e.PatientPseudonym, match, fuzzy),
        _ => throw Unsupported(attribute, match),
    };

    private static Expression<Func<CatalogEntry, bool>> Uids(IReadOnlyList<string> values)
    {
        var uids = values.ToArray();
        return e => uids.Contains(e.StudyInstanceUid!);
    }

    private static Expression<Func<CatalogEntry, bool>> Dates(DicomMatch.DateRange r) => (r.From, r.To) switch
    {
        ({ } f, { } t) => e => e.StudyDate != null && e.StudyDate >= f && e.StudyDate <= t,
        ({ } f, null) => e => e.StudyDate != null && e.StudyDate >= f,
        (null, { } t) => e => e.StudyDate != null && e.StudyDate <= t,
        _ => _ => true,
    };

    private static Expression<Func<CatalogEntry, bool>> Modalities(DicomMatch match, bool fuzzy)
    {
        switch (match)
        {
            case DicomMatch.AnyOf any:
                var values = any.Values.ToArray();
                return e => e.Modalities.Any(m => values.Contains(m));
            case DicomMatch.Exact s when !fuzzy:
                return e => e.Modalities.Contains(s.Value);
            default:
                if (fuzzy)
                {
                    var regex = FuzzyPattern.Regex(match);
                    return e => e.Modalities.Any(m => Regex.IsMatch(m, regex));
                }
                var pattern = Pattern(match);
                return e => e.Modalities.Any(m => EF.Functions.Like(m, pattern, "\\"));
        }
    }

    private static Expression<Func<CatalogEntry, bool>> Text(Expression<Func<CatalogEntry, string?>> column, DicomMatch match, bool fuzzy)
    {
        Expression<Func<string?, bool>> test;
        if (match is DicomMatch.Exact s && !fuzzy)
        {
            var value = s.Value;
            test = v => v == value;
        }
        else if (fuzzy)
        {
            var regex = FuzzyPattern.Regex(match);
            test = v => v != null && Regex.IsMatch(v, regex);
        }
        else
        {
            var pattern = Pattern(match);
            test = v => v != null && EF.Functions.Like(v, pattern, "\\");
        }
        return Expression.Lambda<Func<CatalogEntry, bool>>(new Replace(test.Parameters[0], column.Body).Visit(test.Body)!, column.Parameters);
    }

    /// <summary>A LIKE pattern: DICOM's <c>*</c> and <c>?</c> become <c>%</c> and <c>_</c>; SQL's own metacharacters are escaped.</summary>
    public static string Pattern(DicomMatch match)
    {
        var value = match switch
        {
            DicomMatch.Exact s => s.Value,
            DicomMatch.Wildcard w => w.Pattern,
            _ => throw new ArgumentException($"{match} is not a text match", nameof(match)),
        };
        var sb = new StringBuilder(value.Length + 4);
        foreach (var c in value)
        {
            sb.Append(c switch
            {
                '*' when match is DicomMatch.Wildcard => "%",
                '?' when match is DicomMatch.Wildcard => "_",
                '%' or '_' or '\\' => "\\" + c,
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }

    private static QidoBadRequestException Unsupported(QidoElement attribute, DicomMatch match) =>
        new($"{attribute.Keyword} ({attribute.TagKey}): {match.GetType().Name} matching is not defined for VR {attribute.Vr}.");

    public static Expression<Func<CatalogEntry, bool>> AndAlso(Expression<Func<CatalogEntry, bool>> a, Expression<Func<CatalogEntry, bool>> b) =>
        Expression.Lambda<Func<CatalogEntry, bool>>(Expression.AndAlso(a.Body, new Replace(b.Parameters[0], a.Parameters[0]).Visit(b.Body)!), a.Parameters);

    private sealed class Replace(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
