using System.Linq.Expressions;
using MedImaging.Directory.Domain;

namespace MedImaging.Directory.Csw;

/// <summary>
/// Composition of conditions over <see cref="CatalogEntry"/> into one expression EF translates to SQL: a property
/// selector with a predicate over its value, and And / Or / Not of those. Literals stay closure members, so they reach
/// PostgreSQL as parameters, never as SQL text.
/// </summary>
internal static class Predicates
{
    public static Expression<Func<CatalogEntry, bool>> On<T>(Expression<Func<CatalogEntry, T>> selector, Expression<Func<T, bool>> predicate) =>
        Expression.Lambda<Func<CatalogEntry, bool>>(Rebind(predicate.Body, predicate.Parameters[0], selector.Body), selector.Parameters[0]);

    public static Expression<Func<CatalogEntry, bool>> And(IEnumerable<Expression<Func<CatalogEntry, bool>>> parts) => Combine(parts, Expression.AndAlso, True);

    public static Expression<Func<CatalogEntry, bool>> Or(IEnumerable<Expression<Func<CatalogEntry, bool>>> parts) => Combine(parts, Expression.OrElse, False);

    public static Expression<Func<CatalogEntry, bool>> Not(Expression<Func<CatalogEntry, bool>> e) => Expression.Lambda<Func<CatalogEntry, bool>>(Expression.Not(e.Body), e.Parameters);

    public static readonly Expression<Func<CatalogEntry, bool>> True = _ => true;
    public static readonly Expression<Func<CatalogEntry, bool>> False = _ => false;

    private static Expression<Func<CatalogEntry, bool>> Combine(IEnumerable<Expression<Func<CatalogEntry, bool>>> parts,
        Func<Expression, Expression, BinaryExpression> op, Expression<Func<CatalogEntry, bool>> empty)
    {
        var list = parts.ToList();
        if (list.Count == 0) return empty;
        var p = list[0].Parameters[0];
        var body = list[0].Body;
        foreach (var next in list.Skip(1)) body = op(body, Rebind(next.Body, next.Parameters[0], p));
        return Expression.Lambda<Func<CatalogEntry, bool>>(body, p);
    }

    private static Expression Rebind(Expression body, ParameterExpression from, Expression to) => new Rebinder(from, to).Visit(body);

    private sealed class Rebinder(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
