using System.Linq.Expressions;
using MedImaging.Directory.Domain;
using MedImaging.ServiceDefaults.Node;

namespace MedImaging.Directory.Federation;

/// <summary>
/// The entries a link's rules let cross (ADR 0031), as a query condition: an entry passes when the first rule that
/// covers it shares it. What a child answers to its parent's fan-out is exactly what it would replicate up.
/// </summary>
public static class SharingFilter
{
    public static Expression<Func<CatalogEntry, bool>> Of(IReadOnlyList<SharingRule> rules)
    {
        var e = Expression.Parameter(typeof(CatalogEntry), "e");
        Expression passes = Expression.Constant(false);
        // From the last rule to the first: "rule i covers → its share; otherwise what the later rules decide".
        for (var i = rules.Count - 1; i >= 0; i--)
            passes = Expression.Condition(Covers(rules[i], e), Expression.Constant(rules[i].Share != ShareType.None), passes);
        return Expression.Lambda<Func<CatalogEntry, bool>>(passes, e);
    }

    private static Expression Covers(SharingRule rule, ParameterExpression e)
    {
        Expression covers = Expression.Constant(true);
        if (rule.SecurityClassifications.Count > 0)
        {
            var levels = rule.SecurityClassifications.ToArray();
            Expression<Func<CatalogEntry, bool>> inLevels = x => levels.Contains(x.SecurityClassification!);
            covers = Expression.AndAlso(covers, Body(inLevels, e));
        }
        if (rule.Classifications.Count > 0)
        {
            Expression any = Expression.Constant(false);
            foreach (var code in rule.Classifications)
            {
                var below = code + ".";
                Expression<Func<CatalogEntry, bool>> at = x => x.ClassificationCode == code || x.ClassificationCode!.StartsWith(below);
                any = Expression.OrElse(any, Body(at, e));
            }
            covers = Expression.AndAlso(covers, any);
        }
        return covers;
    }

    /// <summary>Both conditions, as one expression.</summary>
    public static Expression<Func<CatalogEntry, bool>> And(Expression<Func<CatalogEntry, bool>> a, Expression<Func<CatalogEntry, bool>> b) =>
        Expression.Lambda<Func<CatalogEntry, bool>>(Expression.AndAlso(a.Body, Body(b, a.Parameters[0])), a.Parameters);

    // The lambda's body on our parameter, so the whole condition is one expression EF translates into SQL.
    private static Expression Body(Expression<Func<CatalogEntry, bool>> lambda, ParameterExpression e) =>
        new Rebind(lambda.Parameters[0], e).Visit(lambda.Body);

    private sealed class Rebind(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
